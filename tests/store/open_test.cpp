// Opening: migrations, foreign files, read-only use beside a writer, explain.

#include <gtest/gtest.h>

#include <fstream>

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

TEST(Open, FreshDatabaseIsMigratedWithPragmas) {
  test::TempDir dir;
  const auto path = dir.path() / "new.db";
  { Store s(path); }
  SQLite::Database db(path.string());
  EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), k_schema_version);
  EXPECT_EQ(db.execAndGet("PRAGMA application_id").getInt64(), 0x7265656C);
  EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(db.execAndGet("PRAGMA auto_vacuum").getInt(), 2);
  for (const char* table : {"sources", "entries", "stories", "fetches", "decisions", "lsh",
                            "tombstones", "url_tombstones"})
    EXPECT_EQ(db.execAndGet(std::string("SELECT count(*) FROM sqlite_master WHERE name = '") +
                            table + "'")
                  .getInt(),
              1)
        << table;
}

TEST(Open, ForeignSqliteFileIsRefusedAndLeftUntouched) {
  test::TempDir dir;
  const auto path = dir.path() / "other.db";
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db.exec("CREATE TABLE notes(x TEXT); INSERT INTO notes VALUES ('keep me')");
  }
  try {
    Store s(path);
    FAIL() << "opened a foreign database";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not a reelfeed database"), std::string::npos);
  }
  SQLite::Database db(path.string());
  EXPECT_EQ(db.execAndGet("SELECT x FROM notes").getString(), "keep me");
}

TEST(Open, GarbageFileGivesAClearError) {
  test::TempDir dir;
  const auto path = dir.write("junk.db", std::string(8192, 'x'));
  EXPECT_THROW(Store s(path), std::runtime_error);
}

// SQLite says only "unable to open database file"; the error adds why. (Tests may run as
// root, which may write anywhere: the permission cases are not shown here.)
TEST(Open, MissingFolderIsNamedInTheError) {
  test::TempDir dir;
  const auto path = dir.path() / "no-such-folder" / "x.db";
  try {
    Store s(path);
    ADD_FAILURE() << "opened " << path;
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), path.string() + ": unable to open database file (the folder " +
                                         (dir.path() / "no-such-folder").string() +
                                         " does not exist)");
  }
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "no-such-folder"));
}

TEST(Open, NewerSchemaIsRefused) {
  test::TempDir dir;
  const auto path = dir.path() / "future.db";
  { Store s(path); }
  {
    SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
    db.exec("PRAGMA user_version = 99");
  }
  EXPECT_THROW(Store s(path), std::runtime_error);
}

TEST(Open, ReadOnlyNeedsAnExistingDatabaseAndRefusesWrites) {
  test::TempDir dir;
  EXPECT_THROW(Store s(dir.path() / "missing.db", {}, Access::read_only), std::runtime_error);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "missing.db"));
  { Store w(dir.path() / "r.db"); }
  Store r(dir.path() / "r.db", {}, Access::read_only);
  EXPECT_THROW(r.ingest("X", feed_of({}), status_of("X", at(1)), at(1)), std::logic_error);
}

TEST(Open, ReaderSeesWritersCommitsWhileBothAreOpen) {
  test::TempDir dir;
  const auto path = dir.path() / "r.db";
  Store writer(path);
  writer.ingest("V", feed_of({item("1", "First Story Here", "https://v.example/1", at(3))}),
                status_of("V", at(3)), at(3));
  Store reader(path, {}, Access::read_only);
  EXPECT_EQ(reader.stories(at(1), 10).size(), 1u);
  writer.ingest("V", feed_of({item("2", "Second Story Elsewhere", "https://v.example/2", at(4))}),
                status_of("V", at(4)), at(4));
  EXPECT_EQ(reader.stories(at(1), 10).size(), 2u);
  EXPECT_EQ(reader.statuses().size(), 1u);
}

TEST(Explain, FindsByRawUrlCanonicalUrlUidIdAndGuidWithDecisions) {
  test::TempDir dir;
  Store store(dir.path() / "r.db");
  const std::string lede = "A wire lede about the studio's AI dubbing deal and what it means.";
  store.ingest("Variety",
               feed_of({item("var-77", "Studio Signs AI Dubbing Deal | Variety",
                             "https://variety.com/ai-dub/?utm_source=rss", at(5), lede)}),
               status_of("Variety", at(5)), at(5));
  store.ingest("Wrap",
               feed_of({item("wrap-9", "Studio Signs AI Dubbing Deal", "https://thewrap.com/ai-dub",
                             at(5, 13), lede)}),
               status_of("Wrap", at(5, 13)), at(5, 13));
  const auto story = store.stories(at(1), 10).at(0);
  Decision d;
  d.topic = "ai-hollywood";
  d.published = true;
  d.score = 3.5;
  d.threshold = 2;
  d.reason = "ai=2.0 entertainment=1.5 >= 2.0";
  d.hits.push_back(RuleHit{"ai", "AI", "title", 2.0});
  store.save_decisions({{story.id, d}, {999999, d}}); // unknown story: ignored

  const std::vector<std::string> queries = {"https://variety.com/ai-dub/?utm_source=rss",
                                            "http://variety.com/ai-dub", story.uid,
                                            std::to_string(story.id), "var-77"};
  for (const auto& q : queries) {
    const auto ex = store.explain(q);
    ASSERT_TRUE(ex.has_value()) << q;
    EXPECT_EQ(ex->story.id, story.id) << q;
    EXPECT_EQ(ex->source, "Variety") << q;
    ASSERT_EQ(ex->join_reasons.size(), 2u);
    EXPECT_NE(ex->join_reasons[0].find("representative"), std::string::npos);
    EXPECT_NE(ex->join_reasons[1].find("similarity"), std::string::npos);
    ASSERT_EQ(ex->decisions.size(), 1u);
    EXPECT_TRUE(ex->decisions[0].published);
    ASSERT_EQ(ex->decisions[0].hits.size(), 1u);
    EXPECT_EQ(ex->decisions[0].hits[0].concept_name, "ai");
  }
  const auto wrap = store.explain("wrap-9");
  ASSERT_TRUE(wrap.has_value());
  EXPECT_EQ(wrap->source, "Wrap");
  EXPECT_EQ(wrap->entry.title, "Studio Signs AI Dubbing Deal");
  EXPECT_FALSE(store.explain("https://nowhere.example/x").has_value());
  EXPECT_FALSE(store.explain("urn:reelfeed:story:12345").has_value());
}

} // namespace
} // namespace reelfeed::store
