// The real daemon's pages for people and its WebSub pings: the story pages on the public
// listener, the editor's view only on the loopback review listener, and a hub on 127.0.0.1
// told about every changed feed (retried when it fails), never about an unchanged one.

#include <algorithm>
#include <csignal>
#include <mutex>
#include <optional>

#include <gtest/gtest.h>

#include "child.hpp"
#include "e2e_config.hpp"
#include "support/gunzip.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

constexpr auto k_wait = std::chrono::seconds{40};

std::optional<std::uint16_t> logged_port(const std::string& log, const std::string& marker) {
  const std::size_t at = log.find(marker);
  if (at == std::string::npos) {
    return std::nullopt;
  }
  const std::size_t colon = log.find(':', at + marker.size());
  return static_cast<std::uint16_t>(std::stoi(log.substr(colon + 1)));
}

class PagesE2E : public ::testing::Test {
protected:
  test::HttpServer m_feeds{test::serve_directory(e2e_data() / "feeds")};
  test::TempDir m_dir;
  std::mutex m_mutex;
  int m_atom_pings = 0;
  /// A hub that refuses the first ping of /feed.atom (503) and accepts everything else.
  test::HttpServer m_hub{[this](const test::HttpRequest& r) {
    std::lock_guard lock(m_mutex);
    if (r.body.find("%2Ffeed.atom") != std::string::npos && ++m_atom_pings == 1) {
      return test::HttpReply{503, {}, "try later"};
    }
    return test::HttpReply{204, {}, ""};
  }};

  std::string config() const {
    std::string toml = make_config(
        {{"Variety", m_feeds.url("/variety.xml")}, {"Deadline", m_feeds.url("/deadline.atom")}},
        "websub_hub = \"" + m_hub.url("/hub") + "\"\n");
    const std::string listen = "listen = \"127.0.0.1:0\"\n";
    toml.replace(toml.find(listen), listen.size(), listen + "review_listen = \"127.0.0.1:0\"\n");
    return toml;
  }

  std::vector<std::string> pinged() const {
    std::vector<std::string> bodies;
    for (const test::HttpRequest& r : m_hub.requests()) {
      if (r.method == "POST" && r.target == "/hub") {
        bodies.push_back(r.body);
      }
    }
    return bodies;
  }
};

TEST_F(PagesE2E, StoryPagesReviewOnlyOnLoopbackListenerAndHubPings) {
  Daemon daemon({"run", "-c", m_dir.write("reelfeed.toml", config()).string()}, m_dir.path());
  const auto port = daemon.port();
  ASSERT_TRUE(port) << daemon.log();
  ASSERT_TRUE(daemon.wait_log("info listening_review addr=", k_wait)) << daemon.log();
  const auto review_port = logged_port(daemon.log(), "info listening_review addr=");
  ASSERT_TRUE(review_port) << daemon.log();
  EXPECT_NE(*review_port, *port);

  // Both outlets stored and published.
  std::string home;
  ASSERT_TRUE(eventually(
      [&] {
        home = http_get(*port, "/").body;
        return home.find("Covered by 2 outlets") != std::string::npos;
      },
      k_wait))
      << home << daemon.log();

  // The story page: the story once, each outlet with its link, the matched concepts; the
  // feeds linked and announced; cached and served like the feeds.
  const HttpResponse page = http_get(*port, "/");
  EXPECT_EQ(page.status, 200);
  EXPECT_EQ(page.headers.at("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(count(page.body, "<article "), 1u) << page.body;
  EXPECT_NE(page.body.find("Variety: <a href=\"https://wire.example/"), std::string::npos);
  EXPECT_NE(page.body.find("Deadline: <a href=\""), std::string::npos);
  EXPECT_NE(page.body.find("Matched: <span>ai</span>"), std::string::npos);
  EXPECT_NE(page.body.find("<link rel=\"alternate\" type=\"application/atom+xml\""),
            std::string::npos);
  EXPECT_EQ(page.body.find("Taiwan"), std::string::npos);
  EXPECT_EQ(page.body.find("Midnight Harbor"), std::string::npos);
  const HttpResponse again = http_get(*port, "/", {{"If-None-Match", page.headers.at("etag")}});
  EXPECT_EQ(again.status, 304);
  const HttpResponse zipped = http_get(*port, "/", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(zipped.headers.at("content-encoding"), "gzip");
  EXPECT_EQ(test::gunzip(zipped.body), page.body);
  const HttpResponse box = http_get(*port, "/topics/box-office/");
  EXPECT_EQ(box.status, 200);
  EXPECT_NE(box.body.find("Midnight Harbor"), std::string::npos) << box.body;
  EXPECT_NE(box.body.find("aria-current=\"page\">E2E Box Office</a>"), std::string::npos);

  // The editor's view: never on the public listener, on the review listener only.
  EXPECT_EQ(http_get(*port, "/topics/ai-hollywood/review").status, 404);
  HttpResponse review;
  ASSERT_TRUE(eventually(
      [&] {
        review = http_get(*review_port, "/topics/ai-hollywood/review");
        return review.status == 200;
      },
      k_wait))
      << daemon.log();
  EXPECT_NE(review.body.find("<h1>Review: E2E AI in Hollywood</h1>"), std::string::npos)
      << review.body;
  EXPECT_NE(review.body.find("Near the threshold"), std::string::npos);
  EXPECT_EQ(http_get(*review_port, "/").body, page.body); // and the public pages too

  // WebSub: every feed names the hub; the hub hears of each feed, /feed.atom twice (its
  // first ping got a 503 and was retried).
  const std::string hub = m_hub.url("/hub");
  EXPECT_NE(http_get(*port, "/feed.atom").body.find("<link rel=\"hub\" href=\"" + hub + "\""),
            std::string::npos);
  EXPECT_NE(http_get(*port, "/topics/box-office.rss")
                .body.find("<atom:link href=\"" + hub + "\" rel=\"hub\""),
            std::string::npos);
  EXPECT_NE(http_get(*port, "/feed.json").body.find("\"type\": \"WebSub\""), std::string::npos);
  const std::string base = "http%3A%2F%2F127.0.0.1%3A" + std::to_string(*port);
  const std::vector<std::string> feeds = {"%2Ffeed.atom",
                                          "%2Ffeed.rss",
                                          "%2Ffeed.json",
                                          "%2Ftopics%2Fai-hollywood.atom",
                                          "%2Ftopics%2Fai-hollywood.rss",
                                          "%2Ftopics%2Fai-hollywood.json",
                                          "%2Ftopics%2Fbox-office.atom",
                                          "%2Ftopics%2Fbox-office.rss",
                                          "%2Ftopics%2Fbox-office.json"};
  ASSERT_TRUE(eventually(
      [&] {
        const auto bodies = pinged();
        for (const std::string& f : feeds) {
          const std::string want = "hub.mode=publish&hub.url=" + base + f;
          if (std::find(bodies.begin(), bodies.end(), want) == bodies.end()) {
            return false;
          }
        }
        return std::count(bodies.begin(), bodies.end(),
                          "hub.mode=publish&hub.url=" + base + "%2Ffeed.atom") >= 2;
      },
      k_wait))
      << daemon.log();
  EXPECT_NE(daemon.log().find("websub_ping_failed url=http://127.0.0.1:" + std::to_string(*port) +
                              "/feed.atom err=\"HTTP 503\" attempt=1 retry=yes"),
            std::string::npos)
      << daemon.log();

  // A reload republishes the same documents: nothing for the hub.
  const std::size_t before = daemon.log().size();
  daemon.signal(SIGHUP);
  ASSERT_TRUE(eventually(
      [&] {
        const std::string log = daemon.log();
        const std::size_t reloaded = log.find("info reloaded", before);
        return reloaded != std::string::npos &&
               log.find("info published", reloaded) != std::string::npos;
      },
      k_wait))
      << daemon.log();
  const std::string log = daemon.log();
  const std::size_t line = log.find("info published", log.find("info reloaded", before));
  EXPECT_NE(log.find("websub_pings=0", line), std::string::npos) << log.substr(line);

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(k_wait), 0);
}

} // namespace
} // namespace reelfeed::e2e
