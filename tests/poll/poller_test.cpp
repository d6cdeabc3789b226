// Poller end to end in one process: the real Fetcher against the in-process HTTP server, the
// real parser, a real SQLite file. What is checked is what the Poller stored (fetch history,
// entries, the source's status row), not how it got there.
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
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

struct FixedClock : Clock {
  Timestamp t{std::chrono::seconds{1'800'000'000}};
  [[nodiscard]] Timestamp now() const override { return t; }
};

std::string rss(const std::string& items) {
  return "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title>"
         "<link>https://t.example/</link><ttl>120</ttl>" +
         items + "</channel></rss>";
}

std::string item(const std::string& id) {
  return "<item><guid>https://t.example/" + id + "</guid><title>Story " + id +
         " about a studio and its actors</title><link>https://t.example/" + id +
         "</link><pubDate>Mon, 12 Jan 2027 10:00:00 GMT</pubDate>"
         "<description>Lede of " +
         id + ".</description></item>";
}

// Answers every request 200 with the current body, ignoring If-None-Match and
// If-Modified-Since, like many real servers do.
class PollerRig {
public:
  PollerRig()
      : m_server([this](const test::HttpRequest&) {
          test::HttpReply r;
          r.headers = {{"Content-Type", "application/rss+xml"}, {"ETag", "\"same\""}};
          const std::lock_guard lock(m_body_mutex);
          r.body = m_body;
          return r;
        }),
        m_store(m_dir.path() / "poller.db"), m_fetcher(m_io, fetch::Limits{}), m_log(m_log_text),
        m_poller(m_io, m_fetcher, m_cpu, m_store_thread, m_store, clock, m_log) {
    m_store.sync_sources({store::SourceDef{"T", m_server.url("feed.xml"), {}, true}});
  }
  ~PollerRig() {
    m_cpu.join();
    m_store_thread.join();
  }

  /// One poll from the stored status, run to completion.
  PollDone poll(PollSettings settings = {}) {
    SourceStatus status = stored_status();
    std::optional<PollDone> result;
    auto guard = asio::make_work_guard(m_io);
    m_poller.poll(std::move(status), std::move(settings), [&](PollDone d) {
      result = std::move(d);
      guard.reset();
    });
    m_io.restart();
    m_io.run();
    EXPECT_TRUE(result.has_value());
    return result.value_or(PollDone{});
  }

  SourceStatus stored_status() {
    for (SourceStatus& s : m_store.statuses()) {
      if (s.name == "T") {
        return s;
      }
    }
    ADD_FAILURE() << "source T not stored";
    return {};
  }

  /// Ingests recorded in the fetch history (a status-only save records no entries).
  int ingests() { return count("SELECT count(*) FROM fetches WHERE entries > 0"); }
  int entries() { return count("SELECT count(*) FROM entries"); }
  void exec(const std::string& sql) {
    SQLite::Database db(m_dir.path() / "poller.db", SQLite::OPEN_READWRITE);
    db.exec(sql);
  }
  [[nodiscard]] int requests() const { return static_cast<int>(m_server.requests().size()); }
  [[nodiscard]] std::string log_text() const { return m_log_text.str(); }

  void set_body(std::string b) {
    const std::lock_guard lock(m_body_mutex);
    m_body = std::move(b);
  }

  FixedClock clock;

private:
  int count(const char* sql) {
    SQLite::Database db(m_dir.path() / "poller.db", SQLite::OPEN_READONLY);
    return db.execAndGet(sql).getInt();
  }

  std::mutex m_body_mutex;
  std::string m_body; ///< what the server answers (read on the server's thread)
  test::TempDir m_dir;
  test::HttpServer m_server;
  store::Store m_store;
  asio::io_context m_io;
  asio::thread_pool m_cpu{1};
  asio::thread_pool m_store_thread{1};
  fetch::Fetcher m_fetcher;
  std::ostringstream m_log_text;
  Logger m_log;
  Poller m_poller;
};

TEST(InterleaveByHost, RoundRobinOverHostsKeepingEachHostsOrder) {
  std::deque<std::pair<SourceStatus, PollSettings>> q;
  const auto add = [&q](const std::string& name, const std::string& url) {
    SourceStatus s;
    s.name = name;
    s.url = url;
    q.emplace_back(s, PollSettings{});
  };
  add("a1", "https://a.example/1");
  add("a2", "https://a.example/2");
  add("a3", "https://A.example:443/3"); // same host, spelled differently
  add("b1", "https://b.example/1");
  add("c1", "https://c.example/1");
  add("c2", "https://c.example/2");
  q.back().first.effective_url = "https://b.example/moved"; // polled at its moved-to URL
  interleave_by_host(q);
  std::vector<std::string> names;
  for (const auto& [status, settings] : q) {
    names.push_back(status.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"a1", "b1", "c1", "a2", "c2", "a3"}));
}

TEST(LowerPriority, RaisesTheNiceValueOfEachPoolThreadOnly) {
  asio::thread_pool pool{2};
  std::mutex mutex;
  std::map<pid_t, int> before;
  std::map<pid_t, int> after;
  const auto record = [&mutex](std::map<pid_t, int>& into) {
    return [&mutex, &into] {
      const pid_t tid = ::gettid();
      const int nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
      const std::lock_guard lock(mutex);
      into[tid] = nice;
    };
  };
  const int main_nice = ::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid()));
  on_each_thread(pool, 2, record(before));
  ASSERT_EQ(before.size(), 2U); // each thread ran the task once
  EXPECT_EQ(lower_priority(pool, 2, 3), 0);
  on_each_thread(pool, 2, record(after));
  ASSERT_EQ(after.size(), 2U);
  for (const auto& [tid, nice] : before) {
    ASSERT_EQ(after.count(tid), 1U);
    EXPECT_EQ(after.at(tid), std::min(19, nice + 3)) << "thread " << tid;
  }
  EXPECT_EQ(::getpriority(PRIO_PROCESS, static_cast<id_t>(::gettid())), main_nice);
  pool.join();
}

TEST(BodyDigest, DependsOnBodyContentTypeBaseAndReadingSettings) {
  const std::string d = body_digest("<rss/>", "application/rss+xml", "http://a/feed");
  EXPECT_EQ(d.size(), 32u);
  EXPECT_EQ(d.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(d, body_digest("<rss/>", "application/rss+xml", "http://a/feed"));
  EXPECT_NE(d, body_digest("<rss />", "application/rss+xml", "http://a/feed"));
  EXPECT_NE(d, body_digest("<rss/>", "application/rss+xml; charset=latin1", "http://a/feed"));
  EXPECT_NE(d, body_digest("<rss/>", "application/rss+xml", "http://b/feed"));
  // A changed utc_offset parses the same body again; 0 keeps digests stored before it existed.
  EXPECT_NE(d, body_digest("<rss/>", "application/rss+xml", "http://a/feed", 540));
  EXPECT_EQ(d, body_digest("<rss/>", "application/rss+xml", "http://a/feed", 0));
  EXPECT_NE(d, body_digest("<rss/>", "application/rss+xml", "http://a/feed", 0, "utf-8"));
  EXPECT_EQ(d, body_digest("<rss/>", "application/rss+xml", "http://a/feed", 0, ""));
  // Parts are delimited: moving a byte from one part to the next changes the digest.
  EXPECT_NE(body_digest("ab", "c", "u"), body_digest("b", "ca", "u"));
}

TEST(PollerDigest, SameBodyAgainIsNeitherParsedNorIngested) {
  PollerRig rig;
  rig.set_body(rss(item("a") + item("b")));
  const PollDone first = rig.poll();
  EXPECT_FALSE(first.failed);
  EXPECT_FALSE(first.unchanged);
  EXPECT_EQ(first.new_entries, 2);
  EXPECT_EQ(rig.ingests(), 1);
  const std::string digest = rig.stored_status().body_digest;
  EXPECT_EQ(digest.size(), 32u);
  EXPECT_EQ(rig.stored_status().hinted_interval, std::chrono::minutes{120});

  rig.clock.t = rig.stored_status().next_due; // polled when due
  const PollDone second = rig.poll();
  EXPECT_EQ(rig.requests(), 2); // it was downloaded again ...
  EXPECT_TRUE(second.unchanged);
  EXPECT_FALSE(second.failed);
  EXPECT_FALSE(second.changed);
  EXPECT_EQ(second.new_entries, 0);
  EXPECT_EQ(rig.ingests(), 1); // ... but not ingested
  const SourceStatus s = rig.stored_status();
  EXPECT_EQ(s.body_digest, digest);
  EXPECT_EQ(s.last_status, 200);
  EXPECT_EQ(s.last_attempt, rig.clock.t);
  EXPECT_EQ(s.last_success, rig.clock.t);
  EXPECT_GT(s.last_bytes, 0u);
  // The feed's ttl (120 min), kept from the parsed poll, still stretches the 30 min interval.
  EXPECT_GE(s.next_due, rig.clock.t + std::chrono::minutes{100});
  EXPECT_NE(rig.log_text().find("info unchanged source=T"), std::string::npos) << rig.log_text();
}

TEST(PollerDigest, ChangedBodyIsParsedAndStored) {
  PollerRig rig;
  rig.set_body(rss(item("a")));
  EXPECT_EQ(rig.poll().new_entries, 1);
  const std::string first_digest = rig.stored_status().body_digest;

  rig.set_body(rss(item("a") + item("c")));
  rig.clock.t += std::chrono::hours{1};
  const PollDone second = rig.poll();
  EXPECT_FALSE(second.unchanged);
  EXPECT_TRUE(second.changed);
  EXPECT_EQ(second.new_entries, 1);
  EXPECT_EQ(rig.ingests(), 2);
  EXPECT_EQ(rig.entries(), 2);
  const std::string second_digest = rig.stored_status().body_digest;
  EXPECT_NE(second_digest, first_digest);
  EXPECT_FALSE(second_digest.empty());
}

TEST(PollerDigest, FailedIngestKeepsNoDigestSoTheBodyIsStoredLater) {
  PollerRig rig;
  rig.set_body(rss(item("a") + item("b")));
  // A real SQLite failure inside the ingest's transaction.
  rig.exec("CREATE TRIGGER refuse BEFORE INSERT ON entries "
           "BEGIN SELECT RAISE(ABORT, 'refused by test'); END;");
  const PollDone failed = rig.poll();
  EXPECT_EQ(failed.new_entries, 0);
  EXPECT_TRUE(failed.status.body_digest.empty()); // not in memory (the daemon's slot) ...
  EXPECT_EQ(rig.entries(), 0);
  const SourceStatus s = rig.stored_status();
  EXPECT_TRUE(s.body_digest.empty());     // ... nor on disk
  EXPECT_EQ(s.last_attempt, rig.clock.t); // the attempt itself is recorded
  EXPECT_NE(rig.log_text().find("store_failed"), std::string::npos) << rig.log_text();
  // Counted as a failed poll, and the response's ETag is not kept: a 304 to it next time
  // would hide the items that were never stored.
  EXPECT_TRUE(failed.failed);
  EXPECT_TRUE(failed.status.validators.etag.empty());
  EXPECT_TRUE(s.validators.etag.empty());

  rig.exec("DROP TRIGGER refuse");
  rig.clock.t += std::chrono::hours{1};
  const PollDone retry = rig.poll();
  EXPECT_FALSE(retry.unchanged);
  EXPECT_EQ(retry.new_entries, 2);
  EXPECT_EQ(rig.entries(), 2);
  EXPECT_FALSE(rig.stored_status().body_digest.empty());
  EXPECT_EQ(rig.stored_status().validators.etag, "\"same\"");
}

TEST(PollerDigest, BodyThatIsNotAFeedRecordsNoDigest) {
  PollerRig rig;
  rig.set_body("<html><body>maintenance</body></html>");
  const PollDone done = rig.poll();
  EXPECT_TRUE(done.failed);
  EXPECT_FALSE(done.unchanged);
  EXPECT_TRUE(rig.stored_status().body_digest.empty());
  EXPECT_EQ(rig.ingests(), 0);
}

TEST(PollerCap, AFeedOverTheCapIsStoredInTurnsAndKeepsNoValidatorsMeanwhile) {
  PollerRig rig;
  std::string items;
  for (int i = 0; i < 12; ++i) {
    items += item("c" + std::to_string(i));
  }
  rig.set_body(rss(items));
  PollSettings settings;
  settings.max_items_per_fetch = 5;
  const PollDone first = rig.poll(settings);
  EXPECT_EQ(first.new_entries, 5);
  EXPECT_FALSE(first.failed);
  // Neither the status the daemon keeps nor the stored one may make the next poll a 304
  // or an "unchanged" that would hide the seven left out.
  EXPECT_TRUE(first.status.validators.etag.empty());
  EXPECT_TRUE(first.status.body_digest.empty());
  EXPECT_TRUE(rig.stored_status().validators.etag.empty());
  EXPECT_NE(rig.log_text().find("warn capped source=T new=5 left_out=7 max_items_per_fetch=5"),
            std::string::npos)
      << rig.log_text();
  EXPECT_EQ(rig.poll(settings).new_entries, 5);
  const PollDone last = rig.poll(settings);
  EXPECT_EQ(last.new_entries, 2);
  EXPECT_EQ(rig.entries(), 12);
  EXPECT_EQ(last.status.validators.etag, "\"same\""); // all in: validators as usual
  EXPECT_FALSE(last.status.body_digest.empty());
  EXPECT_EQ(rig.poll(settings).new_entries, 0);
}

} // namespace
} // namespace reelfeed::poll
