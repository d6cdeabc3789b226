// Redirects into internal networks, through the real `reelfeed poll`: a source that answers
// with a redirect to an address of another class than its own (here the source is on
// loopback, the targets are "unspecified" 0.0.0.0 -- which Linux connects to this machine --,
// private and link-local) is refused, nothing from there is stored, and a 301 does not move
// the source. `[poll] allow_private_redirects = true` lifts the rule. The 10.0.0.1 and
// 169.254.169.254 targets are refused before any connection, so nothing leaves loopback.

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "child.hpp"
#include "e2e_config.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

const char* const k_feed = R"(<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Internal</title><link>https://internal.example/</link>
<item><title>Internal admin page copied into the feed</title><guid>internal-1</guid>
<link>https://internal.example/admin</link>
<pubDate>Fri, 20 Nov 2026 18:00:00 GMT</pubDate></item>
</channel></rss>
)";

class SsrfE2E : public ::testing::Test {
protected:
  test::HttpServer m_server{[](const test::HttpRequest&) { return test::HttpReply{}; }};
  test::TempDir m_dir;

  void SetUp() override {
    const std::string port = std::to_string(m_server.port());
    m_server.set_handler([port](const test::HttpRequest& req) {
      test::HttpReply reply;
      const auto to = [&](int status, const std::string& location) {
        reply.status = status;
        reply.headers.emplace_back("Location", location);
        reply.body = "moved";
      };
      if (req.target == "/old.xml") {
        to(301, "http://0.0.0.0:" + port + "/internal.xml");
      } else if (req.target == "/lan.xml") {
        to(302, "http://10.0.0.1/feed.xml");
      } else if (req.target == "/metadata.xml") {
        to(307, "http://169.254.169.254/latest/meta-data/");
      } else if (req.target == "/internal.xml") {
        reply.headers.emplace_back("Content-Type", "application/rss+xml");
        reply.body = k_feed;
      } else {
        reply.status = 404;
      }
      return reply;
    });
  }

  /// With `allow`, only the source whose target is on this machine (0.0.0.0).
  std::filesystem::path config(bool allow) {
    std::vector<std::pair<std::string, std::string>> sources = {
        {"Mover", m_server.url("/old.xml")}};
    if (!allow) {
      sources.emplace_back("Lan", m_server.url("/lan.xml"));
      sources.emplace_back("Metadata", m_server.url("/metadata.xml"));
    }
    std::string toml = make_config(sources);
    if (allow) {
      toml.replace(toml.find("[poll]\n"), 7, "[poll]\nallow_private_redirects = true\n");
    }
    return m_dir.write("reelfeed.toml", toml);
  }

  int internal_requests() const {
    int n = 0;
    for (const auto& r : m_server.requests()) {
      n += r.target == "/internal.xml" ? 1 : 0;
    }
    return n;
  }

  int stored_entries() const {
    SQLite::Database db((m_dir.path() / "reelfeed.db").string(), SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT count(*) FROM entries").getInt();
  }
};

TEST_F(SsrfE2E, RedirectsToInternalAddressesAreRefusedAndNeverMoveTheSource) {
  const auto cfg = config(false);
  // More polls than a 301 needs to move a source (sched::Policy::moves_needed = 3).
  for (int i = 0; i < 4; ++i) {
    const CmdResult run = run_reelfeed({"poll", "-c", cfg.string()});
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_NE(run.err.find("warn fetch_failed source=Mover outcome=bad_redirect"),
              std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("(unspecified) from a loopback source"), std::string::npos) << run.err;
    EXPECT_NE(run.err.find("10.0.0.1 (private) from a loopback source"), std::string::npos)
        << run.err;
    EXPECT_NE(run.err.find("169.254.169.254 (link-local) from a loopback source"),
              std::string::npos)
        << run.err;
  }
  EXPECT_EQ(internal_requests(), 0);
  EXPECT_EQ(stored_entries(), 0);
  // Not moved, not about to be: the stored status keeps the configured URL.
  SQLite::Database db((m_dir.path() / "reelfeed.db").string(), SQLite::OPEN_READONLY);
  const std::string mover =
      db.execAndGet("SELECT status FROM sources WHERE name = 'Mover'").getString();
  EXPECT_NE(mover.find("\"effective_url\":\"\""), std::string::npos) << mover;
  EXPECT_NE(mover.find("\"pending_move_to\":\"\""), std::string::npos) << mover;
  EXPECT_NE(mover.find("\"state\":\"backing_off\""), std::string::npos) << mover;
  const CmdResult status = run_reelfeed({"status", "-c", cfg.string()});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(status.out.find(" moved "), std::string::npos) << status.out;
}

TEST_F(SsrfE2E, AllowPrivateRedirectsFollowsThem) {
  const auto cfg = config(true);
  const CmdResult run = run_reelfeed({"poll", "-c", cfg.string()});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err.find("source=Mover outcome=bad_redirect"), std::string::npos) << run.err;
  EXPECT_EQ(internal_requests(), 1);
  EXPECT_EQ(stored_entries(), 1);
}

} // namespace
} // namespace reelfeed::e2e
