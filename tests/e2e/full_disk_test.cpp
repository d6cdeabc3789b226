// A full disk while storing: the real `reelfeed poll` runs with a file-size limit
// (RLIMIT_FSIZE) just above the database's size, so SQLite's writes fail part-way through
// a feed's transaction exactly as they do when the disk fills up. The poll must report a
// clear error, not crash, keep every entry committed before, and store everything once
// the space is back.

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "child.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

namespace fs = std::filesystem;
constexpr int k_feeds = 3;

/// RSS with items [0, n) of one feed, newest first, each with a ~2 KB description.
std::string feed_xml(int feed, int n) {
  std::string x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                  "<title>Disk feed " +
                  std::to_string(feed) + "</title><link>https://disk" + std::to_string(feed) +
                  ".example/</link>";
  for (int i = n - 1; i >= 0; --i) {
    const std::string id = std::to_string(feed) + "-" + std::to_string(i);
    std::string words;
    for (int w = 0; w < 12; ++w)
      words += " w" + std::to_string((i * 31 + w * 7 + feed * 1009) % 100003);
    x += "<item><guid isPermaLink=\"false\">urn:disk:" + id + "</guid><title>Story" + words +
         "</title><link>https://disk" + std::to_string(feed) + ".example/news/" + id +
         "</link><pubDate>Mon, 23 Nov 2026 10:" + std::to_string(10 + i % 50) +
         ":00 GMT</pubDate><description>" + words + " " + std::string(2000, 'x') +
         "</description></item>\n";
  }
  return x + "</channel></rss>\n";
}

/// Runs `reelfeed ARGS` to completion, with `fsize_limit` > 0 under that RLIMIT_FSIZE.
int run_limited(const std::vector<std::string>& args,
                const fs::path& log,
                unsigned long long fsize_limit) {
  return wait_child(start_reelfeed(args, log, fsize_limit));
}

std::set<std::string> stored_guids(const fs::path& db) {
  SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
  EXPECT_EQ(d.execAndGet("PRAGMA integrity_check").getString(), "ok");
  EXPECT_EQ(d.execAndGet("SELECT count(*) FROM (SELECT 1 FROM entries GROUP BY source_id, guid "
                         "HAVING count(*) > 1)")
                .getInt(),
            0);
  std::set<std::string> out;
  SQLite::Statement q(d, "SELECT guid FROM entries");
  while (q.executeStep())
    out.insert(q.getColumn(0).getString());
  return out;
}

TEST(FullDisk, WritesFailingMidFeedLoseNothingAndCatchUpLater) {
  test::TempDir dir;
  const fs::path db = dir.path() / "disk.db";
  const std::string config = file_sources_config(db, dir.path(), k_feeds);
  const fs::path cfg = dir.write("disk.toml", config);
  const std::vector<std::string> poll = {"poll", "-c", cfg.string()};

  // 1. Room on the disk: 10 items per feed are stored.
  for (int f = 0; f < k_feeds; ++f)
    dir.write("feed" + std::to_string(f) + ".xml", feed_xml(f, 10));
  ASSERT_EQ(run_limited(poll, dir.path() / "1.log", 0), 0) << read_file(dir.path() / "1.log");
  const std::set<std::string> before = stored_guids(db);
  ASSERT_EQ(before.size(), static_cast<std::size_t>(k_feeds * 10));

  // 2. The disk fills up: 200 more items per feed (~400 KB each) against a limit 64 KB
  //    above the database file. Every feed's transaction fails part-way through.
  for (int f = 0; f < k_feeds; ++f)
    dir.write("feed" + std::to_string(f) + ".xml", feed_xml(f, 210));
  const auto limit = static_cast<unsigned long long>(fs::file_size(db) + 64 * 1024);
  const int full = run_limited(poll, dir.path() / "2.log", limit);
  const std::string log = read_file(dir.path() / "2.log");
  EXPECT_LT(full, 128) << "killed by a signal instead of reporting the error\n" << log;
  for (int f = 0; f < k_feeds; ++f) // once each, whether or not its status could be saved
    EXPECT_EQ(count(log, "error store_failed source=feed" + std::to_string(f) + " "), 1U) << log;
  EXPECT_NE(log.find("failed=3"), std::string::npos) << "store failures must count\n" << log;
  EXPECT_EQ(full, 2) << "a poll that could not store must exit 2\n" << log;
  EXPECT_TRUE(log.find("disk is full") != std::string::npos ||
              log.find("disk I/O error") != std::string::npos)
      << log;
  const std::set<std::string> during = stored_guids(db);
  for (const std::string& guid : before)
    EXPECT_TRUE(during.count(guid)) << "lost " << guid;
  EXPECT_LT(during.size(), static_cast<std::size_t>(k_feeds * 210)) << "the limit did not bite";

  // 3. Space again: the same bodies are fetched, parsed and stored in full (no digest or
  //    validator from the failed attempt makes the poll skip them).
  ASSERT_EQ(run_limited(poll, dir.path() / "3.log", 0), 0) << read_file(dir.path() / "3.log");
  const std::set<std::string> after = stored_guids(db);
  EXPECT_EQ(after.size(), static_cast<std::size_t>(k_feeds * 210));
  for (const std::string& guid : before)
    EXPECT_TRUE(after.count(guid)) << "lost " << guid;
}

TEST(FullDisk, ANewDatabaseWithNoRoomForItsSchemaExits2) {
  test::TempDir dir;
  const fs::path db = dir.path() / "new.db";
  dir.write("feed0.xml", feed_xml(0, 3));
  const fs::path cfg = dir.write("disk.toml", file_sources_config(db, dir.path(), 1));
  const int code = run_limited({"poll", "-c", cfg.string()}, dir.path() / "new.log", 8 * 1024);
  const std::string log = read_file(dir.path() / "new.log");
  EXPECT_EQ(code, 2) << "a full disk is a full disk, also while creating the schema\n" << log;
  EXPECT_EQ(count(log, "\n"), 1U) << log;
  EXPECT_NE(log.find("error startup_failed"), std::string::npos) << log;
  EXPECT_TRUE(log.find("no room to write the database") != std::string::npos ||
              log.find("the disk failed") != std::string::npos)
      << log;
}

} // namespace
} // namespace reelfeed::e2e
