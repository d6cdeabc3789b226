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

TEST(StoreBasic, IngestTwiceCreatesNoDuplicates) {
  test::TempDir dir;
  Store store(dir.path() / "r.db");
  store.sync_sources({{"Variety", "https://variety.com/feed/", {"entertainment"}, true}});
  const auto feed = feed_of({item("v-1", "Studio signs AI deal", "https://variety.com/a", at(1)),
                             item("v-2", "Box office weekend", "https://variety.com/b", at(1))});
  auto r1 = store.ingest("Variety", feed, status_of("Variety", at(1)), at(1));
  EXPECT_EQ(r1.new_entries, 2);
  EXPECT_EQ(r1.new_stories, 2);
  auto r2 = store.ingest("Variety", feed, status_of("Variety", at(1, 13)), at(1, 13));
  EXPECT_EQ(r2.new_entries, 0);
  EXPECT_EQ(r2.unchanged_entries, 2);
  EXPECT_FALSE(r2.changed());
  const auto stories = store.stories(at(1, 0), 100);
  ASSERT_EQ(stories.size(), 2u);
  EXPECT_EQ(stories[0].source_tags, std::vector<std::string>{"entertainment"});
  ASSERT_EQ(stories[0].outlets.size(), 1u);
  EXPECT_EQ(stories[0].outlets[0].source, "Variety");
}

TEST(StoreBasic, ReopensWithWalAndSchemaVersion) {
  test::TempDir dir;
  const auto path = dir.path() / "r.db";
  {
    Store store(path);
    store.ingest("A", feed_of({item("1", "One", "https://a.example/1", at(2))}),
                 status_of("A", at(2)), at(2));
  }
  SQLite::Database db(path.string());
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), k_schema_version);
  EXPECT_EQ(db.execAndGet("PRAGMA integrity_check").getString(), "ok");
  Store again(path);
  EXPECT_EQ(again.stories(at(1), 10).size(), 1u);
}

} // namespace
} // namespace reelfeed::store
