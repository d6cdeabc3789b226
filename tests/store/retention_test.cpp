// Retention by age and count, the latest-fetch rule, tombstones, incremental vacuum.

#include <gtest/gtest.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/store.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::item;

class Retention : public test::StoreTest {
protected:
  static Entry numbered(const std::string& src, int n, Timestamp t) {
    return item(src + std::to_string(n), src + " headline number " + std::to_string(n * 104729),
                "https://" + src + ".example/" + std::to_string(n), t,
                "Lede " + std::to_string(n) + " unique words " + std::to_string(n * 7));
  }
};

TEST_F(Retention, AgeNeverDeletesWhatTheLatestFetchStillCarries) {
  // Old items 1-3 drop out of the feed; item 4 is old but still in the feed.
  put("A", {numbered("a", 1, at(1)), numbered("a", 2, at(1)), numbered("a", 3, at(1))}, at(1));
  put("A", {numbered("a", 4, at(2)), numbered("a", 5, at(20))}, at(20));
  m_store.prune(at(10), 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM stories"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM tombstones"), 3);
  EXPECT_EQ(count("SELECT count(*) FROM lsh WHERE entry_id NOT IN (SELECT id FROM entries)"), 0);
  EXPECT_EQ(count("PRAGMA auto_vacuum"), 2); // incremental
}

/// A store whose clock says `today`, whatever the machine's clock says.
struct FixedClock : Clock {
  Timestamp today;
  explicit FixedClock(Timestamp t) : today(t) {}
  [[nodiscard]] Timestamp now() const override { return today; }
};

TEST(RetentionClock, TombstonesAreDatedByTheStoresClock) {
  test::TempDir dir;
  const auto path = dir.path() / "r.db";
  const FixedClock clock(at(25, 6));
  Store store(path, {}, Access::read_write, clock);
  const auto put = [&](const std::string& id, Timestamp t) {
    const Entry e = item(id, "Headline " + id + " with its own words", "https://a.example/" + id, t,
                         "Lede of " + id);
    return store.ingest("A", test::feed_of({e}), test::status_of("A", t), t);
  };
  put("old", at(1));
  put("new", at(20)); // the old item left the feed
  store.prune(at(10), 0);
  SQLite::Database db(path.string());
  EXPECT_EQ(db.execAndGet("SELECT count(*) FROM tombstones").getInt(), 1);
  EXPECT_EQ(db.execAndGet("SELECT deleted_at FROM tombstones").getInt64(),
            std::chrono::duration_cast<std::chrono::seconds>(at(25, 6).time_since_epoch()).count());
}

TEST_F(Retention, AnUnchangedItemStillInTheFeedIsKeptAndAnEarlierOneIsNot) {
  // Item 1 stays in the feed unchanged (no write of its own); item 2 left the feed one
  // fetch ago; both are old.
  put("A", {numbered("a", 1, at(1)), numbered("a", 2, at(1))}, at(1));
  put("A", {numbered("a", 1, at(1)), numbered("a", 3, at(20))}, at(19));
  const auto r = put("A", {numbered("a", 1, at(1)), numbered("a", 3, at(20))}, at(20));
  EXPECT_EQ(r.unchanged_entries, 2);
  m_store.prune(at(10), 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries WHERE identity IN ('g:a1', 'g:a3')"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 2);
  EXPECT_EQ(count("SELECT count(*) FROM tombstones"), 1);
}

TEST_F(Retention, CountPerSourceKeepsTheNewest) {
  std::vector<Entry> first;
  for (int i = 1; i <= 6; ++i)
    first.push_back(numbered("b", i, at(i)));
  put("B", first, at(7));
  put("B", {numbered("b", 7, at(8))}, at(8)); // latest fetch: only item 7
  put("C", {numbered("c", 1, at(1))}, at(8));
  m_store.prune(at(1), 3);
  EXPECT_EQ(count("SELECT count(*) FROM entries e JOIN sources s ON s.id = e.source_id "
                  "WHERE s.name = 'B'"),
            3);
  EXPECT_EQ(count("SELECT count(*) FROM entries WHERE title LIKE 'b headline number %' AND "
                  "published >= (SELECT published FROM entries WHERE identity = 'g:b5')"),
            3);
  EXPECT_EQ(count("SELECT count(*) FROM entries e JOIN sources s ON s.id = e.source_id "
                  "WHERE s.name = 'C'"),
            1);
}

TEST_F(Retention, PrunedItemNeverReturnsAsNew) {
  const auto old = numbered("d", 1, at(1));
  put("D", {old}, at(1));
  put("D", {numbered("d", 2, at(15))}, at(15));
  m_store.prune(at(10), 0);
  ASSERT_EQ(count("SELECT count(*) FROM entries"), 1);
  // The feed re-lists the pruned item (a CMS republish): not new, no story.
  const auto r = put("D", {old, numbered("d", 2, at(15))}, at(16));
  EXPECT_EQ(r.new_entries, 0);
  EXPECT_EQ(r.skipped_entries, 1);
  EXPECT_EQ(count("SELECT count(*) FROM stories"), 1);
  // Another outlet linking to the pruned story's URL does not resurrect it either.
  auto copy = old;
  copy.id = "elsewhere-1";
  copy.title = "Completely different headline about it";
  const auto r2 = put("E", {copy}, at(16));
  EXPECT_EQ(r2.new_entries, 0);
  EXPECT_EQ(count("SELECT count(*) FROM stories"), 1);
}

TEST_F(Retention, RepresentativePrunedStoryKeepsIdAndPromotesNext) {
  const std::string lede = "Lede shared by wire copies about the guild vote on AI rules today.";
  put("F", {item("f1", "Guild Votes on AI Rules", "https://f.example/1", at(1), lede)}, at(1));
  put("G", {item("g1", "Guild Votes on AI Rules", "https://g.example/1", at(2), lede)}, at(2));
  const auto before = m_store.stories(at(1), 10);
  ASSERT_EQ(before.size(), 1u);
  put("F", {numbered("f", 9, at(20))}, at(20)); // f1 leaves F's feed
  m_store.prune(at(2), 0);                      // f1 is older than the cut-off; g1 is not
  const auto after = m_store.stories(at(1), 10);
  const auto it = std::find_if(after.begin(), after.end(),
                               [&](const Story& s) { return s.id == before[0].id; });
  ASSERT_NE(it, after.end());
  ASSERT_EQ(it->outlets.size(), 1u);
  EXPECT_EQ(it->outlets[0].source, "G");
  EXPECT_EQ(it->link, "https://g.example/1");
}

TEST_F(Retention, StoryIdsAreNeverReused) {
  put("H", {numbered("h", 1, at(15)), numbered("h", 2, at(1))}, at(15));
  const auto pruned_id = count("SELECT max(id) FROM stories"); // h2's story, the newest id
  put("H", {numbered("h", 1, at(15))}, at(16));
  m_store.prune(at(10), 0);
  ASSERT_EQ(count("SELECT max(id) FROM stories"), pruned_id - 1);
  put("H", {numbered("h", 1, at(15)), numbered("h", 3, at(17))}, at(17));
  EXPECT_EQ(count("SELECT max(id) FROM stories"), pruned_id + 1);
  const auto s = m_store.stories(at(17), 10);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].id, pruned_id + 1);
}

} // namespace
} // namespace reelfeed::store
