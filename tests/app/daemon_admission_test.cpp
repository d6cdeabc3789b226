// The daemon's use of the Poller's admission, in process: every source is due at start, the
// per-host limit admits one, and a SIGHUP reload that removes queued sources drops their polls
// (never fetched) while the kept ones are still polled. Real Daemon, real signals (raised to
// this process; the Daemon's signal_set takes them), real HTTP server and SQLite file.
#include <csignal>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <set>
#include <streambuf>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "app/daemon.hpp"
#include "config/load.hpp"
#include "e2e/e2e_config.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::app {
namespace {

// The daemon logs from its threads; the test reads what was logged so far.
class SharedLog : public std::streambuf {
public:
  [[nodiscard]] std::string text() const {
    const std::lock_guard lock(m_mutex);
    return m_text;
  }
  /// Waits (bounded) until `needle` was logged; false if it never was.
  bool wait_for(const std::string& needle) const {
    for (int i = 0; i < 2000; ++i) {
      if (text().find(needle) != std::string::npos) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds{5});
    }
    return false;
  }

protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) {
      const std::lock_guard lock(m_mutex);
      m_text.push_back(static_cast<char>(c));
    }
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const std::lock_guard lock(m_mutex);
    m_text.append(s, static_cast<std::size_t>(n));
    return n;
  }

private:
  mutable std::mutex m_mutex;
  std::string m_text;
};

const char* const k_feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F</title>"
                           "<link>https://f.example/</link></channel></rss>";

std::string config_for(const test::HttpServer& server, const std::vector<std::string>& names) {
  std::vector<std::pair<std::string, std::string>> sources;
  for (const std::string& n : names) {
    sources.emplace_back(n, server.url(n + ".xml"));
  }
  std::string toml = e2e::make_config(sources);
  // One transfer per host at a time: with every source on one host, the rest wait queued.
  const std::string poll = "[poll]\n";
  toml.insert(toml.find(poll) + poll.size(), "max_concurrent = 4\nmax_per_host = 1\n");
  return toml;
}

TEST(DaemonAdmission, ReloadDropsQueuedPollsOfRemovedSourcesAndKeepsTheOthers) {
  std::mutex mutex;
  std::condition_variable changed;
  std::string first; // the source whose request is held until the reload is done
  bool release = false;
  std::vector<std::string> targets;
  test::HttpServer server([&](const test::HttpRequest& req) {
    std::unique_lock lock(mutex);
    targets.push_back(req.target);
    if (first.empty()) {
      first = req.target.substr(1, req.target.find('.') - 1);
      changed.notify_all();
      // Bounded: a broken admission fails the assertions below instead of hanging.
      changed.wait_for(lock, std::chrono::seconds{10}, [&] { return release; });
    }
    changed.notify_all();
    test::HttpReply r;
    r.headers = {{"Content-Type", "application/rss+xml"}};
    r.body = k_feed;
    return r;
  });
  const std::vector<std::string> names{"a", "b", "c", "d"};
  test::TempDir dir;
  const auto path = dir.write("reelfeed.toml", config_for(server, names));
  config::LoadResult loaded = config::load_file(path);
  ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors.front().str());

  SharedLog sink;
  std::ostream out(&sink);
  util::Logger log(out);
  const Clock clock;
  Daemon daemon(std::move(*loaded.config), log, clock);
  int rc = -1;
  std::thread runner([&] { rc = daemon.run(); });

  std::string held;
  {
    std::unique_lock lock(mutex);
    ASSERT_TRUE(changed.wait_for(lock, std::chrono::seconds{10}, [&] { return !first.empty(); }));
    held = first;
  }
  // Keep the held source and one other; remove the two others while they are queued.
  std::vector<std::string> kept{held};
  std::vector<std::string> removed;
  for (const std::string& n : names) {
    if (n != held) {
      (kept.size() < 2 ? kept : removed).push_back(n);
    }
  }
  dir.write("reelfeed.toml", config_for(server, kept));
  ::raise(SIGHUP);
  const bool reloaded = sink.wait_for("info reloaded");
  {
    const std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  bool other_polled = false;
  {
    std::unique_lock lock(mutex);
    other_polled = changed.wait_for(lock, std::chrono::seconds{10}, [&] {
      for (const std::string& t : targets) {
        if (t == "/" + kept[1] + ".xml") {
          return true;
        }
      }
      return false;
    });
  }
  // Its poll is stored before the stop (else it is only cancelled): wait for its log line.
  sink.wait_for("source=" + kept[1]);
  ::raise(SIGTERM);
  runner.join();

  EXPECT_TRUE(reloaded) << sink.text();
  EXPECT_TRUE(other_polled) << sink.text();
  EXPECT_EQ(rc, 0);
  const std::lock_guard lock(mutex);
  for (const std::string& n : removed) {
    for (const std::string& t : targets) {
      EXPECT_NE(t, "/" + n + ".xml") << n << " was removed while queued, yet fetched";
    }
    EXPECT_NE(sink.text().find("source_removed source=" + n), std::string::npos) << sink.text();
  }
  EXPECT_NE(sink.text().find("info stopped"), std::string::npos) << sink.text();
}

} // namespace
} // namespace reelfeed::app
