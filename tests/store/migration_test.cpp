// Migrations: a database left at an older schema version is brought up to date in place,
// keeping its data.

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/store.hpp"
#include "store/store_impl.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::feed_of;
using test::item;
using test::status_of;

TEST(Migration, Version1DatabaseIsUpgradedKeepingItsStories) {
  test::TempDir dir;
  const auto path = dir.path() / "v1.db";
  {
    // A database as the version-1 daemon left it, with one stored story.
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode = WAL");
    db.exec(migrations().at(0));
    db.exec("PRAGMA user_version = 1");
    db.exec("PRAGMA application_id = " + std::to_string(k_application_id));
    db.exec("INSERT INTO sources(id, name, url, tags) VALUES (1, 'Variety', 'u', '[\"trade\"]')");
    db.exec("INSERT INTO stories(id, uid, rep_entry_id, link, published, updated, last_activity) "
            "VALUES (7, 'urn:reelfeed:story:7', 1, 'https://variety.com/a', 1795000000, "
            "1795000000, 1795000000)");
    db.exec("INSERT INTO entries(id, source_id, story_id, identity, guid, link, canonical_url, "
            "title, first_seen, last_seen, sort_time, content_hash, sig) VALUES (1, 1, 7, 'g:v1', "
            "'v1', 'https://variety.com/a', 'https://variety.com/a', 'Old Story', 1795000000, "
            "1795000000, 1795000000, 42, zeroblob(128))");
  }
  Store store(path);
  {
    SQLite::Database db(path.string());
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), k_schema_version);
    // v2 added entries_sort_time, v7 dropped it again (retention uses entries_source_time).
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'entries_sort_time'")
                  .getInt(),
              0);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = "
                            "'entries_source_time'")
                  .getInt(),
              1);
    // v5 rebuilt the LSH table from the stored signature: one row (10 band hashes).
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM lsh WHERE entry_id = 1").getInt(), 1);
  }
  const auto stories = store.stories(Timestamp{}, 10);
  ASSERT_EQ(stories.size(), 1u);
  EXPECT_EQ(stories[0].uid, "urn:reelfeed:story:7");
  EXPECT_EQ(stories[0].title, "Old Story");
  EXPECT_EQ(stories[0].source_tags, std::vector<std::string>{"trade"});
  // And the upgraded database keeps working: the same item is not new again.
  const auto r =
      store.ingest("Variety", feed_of({item("v1", "Old Story", "https://variety.com/a", at(1))}),
                   status_of("Variety", at(2)), at(2));
  EXPECT_EQ(r.new_entries, 0);
  EXPECT_EQ(store.stories(Timestamp{}, 10).size(), 1u);
}

TEST(Migration, Version7StoriesKeepTheirIdsDecisionsAndNeverReuseAPrunedId) {
  test::TempDir dir;
  const auto path = dir.path() / "v7.db";
  {
    // A version-7 database: story 9 was created and pruned (AUTOINCREMENT remembers 9 in
    // sqlite_sequence), story 7 is still stored and has a filter decision.
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("PRAGMA journal_mode = WAL");
    for (std::size_t v = 0; v < 7; ++v)
      db.exec(migrations().at(v));
    db.exec("PRAGMA user_version = 7");
    db.exec("PRAGMA application_id = " + std::to_string(k_application_id));
    db.exec("INSERT INTO sources(id, name, url) VALUES (1, 'Variety', 'u')");
    for (const int id : {7, 9})
      db.exec("INSERT INTO stories(id, uid, rep_entry_id, link, published, updated, "
              "last_activity) VALUES (" +
              std::to_string(id) + ", 'urn:reelfeed:story:" + std::to_string(id) +
              "', 1, 'https://variety.com/a', 1795000000, 1795000000, 1795000000)");
    db.exec("DELETE FROM stories WHERE id = 9");
    db.exec("INSERT INTO entries(id, source_id, story_id, identity, guid, link, canonical_url, "
            "title, first_seen, last_seen, sort_time, content_hash, sig) VALUES (1, 1, 7, 'g:v1', "
            "'v1', 'https://variety.com/a', 'https://variety.com/a', 'Old Story', 1795000000, "
            "1795000000, 1795000000, 42, zeroblob(128))");
    db.exec("INSERT INTO decisions(story_id, topic, published, score, threshold, reason, "
            "concepts, hits, decided_at) VALUES (7, 'ai', 1, 2.5, 1.0, 'r', '[]', '[]', 1)");
    ASSERT_EQ(db.execAndGet("SELECT seq FROM sqlite_sequence WHERE name = 'stories'").getInt(), 9);
  }
  {
    Store store(path);
    const auto r = store.ingest(
        "Variety", feed_of({item("n1", "A New Story", "https://variety.com/new", at(3))}),
        status_of("Variety", at(3)), at(3));
    EXPECT_EQ(r.new_stories, 1);
  }
  Store store(path);
  store.ingest("Variety",
               feed_of({item("n2", "Another Story", "https://variety.com/other", at(4))}),
               status_of("Variety", at(4)), at(4));
  SQLite::Database db(path.string());
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), k_schema_version);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  // The rebuilt table: no AUTOINCREMENT, no unique index on uid, only stories_activity.
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND "
                          "tbl_name = 'stories'")
                .getInt(),
            1);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM sqlite_sequence WHERE name = 'stories'").getInt(),
            0);
  // Story 7 kept its row and its decision (the rebuild cascaded nothing).
  EXPECT_EQ(db.execAndGet("SELECT uid FROM stories WHERE id = 7").getString(),
            "urn:reelfeed:story:7");
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM decisions WHERE story_id = 7").getInt(), 1);
  // Pruned 9 is never handed out again: new stories get 10, then 11 after a reopen.
  EXPECT_EQ(db.execAndGet("SELECT group_concat(id) FROM (SELECT id FROM stories ORDER BY id)")
                .getString(),
            "7,10,11");
  EXPECT_EQ(db.execAndGet("SELECT last_id FROM story_seq").getInt(), 11);
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt(), 0);
}

TEST(Migration, MigratingTwiceIsANoOp) {
  test::TempDir dir;
  const auto path = dir.path() / "r.db";
  { Store a(path); }
  { Store b(path); }
  SQLite::Database db(path.string());
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), k_schema_version);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
}

} // namespace
} // namespace reelfeed::store
