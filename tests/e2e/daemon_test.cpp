// The real daemon end to end: local HTTP sources -> poll -> parse -> store (dedup) ->
// filter -> /feed.atom; then SIGHUP with a broken config, SIGHUP with a new source, SIGTERM.

#include <csignal>

#include <gtest/gtest.h>

#include "child.hpp"
#include "e2e_config.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

using namespace std::chrono_literals;

constexpr auto k_wait = std::chrono::seconds{30};

std::size_t entries(const std::string& atom) {
  return count(atom, "<entry>") + count(atom, "<entry ");
}

class DaemonE2E : public ::testing::Test {
protected:
  test::HttpServer m_feeds{test::serve_directory(e2e_data() / "feeds")};
  test::TempDir m_dir;

  std::vector<std::pair<std::string, std::string>> base_sources() const {
    return {{"Variety", m_feeds.url("/variety.xml")}, {"Deadline", m_feeds.url("/deadline.atom")}};
  }
  bool requested(const std::string& target) const {
    for (const test::HttpRequest& r : m_feeds.requests()) {
      if (r.target == target) {
        return true;
      }
    }
    return false;
  }
};

TEST_F(DaemonE2E, ServesFilteredDedupedFeedReloadsAndStopsCleanly) {
  const auto config = m_dir.write("reelfeed.toml", make_config(base_sources()));
  Daemon daemon({"run", "-c", config.string()}, m_dir.path());
  const auto port = daemon.port();
  ASSERT_TRUE(port) << daemon.log();

  // Both sources get polled, stored and published: the relevant story appears once even
  // though two outlets carry it (same wire URL behind different tracking parameters).
  std::string feed;
  ASSERT_TRUE(eventually(
      [&] {
        feed = http_get(*port, "/feed.atom").body;
        return requested("/variety.xml") && requested("/deadline.atom") &&
               feed.find("SAG-AFTRA") != std::string::npos;
      },
      k_wait))
      << daemon.log();
  // Both ingests may land in separate publishes; wait until the Deadline sighting is folded.
  ASSERT_TRUE(daemon.wait_log("source=Deadline", k_wait)) << daemon.log();
  ASSERT_TRUE(eventually(
      [&] {
        feed = http_get(*port, "/feed.atom").body;
        return daemon.log().find("source=Variety status=200") != std::string::npos &&
               daemon.log().find("source=Deadline status=200") != std::string::npos &&
               daemon.log().rfind("info published") >
                   daemon.log().find("source=Deadline status=200");
      },
      k_wait))
      << daemon.log();
  feed = http_get(*port, "/feed.atom").body;
  EXPECT_EQ(entries(feed), 1u) << feed;
  EXPECT_EQ(count(feed, "urn:reelfeed:story:"), 1u) << feed;
  EXPECT_EQ(feed.find("Box Office"), std::string::npos);
  EXPECT_EQ(feed.find("Taiwan"), std::string::npos);
  EXPECT_EQ(feed.find("Netflix"), std::string::npos);
  EXPECT_NE(feed.find("<feed xmlns=\"http://www.w3.org/2005/Atom\""), std::string::npos);

  // Every topic has its own outputs; the first topic is also /feed.*.
  const HttpResponse box = http_get(*port, "/topics/box-office.atom");
  EXPECT_EQ(box.status, 200);
  EXPECT_EQ(entries(box.body), 1u) << box.body;
  EXPECT_NE(box.body.find("Midnight Harbor"), std::string::npos);
  const std::string topic_feed = http_get(*port, "/topics/ai-hollywood.atom").body;
  EXPECT_EQ(entries(topic_feed), 1u);
  EXPECT_NE(topic_feed.find("urn:reelfeed:story:"), std::string::npos);
  EXPECT_NE(topic_feed.find("/topics/ai-hollywood.atom"), std::string::npos);
  const HttpResponse rss = http_get(*port, "/feed.rss");
  EXPECT_EQ(rss.status, 200);
  EXPECT_NE(rss.body.find("<rss"), std::string::npos);
  const HttpResponse json = http_get(*port, "/feed.json");
  EXPECT_EQ(json.status, 200);
  EXPECT_NE(json.body.find("https://jsonfeed.org/version/1.1"), std::string::npos);
  const HttpResponse health = http_get(*port, "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body.rfind("ok", 0), 0u) << health.body;
  const HttpResponse metrics = http_get(*port, "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.headers.at("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("\nreelfeed_source_state{source=\"Variety\",state=\"ok\"} 1\n"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("\nreelfeed_source_last_http_status{source=\"Deadline\"} 200\n"),
            std::string::npos)
      << metrics.body;
  EXPECT_EQ(http_get(*port, "/no-such-path").status, 404);

  // HTTP caching: the ETag of the served document gives a 304.
  HttpResponse first = http_get(*port, "/feed.atom");
  ASSERT_FALSE(first.headers["etag"].empty());
  EXPECT_EQ(http_get(*port, "/feed.atom", {{"If-None-Match", first.headers.at("etag")}}).status,
            304);

  // A broken config on SIGHUP: every error is logged with FILE:LINE:COL, the old config
  // stays, the feed is still served.
  m_dir.write("reelfeed.toml", make_config(base_sources()) + "\n[server\nlisten = 12\n");
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_log("reload_rejected", k_wait)) << daemon.log();
  EXPECT_NE(daemon.log().find("error config_error err=\"" + config.string() + ":"),
            std::string::npos)
      << daemon.log();
  EXPECT_EQ(entries(http_get(*port, "/feed.atom").body), 1u);

  // A valid config with one more source on SIGHUP: the new source is polled and its
  // relevant story joins the output.
  auto sources = base_sources();
  sources.emplace_back("Late", m_feeds.url("/late.xml"));
  m_dir.write("reelfeed.toml", make_config(sources));
  daemon.signal(SIGHUP);
  ASSERT_TRUE(daemon.wait_log("info reloaded", k_wait)) << daemon.log();
  ASSERT_TRUE(eventually(
      [&] {
        feed = http_get(*port, "/feed.atom").body;
        return feed.find("De-Age") != std::string::npos;
      },
      k_wait))
      << daemon.log();
  EXPECT_TRUE(requested("/late.xml"));
  EXPECT_EQ(entries(feed), 2u) << feed;

  // SIGTERM: a clean stop with exit status 0.
  daemon.signal(SIGTERM);
  const std::optional<int> code = daemon.wait_exit(k_wait);
  ASSERT_TRUE(code) << daemon.log();
  EXPECT_EQ(*code, 0) << daemon.log();
  EXPECT_NE(daemon.log().find("info stopped"), std::string::npos);
}

TEST_F(DaemonE2E, KeepsServingWhenOneSourceFailsAndSigintStops) {
  auto sources = base_sources();
  sources.emplace_back("Broken", m_feeds.url("/not-a-feed.html"));
  sources.emplace_back("Missing", m_feeds.url("/missing.xml"));
  const auto config = m_dir.write("reelfeed.toml", make_config(sources));
  Daemon daemon({"run", "-c", config.string()}, m_dir.path());
  const auto port = daemon.port();
  ASSERT_TRUE(port) << daemon.log();
  ASSERT_TRUE(eventually(
      [&] { return http_get(*port, "/feed.atom").body.find("SAG-AFTRA") != std::string::npos; },
      k_wait))
      << daemon.log();
  // The HTML page is a source failure with a clear message; the 404 too.
  ASSERT_TRUE(daemon.wait_log("source=Broken", k_wait)) << daemon.log();
  ASSERT_TRUE(daemon.wait_log("source=Missing", k_wait)) << daemon.log();
  EXPECT_NE(daemon.log().find("outcome=not_a_feed status=200 err=\"not a feed"), std::string::npos)
      << daemon.log();
  // The page's own feed link, made absolute, is what the user should have configured.
  EXPECT_NE(daemon.log().find("names a feed at " + m_feeds.url("/variety.xml")), std::string::npos)
      << daemon.log();
  daemon.signal(SIGINT);
  const std::optional<int> code = daemon.wait_exit(k_wait);
  ASSERT_TRUE(code) << daemon.log();
  EXPECT_EQ(*code, 0);
}

TEST_F(DaemonE2E, RestartServesStoredFeedBeforeAnyPoll) {
  const auto config = m_dir.write("reelfeed.toml", make_config(base_sources()));
  {
    const CmdResult poll = run_reelfeed({"poll", "-c", config.string()});
    ASSERT_EQ(poll.exit_code, 0) << poll.err;
  }
  // The sources now answer nothing useful: what the daemon serves comes from the store.
  m_feeds.set_handler([](const test::HttpRequest&) { return test::HttpReply{503, {}, "down"}; });
  Daemon daemon({"run", "-c", config.string()}, m_dir.path());
  const auto port = daemon.port();
  ASSERT_TRUE(port) << daemon.log();
  ASSERT_TRUE(daemon.wait_log("info ready", k_wait)) << daemon.log();
  const std::string feed = http_get(*port, "/feed.atom").body;
  EXPECT_EQ(entries(feed), 1u) << feed;
  EXPECT_NE(feed.find("SAG-AFTRA"), std::string::npos);
  // `reelfeed render` prints the default topic's document as the daemon serves it at
  // /topics/NAME.atom: same self link path and the same entries. /feed.atom is that
  // document naming its own URL as self link (what validators and readers expect).
  const std::string topic_doc = http_get(*port, "/topics/ai-hollywood.atom").body;
  const CmdResult rendered = run_reelfeed({"render", "-c", config.string()});
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  const auto self_path = [](const std::string& doc) {
    const std::string key = "rel=\"self\" href=\"";
    const auto at = doc.find(key);
    if (at == std::string::npos)
      return std::string();
    const auto href = at + key.size();
    const auto path = doc.find('/', doc.find("//", href) + 2);
    return doc.substr(path, doc.find('"', href) - path);
  };
  EXPECT_EQ(self_path(feed), "/feed.atom") << feed;
  EXPECT_EQ(self_path(topic_doc), "/topics/ai-hollywood.atom") << topic_doc;
  EXPECT_EQ(self_path(rendered.out), self_path(topic_doc)) << rendered.out;
  ASSERT_NE(feed.find("<entry>"), std::string::npos);
  EXPECT_EQ(rendered.out.substr(rendered.out.find("<entry>")), feed.substr(feed.find("<entry>")));
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(k_wait), std::optional<int>(0));
}

} // namespace
} // namespace reelfeed::e2e
