// The Poller's bounded pipeline with the real Fetcher, the in-process HTTP server, the real
// parser and a real SQLite file: how many polls are between "fetch started" and "stored", a
// slow host at its per-host limit next to a fast one, and stop/cancel while polls are queued.
// No timing is asserted: order and counts come from the servers' request logs and the
// `done` callbacks.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <gtest/gtest.h>

#include "poll/poller.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"
#include "util/log.hpp"

namespace reelfeed::poll {
namespace {

using util::Logger;

namespace asio = boost::asio;

std::string feed_for(const std::string& target) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title>"
         "<link>https://f.example/</link><item><guid>https://f.example" +
         target + "</guid><title>Studio story at " + target + "</title><link>https://f.example" +
         target + "</link><pubDate>Mon, 12 Jan 2027 10:00:00 GMT</pubDate></item></channel></rss>";
}

test::HttpReply feed_reply(const test::HttpRequest& req) {
  test::HttpReply r;
  r.headers = {{"Content-Type", "application/rss+xml"}};
  r.body = feed_for(req.target);
  return r;
}

std::string name_of(int i) {
  return "s" + std::to_string(100 + i);
}

// A Poller over one store, fetching from whatever URLs the sources name.
class Rig {
public:
  Rig(fetch::Limits limits, Admission::Limits admission)
      : m_store(m_dir.path() / "admission.db"), m_fetcher(m_io, limits), m_log(m_log_text),
        m_poller(m_io, m_fetcher, m_cpu, m_store_thread, m_store, m_clock, m_log) {
    m_poller.set_admission(admission);
  }
  ~Rig() {
    m_cpu.join();
    m_store_thread.join();
  }

  void add(const std::string& name, const std::string& url) {
    m_defs.push_back(store::SourceDef{name, url, {}, true});
  }

  /// Polls every source (in the order added) and runs until each `done` has come.
  /// `on_done` runs on the io thread after each one is recorded.
  std::vector<PollDone> poll_all(const std::function<void(const PollDone&)>& on_done = {}) {
    m_store.sync_sources(m_defs);
    std::vector<PollDone> dones;
    auto guard = asio::make_work_guard(m_io);
    asio::post(m_io, [&] {
      for (SourceStatus& status : m_store.statuses()) {
        m_poller.poll(std::move(status), PollSettings{}, [&](PollDone d) {
          dones.push_back(std::move(d));
          done_count.fetch_add(1);
          if (on_done) {
            on_done(dones.back());
          }
          if (dones.size() == m_defs.size()) {
            guard.reset();
          }
        });
      }
    });
    m_io.run();
    return dones;
  }

  std::optional<SourceStatus> stored(const std::string& name) {
    for (SourceStatus& s : m_store.statuses()) {
      if (s.name == name) {
        return s;
      }
    }
    return std::nullopt;
  }
  int entries() {
    SQLite::Database db(m_dir.path() / "admission.db", SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT count(*) FROM entries").getInt();
  }

  Poller& poller() { return m_poller; }
  asio::io_context& io() { return m_io; }
  fetch::Fetcher& fetcher() { return m_fetcher; }
  std::atomic<int> done_count{0}; ///< read by server threads

private:
  test::TempDir m_dir;
  store::Store m_store;
  std::vector<store::SourceDef> m_defs;
  Clock m_clock;
  asio::io_context m_io;
  asio::thread_pool m_cpu{2};
  asio::thread_pool m_store_thread{1};
  fetch::Fetcher m_fetcher;
  std::ostringstream m_log_text;
  Logger m_log;
  Poller m_poller;
};

TEST(PollerAdmission, NoMoreThanTheWindowBetweenFetchStartAndStored) {
  constexpr std::size_t k_window = 3;
  constexpr int k_sources = 30;
  fetch::Limits limits;
  limits.max_concurrent = 16; // the Fetcher alone would run 16 at once
  limits.max_per_host = 16;
  Rig rig(limits, Admission::Limits{k_window, 16});
  // Seen by the server: requests arrived minus polls stored is a lower bound of the polls
  // between fetch start and stored, measured outside the Poller.
  std::atomic<int> arrived{0};
  std::atomic<int> max_outstanding{0};
  test::HttpServer server([&](const test::HttpRequest& req) {
    const int outstanding = arrived.fetch_add(1) + 1 - rig.done_count.load();
    int seen = max_outstanding.load();
    while (outstanding > seen && !max_outstanding.compare_exchange_weak(seen, outstanding)) {
    }
    test::HttpReply r = feed_reply(req);
    r.delay = std::chrono::milliseconds{5}; // lets transfers overlap (not asserted)
    return r;
  });
  for (int i = 0; i < k_sources; ++i) {
    rig.add(name_of(i), server.url("f/" + std::to_string(i) + ".xml"));
  }
  const auto dones = rig.poll_all();
  ASSERT_EQ(dones.size(), static_cast<std::size_t>(k_sources));
  for (const PollDone& d : dones) {
    EXPECT_FALSE(d.failed) << d.status.name << ": " << d.status.last_error;
    EXPECT_FALSE(d.cancelled) << d.status.name;
    EXPECT_EQ(d.new_entries, 1) << d.status.name;
  }
  EXPECT_EQ(rig.entries(), k_sources);
  EXPECT_EQ(arrived.load(), k_sources);
  EXPECT_LE(max_outstanding.load(), static_cast<int>(k_window));
  EXPECT_LE(server.max_concurrent(), static_cast<int>(k_window));
  EXPECT_EQ(rig.poller().admission().max_active(), k_window); // the window was used, not more
  EXPECT_EQ(rig.poller().admission().active(), 0u);
  EXPECT_EQ(rig.poller().admission().queued(), 0u);
}

TEST(PollerAdmission, SlowHostAtItsLimitDoesNotHoldSlotsFromAnotherHost) {
  fetch::Limits limits;
  limits.max_concurrent = 8;
  limits.max_per_host = 1;
  Rig rig(limits, Admission::Limits{3, 1});
  // The slow host answers only once every fast source is stored (or after a long safety
  // timeout, which makes the order assertions below fail instead of hanging).
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  test::HttpServer slow([released](const test::HttpRequest& req) {
    released.wait_for(std::chrono::seconds{5});
    return feed_reply(req);
  });
  test::HttpServer fast(feed_reply);
  constexpr int k_each = 4;
  for (int i = 0; i < k_each; ++i) { // all slow sources first: a FIFO window would fill with them
    rig.add("a" + std::to_string(i), slow.url("a/" + std::to_string(i) + ".xml"));
  }
  for (int i = 0; i < k_each; ++i) {
    rig.add("b" + std::to_string(i), fast.url("b/" + std::to_string(i) + ".xml"));
  }
  int fast_done = 0;
  bool released_set = false;
  const auto dones = rig.poll_all([&](const PollDone& d) {
    if (d.status.name[0] == 'b' && ++fast_done == k_each && !released_set) {
      released_set = true;
      release.set_value();
    }
  });
  if (!released_set) {
    release.set_value();
  }
  ASSERT_EQ(dones.size(), 2u * k_each);
  std::vector<std::string> order;
  for (const PollDone& d : dones) {
    EXPECT_FALSE(d.failed) << d.status.name << ": " << d.status.last_error;
    order.push_back(d.status.name);
  }
  // Every fast source was stored while the slow host still held its first request.
  std::vector<std::string> first(order.begin(), order.begin() + k_each);
  std::sort(first.begin(), first.end()); // two parse threads: any order among them
  EXPECT_EQ(first, (std::vector<std::string>{"b0", "b1", "b2", "b3"}))
      << ::testing::PrintToString(order);
  EXPECT_EQ(fast.requests().size(), static_cast<std::size_t>(k_each));
  EXPECT_EQ(slow.requests().size(), static_cast<std::size_t>(k_each));
  EXPECT_LE(slow.max_concurrent(), 1);
  EXPECT_LE(rig.poller().admission().max_active(), 3u);
  EXPECT_EQ(rig.entries(), 2 * k_each);
}

TEST(PollerAdmission, StopWhileQueuedCancelsEveryQueuedPollCleanly) {
  fetch::Limits limits;
  limits.max_concurrent = 8;
  Rig rig(limits, Admission::Limits{2, 4});
  test::HttpServer server(feed_reply);
  constexpr int k_sources = 20;
  for (int i = 0; i < k_sources; ++i) {
    rig.add(name_of(i), server.url("f/" + std::to_string(i) + ".xml"));
  }
  bool stopped = false;
  const auto dones = rig.poll_all([&](const PollDone& d) {
    if (!stopped && !d.cancelled) {
      stopped = true; // as Daemon::stop: the Poller first, then the Fetcher's transfers
      rig.poller().stop();
      rig.fetcher().cancel_all();
    }
  });
  ASSERT_TRUE(stopped);
  ASSERT_EQ(dones.size(), static_cast<std::size_t>(k_sources)); // each `done` exactly once
  std::vector<std::string> names;
  int recorded = 0;
  int attempted = 0; // a poll already at the store thread when stop() came is still stored
  for (const PollDone& d : dones) {
    names.push_back(d.status.name);
    recorded += d.cancelled ? 0 : 1;
    attempted += rig.stored(d.status.name)->last_attempt.has_value() ? 1 : 0;
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(std::unique(names.begin(), names.end()), names.end());
  EXPECT_EQ(recorded, 1); // only the one that triggered stop() reports a result
  EXPECT_GE(attempted, recorded);
  EXPECT_LE(attempted, 2);                 // the window: nothing admitted was stored beyond it
  EXPECT_LE(server.requests().size(), 3u); // queued polls were never fetched
  EXPECT_EQ(rig.poller().admission().active(), 0u);
  EXPECT_EQ(rig.poller().admission().queued(), 0u);

  // A poll after stop() is cancelled at once, not queued.
  std::optional<PollDone> late;
  SourceStatus s;
  s.name = "late";
  s.url = server.url("late.xml");
  rig.poller().poll(s, PollSettings{}, [&](PollDone d) { late = std::move(d); });
  EXPECT_EQ(rig.poller().admission().queued(), 0u);
  EXPECT_FALSE(late.has_value()); // never inside poll()
  rig.io().restart();
  rig.io().run();
  ASSERT_TRUE(late.has_value());
  EXPECT_TRUE(late->cancelled);
  // A transfer cancelled at stop() may still reach the server after stop() returned, so the
  // late poll is checked by its own URL, not by how many requests arrived.
  const auto reqs = server.requests();
  EXPECT_EQ(std::count_if(reqs.begin(), reqs.end(),
                          [](const test::HttpRequest& r) { return r.target == "/late.xml"; }),
            0);
  EXPECT_LE(reqs.size(), 3u);
}

TEST(PollerAdmission, CancelDropsTheQueuedPollOfARemovedSource) {
  fetch::Limits limits;
  Rig rig(limits, Admission::Limits{1, 4});
  test::HttpServer server(feed_reply);
  for (int i = 0; i < 5; ++i) {
    rig.add(name_of(i), server.url("f/" + std::to_string(i) + ".xml"));
  }
  bool cancelled_once = false;
  const auto dones = rig.poll_all([&](const PollDone&) {
    if (!cancelled_once) {
      cancelled_once = true; // a reload removed s103 while it waited
      EXPECT_EQ(rig.poller().cancel(name_of(3)), 1u);
      EXPECT_EQ(rig.poller().cancel(name_of(3)), 0u);
    }
  });
  ASSERT_EQ(dones.size(), 5u);
  for (const PollDone& d : dones) {
    EXPECT_EQ(d.cancelled, d.status.name == name_of(3)) << d.status.name;
  }
  for (const test::HttpRequest& req : server.requests()) {
    EXPECT_NE(req.target, "/f/3.xml");
  }
  EXPECT_EQ(server.requests().size(), 4u);
  EXPECT_FALSE(rig.stored(name_of(3))->last_attempt.has_value());
  EXPECT_EQ(rig.entries(), 4);
}

} // namespace
} // namespace reelfeed::poll
