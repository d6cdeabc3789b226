// Durability: SIGKILL the real `reelfeed` binary again and again while it stores a large
// local corpus, then check that the database is intact, that nothing committed before a
// kill was lost, and that no item or story was stored twice. Skips when the binary has not
// been built.

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>

#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "child.hpp"
#include "support/temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
constexpr int k_feeds = 24;
constexpr int k_items_per_round = 40;

/// Distinct words for one story, so unrelated items never look like near-duplicates.
std::string words_for(const std::string& key, int n) {
  static const char* k_syl[] = {"ka",  "lo",  "mi",  "ne",  "ru",  "sa",  "ti",
                                "vo",  "da",  "pe",  "gri", "stu", "bel", "mor",
                                "zan", "qui", "fen", "hol", "jax", "wyn"};
  std::uint64_t h = std::hash<std::string>{}(key);
  std::string out;
  for (int i = 0; i < n; ++i) {
    h = h * 6364136223846793005ULL + 1442695040888963407ULL;
    out += (i ? " " : "");
    for (int k = 0; k < 3; ++k)
      out += k_syl[(h >> (20 + 5 * k)) % 20];
  }
  return out;
}

/// One RSS 2.0 feed holding every item published so far (newest first), ~1 KB each.
std::string feed_xml(int feed, int rounds) {
  std::string x = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>"
                  "<title>Crash feed " +
                  std::to_string(feed) +
                  "</title>"
                  "<link>https://feed" +
                  std::to_string(feed) + ".example/</link>";
  for (int r = rounds - 1; r >= 0; --r) {
    for (int i = k_items_per_round - 1; i >= 0; --i) {
      const std::string id =
          std::to_string(feed) + "-" + std::to_string(r) + "-" + std::to_string(i);
      // Every third feed carries a wire copy of feed 0's item: cross-source clustering.
      const bool wire = feed % 3 == 1 && i % 4 == 0;
      const std::string topic = wire ? "0-" + std::to_string(r) + "-" + std::to_string(i) : id;
      x += "<item><guid isPermaLink=\"false\">urn:crash:" + id +
           "</guid>"
           "<title>" +
           words_for(topic, 9) + "</title><link>https://feed" + std::to_string(feed) +
           ".example/news/" + id +
           "?utm_source=rss</link>"
           "<pubDate>Mon, 23 Nov 2026 " +
           std::to_string(10 + r % 10) + ":" + std::to_string(10 + i % 50) +
           ":00 GMT</pubDate><description>" + words_for(topic + "lede", 40) + " " +
           std::string(600, 'x') + "</description></item>\n";
    }
  }
  return x + "</channel></rss>\n";
}

struct Snapshot {
  bool integrity_ok = false;
  std::set<std::string> identities; ///< "source|guid"
  int duplicate_items = 0;          ///< same (source, guid) stored twice
  int split_urls = 0;               ///< one canonical URL in two stories
  int orphan_entries = 0;
};

Snapshot inspect(const fs::path& db_path) {
  Snapshot s;
  if (!fs::exists(db_path)) {
    s.integrity_ok = true;
    return s;
  }
  SQLite::Database db(db_path.string(), SQLite::OPEN_READONLY);
  s.integrity_ok = db.execAndGet("PRAGMA integrity_check").getString() == "ok";
  if (db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'entries'").getInt() == 0)
    return s;
  SQLite::Statement q(db,
                      "SELECT s.name, e.guid FROM entries e JOIN sources s ON s.id = e.source_id");
  while (q.executeStep())
    s.identities.insert(q.getColumn(0).getString() + "|" + q.getColumn(1).getString());
  s.duplicate_items = db.execAndGet("SELECT count(*) FROM (SELECT 1 FROM entries GROUP BY "
                                    "source_id, guid HAVING count(*) > 1)")
                          .getInt();
  s.split_urls = db.execAndGet("SELECT count(*) FROM (SELECT 1 FROM entries WHERE canonical_url "
                               "<> '' GROUP BY canonical_url HAVING count(DISTINCT story_id) > 1)")
                     .getInt();
  s.orphan_entries = db.execAndGet("SELECT count(*) FROM entries WHERE story_id NOT IN "
                                   "(SELECT id FROM stories)")
                         .getInt();
  return s;
}

TEST(Crash, SigkillDuringIngestLosesNothingCommittedAndDuplicatesNothing) {
  const fs::path binary = REELFEED_BINARY;
  if (!fs::exists(binary))
    GTEST_SKIP() << "reelfeed binary not built: " << binary;
  reelfeed::test::TempDir dir;
  const fs::path db = dir.path() / "crash.db";
  const fs::path log = dir.path() / "reelfeed.log";
  const std::string config = reelfeed::e2e::file_sources_config(db, dir.path(), k_feeds);
  const fs::path cfg = dir.write("crash.toml", config);

  std::mt19937 rng(20261128);
  Snapshot committed;
  int kills = 0;
  int mid_ingest_kills = 0; ///< kills that left some, but not all, of a round's items stored
  // Three kills per round. By hand, for the long run: REELFEED_CRASH_ROUNDS=34 (102 kills).
  const char* rounds_env = std::getenv("REELFEED_CRASH_ROUNDS");
  const int rounds = rounds_env != nullptr ? std::max(1, std::atoi(rounds_env)) : 8;
  for (int round = 1; round <= rounds; ++round) {
    for (int f = 0; f < k_feeds; ++f)
      dir.write("feed" + std::to_string(f) + ".xml", feed_xml(f, round));
    // Several kills per round at random moments, then one poll that may finish.
    for (int attempt = 0; attempt < 3; ++attempt) {
      const pid_t pid = reelfeed::e2e::start_reelfeed({"poll", "-c", cfg.string()}, log);
      std::this_thread::sleep_for(
          std::chrono::milliseconds(std::uniform_int_distribution<int>(30, 400)(rng)));
      kill(pid, SIGKILL);
      reelfeed::e2e::wait_child(pid);
      ++kills;
      const Snapshot now = inspect(db);
      ASSERT_TRUE(now.integrity_ok) << "after kill " << kills;
      for (const auto& id : committed.identities)
        ASSERT_TRUE(now.identities.count(id))
            << "lost committed entry " << id << " after kill " << kills;
      EXPECT_EQ(now.duplicate_items, 0);
      EXPECT_EQ(now.split_urls, 0);
      EXPECT_EQ(now.orphan_entries, 0);
      const auto round_total = static_cast<std::size_t>(k_feeds * round * k_items_per_round);
      if (now.identities.size() > committed.identities.size() &&
          now.identities.size() < round_total)
        ++mid_ingest_kills;
      committed = now;
    }
  }
  // Let polls finish: every item of every feed is stored exactly once. After many kills in
  // a row a feed's backlog may exceed [poll] max_items_per_fetch, and then it takes a few.
  Snapshot final_state;
  for (int poll = 0; poll < 20; ++poll) {
    const pid_t pid = reelfeed::e2e::start_reelfeed({"poll", "-c", cfg.string()}, log);
    ASSERT_EQ(reelfeed::e2e::wait_child(pid), 0) << "see " << log;
    const std::size_t before = final_state.identities.size();
    final_state = inspect(db);
    if (poll > 0 && final_state.identities.size() == before)
      break;
  }
  ASSERT_TRUE(final_state.integrity_ok);
  for (const auto& id : committed.identities)
    EXPECT_TRUE(final_state.identities.count(id)) << id;
  EXPECT_EQ(final_state.identities.size(),
            static_cast<std::size_t>(k_feeds * rounds * k_items_per_round));
  EXPECT_EQ(final_state.duplicate_items, 0);
  EXPECT_EQ(final_state.split_urls, 0);
  // Wire copies joined feed 0's stories: fewer stories than entries, none duplicated.
  SQLite::Database check(db.string(), SQLite::OPEN_READONLY);
  EXPECT_LT(check.execAndGet("SELECT count(*) FROM stories").getInt(),
            check.execAndGet("SELECT count(*) FROM entries").getInt());
  EXPECT_EQ(check
                .execAndGet("SELECT count(*) FROM (SELECT 1 FROM entries e JOIN sources s ON "
                            "s.id = e.source_id WHERE s.name = 'feed0' GROUP BY e.story_id "
                            "HAVING count(*) > 1)")
                .getInt(),
            0);
  std::cout << "[ crash    ] " << kills << " SIGKILLs (" << mid_ingest_kills
            << " in the middle of storing a round), " << final_state.identities.size()
            << " entries intact\n";
}

} // namespace
