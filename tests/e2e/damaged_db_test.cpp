// Damaged, read-only and full databases through the real binary: every command reports
// the problem in one line and exits with the documented status, never with an abort.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "child.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

namespace fs = std::filesystem;

std::string feed_xml(int feed, int n) {
  std::string x = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>F" +
                  std::to_string(feed) + "</title><link>https://f" + std::to_string(feed) +
                  ".example/</link>";
  for (int i = 0; i < n; ++i) {
    const std::string id = std::to_string(feed) + "-" + std::to_string(i);
    x += "<item><guid>g" + id + "</guid><title>Studio AI story " + id + " w" +
         std::to_string(i * 7919 + feed) + "</title><link>https://f" + std::to_string(feed) +
         ".example/" + id +
         "</link><pubDate>Mon, 23 Nov 2026 10:00:00 GMT</pubDate>"
         "<description>" +
         std::string(300, 'x') + "</description></item>";
  }
  return x + "</channel></rss>";
}

class DamagedDb : public ::testing::Test {
protected:
  void SetUp() override {
    for (int f = 0; f < 3; ++f) {
      m_dir.write("feed" + std::to_string(f) + ".xml", feed_xml(f, 60));
    }
    m_cfg = m_dir.write("c.toml", file_sources_config(m_db, m_dir.path(), 3));
    const CmdResult poll = run_reelfeed({"poll", "-c", m_cfg.string()});
    ASSERT_EQ(poll.exit_code, 0) << poll.err;
  }

  /// Overwrites the first page of each table with garbage, as a disk or a stray write would.
  void damage(const std::vector<std::string>& tables) {
    std::vector<std::int64_t> pages;
    std::int64_t page_size = 0;
    {
      SQLite::Database db(m_db.string(), SQLite::OPEN_READWRITE);
      db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      page_size = db.execAndGet("PRAGMA page_size").getInt64();
      for (const std::string& t : tables) {
        pages.push_back(db.execAndGet("SELECT rootpage FROM sqlite_master WHERE name = '" + t + "'")
                            .getInt64());
      }
    }
    std::fstream f(m_db, std::ios::in | std::ios::out | std::ios::binary);
    const std::string garbage(static_cast<std::size_t>(page_size), '\xA5');
    for (const std::int64_t page : pages) {
      f.seekp((page - 1) * page_size);
      f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
  }

  /// Runs `reelfeed ARGS -c CONFIG`: exit 1 and one line saying the database is damaged.
  void expect_damaged(const std::vector<std::string>& args) {
    std::vector<std::string> argv = args;
    argv.insert(argv.end(), {"-c", m_cfg.string()});
    const CmdResult r = run_reelfeed(argv);
    const std::string what = args.front() + (args.size() > 1 ? " " + args[1] : "");
    EXPECT_EQ(r.exit_code, 1) << what << "\n" << r.err;
    EXPECT_EQ(count(r.err, "\n"), 1U) << what << "\n" << r.err;
    EXPECT_NE(r.err.find("the database " + m_db.string() + " is damaged"), std::string::npos)
        << what << "\n"
        << r.err;
  }

  test::TempDir m_dir;
  fs::path m_db = m_dir.path() / "r.db";
  fs::path m_cfg;
};

TEST_F(DamagedDb, EveryCommandReportsADamagedDatabaseInOneLine) {
  damage({"sources", "stories", "entries"});
  expect_damaged({"status"});
  expect_damaged({"render"});
  expect_damaged({"render", "--all"});
  expect_damaged({"render", "--format", "json"});
  expect_damaged({"explain", "https://f0.example/0-1"});
  expect_damaged({"rules", "test"});
  const CmdResult poll = run_reelfeed({"poll", "-c", m_cfg.string()});
  EXPECT_EQ(poll.exit_code, 1) << poll.err;
  EXPECT_NE(poll.err.find("is damaged"), std::string::npos) << poll.err;
}

TEST_F(DamagedDb, StoriesDamagedButSourcesIntact) {
  damage({"stories"});
  const CmdResult status = run_reelfeed({"status", "-c", m_cfg.string()});
  EXPECT_EQ(status.exit_code, 0) << status.err; // what it reads is intact
  expect_damaged({"render"});
  expect_damaged({"render", "--format", "rss"});
}

TEST_F(DamagedDb, AReadOnlyFileSystemIsCalledThat) {
  // A read-only bind mount in a private mount namespace (skipped where that is not allowed).
  if (std::system("unshare -rm true >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "unshare -rm is not available";
  }
  const fs::path out = m_dir.path() / "ro.err";
  for (const std::string cmd : {"status", "render", "poll"}) {
    const std::string dir = m_dir.path().string();
    const std::string sh = "mount --bind '" + dir + "' '" + dir +
                           "' && mount -o remount,bind,ro '" + dir + "' && exec '" +
                           REELFEED_BINARY + "' " + cmd + " -c '" + m_cfg.string() + "'";
    const std::string line = "unshare -rm sh -c \"" + sh + "\" >/dev/null 2>'" + out.string() + "'";
    const int rc = std::system(line.c_str());
    const std::string err = read_file(out);
    EXPECT_TRUE(WIFEXITED(rc) && WEXITSTATUS(rc) == 1) << cmd << ": " << rc << "\n" << err;
    EXPECT_NE(err.find("is read-only"), std::string::npos) << cmd << "\n" << err;
    EXPECT_EQ(err.find("may not read"), std::string::npos) << cmd << "\n" << err;
  }
}

} // namespace
} // namespace reelfeed::e2e
