// WebSub publish pings against an in-process hub on 127.0.0.1.
#include "fetch/hub_ping.hpp"

#include <condition_variable>
#include <mutex>

#include <gtest/gtest.h>

#include "support/http_server.hpp"

namespace reelfeed::fetch {
namespace {

using namespace std::chrono_literals;

/// Collects the pinger's events (from its thread) and waits for them.
class Events {
public:
  std::function<void(const HubPingEvent&)> sink() {
    return [this](const HubPingEvent& e) {
      std::lock_guard lock(m_mutex);
      m_events.push_back(e);
      m_cv.notify_all();
    };
  }
  /// Waits (bounded) until `n` events have arrived that are `done`.
  bool wait_done(std::size_t n) {
    std::unique_lock lock(m_mutex);
    return m_cv.wait_for(lock, 20s, [&] {
      std::size_t done = 0;
      for (const HubPingEvent& e : m_events) {
        done += e.done ? 1 : 0;
      }
      return done >= n;
    });
  }
  std::vector<HubPingEvent> all() {
    std::lock_guard lock(m_mutex);
    return m_events;
  }

private:
  std::mutex m_mutex;
  std::condition_variable m_cv;
  std::vector<HubPingEvent> m_events;
};

HubPingPolicy quick() {
  HubPingPolicy p;
  p.first_retry = 20ms;
  p.max_retry = 80ms;
  p.attempts = 4;
  p.timeout = 5s;
  return p;
}

TEST(HubPinger, PostsAFormEncodedPublishPerFeed) {
  test::HttpServer hub([](const test::HttpRequest&) { return test::HttpReply{204, {}, ""}; });
  Events events;
  {
    HubPinger pinger(hub.url("/hub/"), quick(), events.sink());
    pinger.ping(
        {"http://feeds.example:8080/feed.atom", "http://feeds.example:8080/topics/a b.json"});
    ASSERT_TRUE(events.wait_done(2));
  }
  const auto requests = hub.requests();
  ASSERT_EQ(requests.size(), 2u);
  std::vector<std::string> bodies;
  for (const test::HttpRequest& r : requests) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.target, "/hub/");
    EXPECT_EQ(r.headers.at("content-type"), "application/x-www-form-urlencoded");
    EXPECT_NE(r.headers.at("user-agent").find("reelfeed"), std::string::npos);
    bodies.push_back(r.body);
  }
  std::sort(bodies.begin(), bodies.end());
  EXPECT_EQ(bodies[0], "hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%3A8080%2Ffeed.atom");
  EXPECT_EQ(bodies[1],
            "hub.mode=publish&hub.url=http%3A%2F%2Ffeeds.example%3A8080%2Ftopics%2Fa%20b.json");
  for (const HubPingEvent& e : events.all()) {
    EXPECT_TRUE(e.error.empty()) << e.error;
    EXPECT_EQ(e.status, 204);
    EXPECT_EQ(e.attempt, 1);
  }
}

TEST(HubPinger, RetriesAFailedPingWithBackoffUntilTheHubAccepts) {
  int calls = 0;
  test::HttpServer hub([&calls](const test::HttpRequest&) {
    ++calls; // the handler runs on the server's one thread
    if (calls == 1) {
      return test::HttpReply{503, {{"Retry-After", "1"}}, "busy"};
    }
    if (calls == 2) {
      return test::HttpReply{429, {}, "slow down"};
    }
    return test::HttpReply{202, {}, ""};
  });
  Events events;
  HubPinger pinger(hub.url("/"), quick(), events.sink());
  pinger.ping({"http://h/feed.rss"});
  ASSERT_TRUE(events.wait_done(1));
  const auto all = events.all();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].attempt, 1);
  EXPECT_EQ(all[0].status, 503);
  EXPECT_EQ(all[0].error, "HTTP 503");
  EXPECT_FALSE(all[0].done);
  EXPECT_EQ(all[1].attempt, 2);
  EXPECT_EQ(all[1].error, "HTTP 429");
  EXPECT_FALSE(all[1].done);
  EXPECT_EQ(all[2].attempt, 3);
  EXPECT_EQ(all[2].status, 202);
  EXPECT_TRUE(all[2].error.empty());
  EXPECT_TRUE(all[2].done);
  EXPECT_EQ(hub.requests().size(), 3u);
}

TEST(HubPinger, GivesUpAfterItsAttempts) {
  test::HttpServer hub([](const test::HttpRequest&) { return test::HttpReply{500, {}, ""}; });
  Events events;
  HubPinger pinger(hub.url("/"), quick(), events.sink());
  pinger.ping({"http://h/feed.atom"});
  ASSERT_TRUE(events.wait_done(1));
  const auto all = events.all();
  ASSERT_EQ(all.size(), 4u); // quick().attempts
  EXPECT_TRUE(all.back().done);
  EXPECT_EQ(all.back().error, "HTTP 500");
  EXPECT_EQ(hub.requests().size(), 4u);
}

TEST(HubPinger, AHubThatIsDownIsReportedNotFatal) {
  std::string url;
  {
    test::HttpServer gone([](const test::HttpRequest&) { return test::HttpReply{}; });
    url = gone.url("/");
  } // nothing listens there any more
  HubPingPolicy policy = quick();
  policy.attempts = 2;
  Events events;
  HubPinger pinger(url, policy, events.sink());
  pinger.ping({"http://h/feed.atom"});
  ASSERT_TRUE(events.wait_done(1));
  const auto all = events.all();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].status, 0);
  EXPECT_FALSE(all[0].error.empty());
}

} // namespace
} // namespace reelfeed::fetch
