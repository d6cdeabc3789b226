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
    // Stories up to 12 were handed out (8..12 since pruned), and story 7 has a decision.
    db.exec("UPDATE sqlite_sequence SET seq = 12 WHERE name = 'stories'");
    db.exec("INSERT INTO decisions(story_id, topic, published, score, threshold, reason, "
            "concepts, hits, decided_at) VALUES (7, 'ai', 1795000000, 3.5, 2, 'r', '[]', '[]', "
            "1795000000)");
  }
  Store store(path);
  {
    SQLite::Database db(path.string());
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), k_schema_version);
    // Of entries' indexes only entries_story is left: v2 added entries_sort_time and v7
    // dropped it; v8 and v10 replaced the canonical_url, (source, identity) and
    // (source, sort_time) indexes with keys in the lsh rows.
    EXPECT_EQ(db.execAndGet("SELECT group_concat(name) FROM sqlite_master WHERE type = 'index' "
                            "AND tbl_name = 'entries'")
                  .getString(),
              "entries_story");
    // entries.story_id is no foreign key any more (entries_story is partial: deleting a
    // story would scan all entries to check it); source_id still is.
    EXPECT_EQ(
        db.execAndGet("SELECT group_concat(\"table\") FROM pragma_foreign_key_list('entries')")
            .getString(),
        "sources");
    // The LSH table was rebuilt from the stored entry: one row with its 10 band hashes and
    // the keys of its URL, identity and source.
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM lsh WHERE entry_id = 1 AND length(bands) = 40 "
                            "AND url_key IS NOT NULL AND id_key != 0 AND source_id = 1")
                  .getInt(),
              1);
    // v9 rebuilt the stories table (no stored uid): its decision survived (no cascade), and
    // every foreign key still holds.
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM decisions WHERE story_id = 7").getInt(), 1);
    EXPECT_EQ(db.execAndGet("SELECT count(*) FROM pragma_foreign_key_check").getInt(), 0);
    EXPECT_EQ(db.execAndGet("SELECT value FROM meta WHERE key = 'story_seq'").getInt(), 12);
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
  // Another outlet's item with the migrated entry's URL joins its story, by URL.
  const auto other = store.ingest(
      "Deadline",
      feed_of({item("d1", "Nothing Like It", "https://variety.com/a?utm_source=x", at(2))}),
      status_of("Deadline", at(2)), at(2));
  EXPECT_EQ(other.joined_stories, 1);
  // A new story never takes the id of one pruned before the migration.
  const auto fresh = store.ingest(
      "Deadline", feed_of({item("d2", "A New Story", "https://deadline.com/new", at(3))}),
      status_of("Deadline", at(3)), at(3));
  ASSERT_EQ(fresh.new_stories, 1);
  const auto explained = store.explain("https://deadline.com/new");
  ASSERT_TRUE(explained.has_value());
  EXPECT_EQ(explained->story.id, 13);
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
