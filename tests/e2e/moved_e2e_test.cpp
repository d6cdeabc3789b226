// Moved and gone sources end to end: a source whose URL answers 301 moves (in the state database,
// never in the config file) after the scheduler's consistent-redirect count, and is then polled at
// its new URL directly; a 410 source is marked gone and `reelfeed poll` no longer requests
// it. `reelfeed poll` polls every enabled source that is not gone, whatever its next_due
// (src/app/cmd_poll.cpp), so each run below is one real poll.

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "child.hpp"
#include "e2e_config.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

// sched::Policy::moves_needed; the app keeps the default (src/app/settings.cpp poll_policy).
constexpr int k_moves_needed = 3;

const char* const k_feed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Moved fixture</title><link>https://moved.example/</link>
<description>fixture</description>
<item><title>Studio Tests AI Dubbing on Its Film Slate</title><guid>moved-1</guid>
<link>https://moved.example/2026/11/ai-dubbing</link>
<pubDate>Fri, 20 Nov 2026 18:00:00 GMT</pubDate><description>A pilot.</description></item>
</channel></rss>
)";

class MovedE2E : public ::testing::Test {
protected:
  test::HttpServer m_server{[](const test::HttpRequest&) { return test::HttpReply{}; }};
  test::TempDir m_dir;
  std::filesystem::path m_config;
  std::string m_config_bytes;

  void SetUp() override {
    const std::string new_url = m_server.url("/new/feed.xml");
    m_server.set_handler([new_url](const test::HttpRequest& req) {
      test::HttpReply reply;
      if (req.target == "/old.xml") {
        reply.status = 301;
        reply.headers.emplace_back("Location", new_url);
        reply.body = "moved";
      } else if (req.target == "/new/feed.xml") {
        reply.headers.emplace_back("Content-Type", "application/rss+xml");
        reply.body = k_feed;
      } else if (req.target == "/gone.xml") {
        reply.status = 410;
        reply.body = "gone";
      } else {
        reply.status = 404;
      }
      return reply;
    });
    m_config = m_dir.write("reelfeed.toml", make_config({{"Mover", m_server.url("/old.xml")},
                                                         {"Goner", m_server.url("/gone.xml")}}));
    m_config_bytes = read_file(m_config);
  }

  // Targets requested during one `reelfeed poll`.
  std::vector<std::string> poll() {
    const std::size_t before = m_server.requests().size();
    const CmdResult run = run_reelfeed({"poll", "-c", m_config.string()});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::vector<std::string> targets;
    const auto all = m_server.requests();
    for (std::size_t i = before; i < all.size(); ++i) {
      targets.push_back(all[i].target);
    }
    return targets;
  }

  std::map<std::string, std::string> status_rows() {
    const CmdResult run = run_reelfeed({"status", "-c", m_config.string()});
    EXPECT_EQ(run.exit_code, 0) << run.err;
    std::map<std::string, std::string> rows;
    std::istringstream lines(run.out);
    std::string line;
    std::getline(lines, line); // header
    while (std::getline(lines, line)) {
      rows[line.substr(0, line.find(' '))] = line;
    }
    return rows;
  }
};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST_F(MovedE2E, PermanentRedirectMovesSourceAfterConsistentPollsWithoutTouchingConfig) {
  const std::string new_url = m_server.url("/new/feed.xml");
  for (int i = 1; i <= k_moves_needed; ++i) {
    const auto targets = poll();
    EXPECT_TRUE(contains(targets, "/old.xml")) << "poll " << i;
    EXPECT_TRUE(contains(targets, "/new/feed.xml")) << "poll " << i;
    const auto rows = status_rows();
    ASSERT_TRUE(rows.count("Mover"));
    if (i < k_moves_needed) {
      // Not yet: one or two 301s could be a publisher's mistake.
      EXPECT_EQ(rows.at("Mover").find("moved to"), std::string::npos) << rows.at("Mover");
      EXPECT_NE(rows.at("Mover").find("redirects to " + new_url), std::string::npos)
          << rows.at("Mover");
      // The state column says the move is coming (the source itself is healthy).
      EXPECT_NE(rows.at("Mover").find(" moving "), std::string::npos) << rows.at("Mover");
    }
  }
  const auto rows = status_rows();
  ASSERT_TRUE(rows.count("Mover"));
  EXPECT_NE(rows.at("Mover").find(" moved "), std::string::npos) << rows.at("Mover");
  EXPECT_EQ(rows.at("Mover").find(" moving "), std::string::npos) << rows.at("Mover");
  EXPECT_NE(rows.at("Mover").find("moved to " + new_url), std::string::npos) << rows.at("Mover");

  // The next poll goes to the new URL directly.
  const auto targets = poll();
  EXPECT_FALSE(contains(targets, "/old.xml"));
  EXPECT_TRUE(contains(targets, "/new/feed.xml"));

  // The user's config is never rewritten.
  EXPECT_EQ(read_file(m_config), m_config_bytes);

  // The feed's entry was stored from the new URL.
  const CmdResult all = run_reelfeed({"render", "-c", m_config.string(), "--all"});
  ASSERT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("AI Dubbing"), std::string::npos) << all.out;
}

TEST_F(MovedE2E, GoneSourceIsShownGoneAndNotRequestedAgain) {
  const auto first = poll();
  EXPECT_EQ(std::count(first.begin(), first.end(), "/gone.xml"), 1);
  const auto rows = status_rows();
  ASSERT_TRUE(rows.count("Goner"));
  EXPECT_NE(rows.at("Goner").find(" gone "), std::string::npos) << rows.at("Goner");
  EXPECT_NE(rows.at("Goner").find(" 410 "), std::string::npos) << rows.at("Goner");

  const auto second = poll();
  EXPECT_FALSE(contains(second, "/gone.xml"));
  EXPECT_TRUE(contains(second, "/old.xml")); // the other source is still polled
  const auto later = status_rows();
  ASSERT_TRUE(later.count("Goner"));
  EXPECT_NE(later.at("Goner").find(" gone "), std::string::npos) << later.at("Goner");
  EXPECT_EQ(read_file(m_config), m_config_bytes);
}

} // namespace
} // namespace reelfeed::e2e
