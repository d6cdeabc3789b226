// The in-memory canonical-URL index: its own invariants, and that the store re-checks
// every hit against the entry row, so stale ids (pruned, reused, another writer's) never
// join or explain the wrong story.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "store/hash_index.hpp"
#include "store/lsh_index.hpp"
#include "store_helpers.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::item;

std::vector<std::int64_t> ids_of(const HashIndex& ix, std::uint64_t key) {
  std::vector<std::int64_t> out;
  ix.find(key, [&](std::int64_t id) { out.push_back(id); });
  std::sort(out.begin(), out.end());
  return out;
}

TEST(HashIndex, KeepsEveryIdOfAKeyAndForgetsRemovedOnesAcrossGrowth) {
  HashIndex ix;
  std::map<std::uint64_t, std::set<std::int64_t>> model;
  std::mt19937_64 rng(7);
  // Few distinct keys (long probe runs, many ids per key) and many removals, so both the
  // growth and the same-size rehash that drops removed slots run.
  for (std::int64_t id = 1; id <= 20000; ++id) {
    const std::uint64_t key = 1 + rng() % 3000;
    ix.add(key, id);
    model[key].insert(id);
    if (id % 3 == 0) {
      auto& ids = model[key];
      const auto victim = *ids.begin();
      ix.remove(key, victim);
      ids.erase(victim);
    }
  }
  ix.add(5, 5); // twice: stored once
  ix.add(5, 5);
  model[5].insert(5);
  std::size_t live = 0;
  for (const auto& [key, ids] : model) {
    EXPECT_EQ(ids_of(ix, key), std::vector<std::int64_t>(ids.begin(), ids.end())) << key;
    live += ids.size();
  }
  EXPECT_EQ(ix.size(), live);
  EXPECT_TRUE(ids_of(ix, 999999).empty());
  ix.remove(999999, 1); // absent: no effect
  EXPECT_EQ(ix.size(), live);
  EXPECT_NE(HashIndex::key_of("", 0), 0u);
}

// A slot packs a 40-bit id with a tag of the key's hash: the largest id comes back whole,
// and an id that does not fit is refused rather than stored truncated.
TEST(HashIndex, KeepsIdsUpToFortyBitsAndRefusesLargerOnes) {
  HashIndex ix;
  const std::uint64_t key = HashIndex::key_of(3, "g:item");
  const std::int64_t largest = HashIndex::k_max_id - 1;
  ix.add(key, largest);
  ix.add(key, 1);
  EXPECT_EQ(ids_of(ix, key), (std::vector<std::int64_t>{1, largest}));
  EXPECT_THROW(ix.add(key, HashIndex::k_max_id), std::out_of_range);
  EXPECT_THROW(ix.add(key, 0), std::out_of_range);
  ix.remove(key, largest);
  EXPECT_EQ(ids_of(ix, key), std::vector<std::int64_t>{1});
  EXPECT_GT(ix.bytes(), 0u);
}

// An LSH entry keeps its time as an offset from the bucket's first entry: times before and
// after it come back exact, and one too far away is refused.
TEST(LshBucket, ReturnsEachEntrysIdAndTimeAroundTheFirstEntrysTime) {
  LshBucket b;
  const std::uint32_t bands_a[2] = {11, 22};
  const std::uint32_t bands_b[2] = {11, 33};
  const std::int64_t t0 = 1'780'000'000;
  b.add(7, t0, bands_a, 2);
  b.add((std::int64_t{1} << 40) - 1, t0 - 3 * 86400 - 5, bands_b, 2);
  b.add(9, t0 + 4 * 86400 + 1, bands_b, 2);
  std::vector<std::pair<std::int64_t, std::int64_t>> got;
  b.find(0, 11, [&](std::int64_t id, std::int64_t t) { got.emplace_back(id, t); });
  std::sort(got.begin(), got.end());
  EXPECT_EQ(
      got,
      (std::vector<std::pair<std::int64_t, std::int64_t>>{
          {7, t0}, {9, t0 + 4 * 86400 + 1}, {(std::int64_t{1} << 40) - 1, t0 - 3 * 86400 - 5}}));
  got.clear();
  b.find(1, 22, [&](std::int64_t id, std::int64_t t) { got.emplace_back(id, t); });
  EXPECT_EQ(got, (std::vector<std::pair<std::int64_t, std::int64_t>>{{7, t0}}));
  EXPECT_THROW(b.add(10, t0 + 200 * 86400, bands_a, 2), std::out_of_range);
  EXPECT_EQ(b.size(), 3u);
}

TEST(LshIndex, KeepsTheNewestBucketsWithinItsBudgetAndThenOnlyMovesForward) {
  // A cold poll: each feed walks back in time, inserting into buckets it created empty.
  LshIndex index;
  for (const std::int64_t b : {40, 41, 42})
    index.create(b);
  const std::size_t half = LshIndex::k_max_entries / 2 + 1;
  const std::int64_t t0 = 1'780'000'000;
  std::int64_t id = 0;
  for (const std::int64_t b : {42, 41, 40}) {
    for (std::size_t i = 0; i < half; ++i) {
      const std::uint32_t bands[2] = {static_cast<std::uint32_t>(i + 1), 7};
      LshBucket* bucket = index.loaded(b);
      if (bucket == nullptr)
        break; // evicted as the oldest: the store then indexes this bucket's items no more
      bucket->add(++id, t0 + b * 345'600, bands, 2);
      index.trim();
    }
  }
  // The newest bucket and the one before it stay (up to the hard limit); older ones go,
  // and are not reloaded.
  EXPECT_LE(index.entries(), LshIndex::k_hard_entries);
  EXPECT_EQ(index.loaded(40), nullptr);
  ASSERT_NE(index.loaded(41), nullptr);
  ASSERT_NE(index.loaded(42), nullptr);
  EXPECT_EQ(index.loaded(42)->size(), half);
  EXPECT_EQ(index.admitted_from(38, 40), std::nullopt);
  EXPECT_EQ(index.admitted_from(39, 41), std::optional<std::int64_t>(41));
}

class UrlLookups : public test::StoreTest {};

// Entry ids are max(id) + 1, so pruning the newest entry hands its id to the next one:
// prune must take the pruned URL out of the index.
TEST_F(UrlLookups, AReusedEntryIdIsNotFoundUnderThePrunedEntrysUrl) {
  put("A", {item("a1", "Studio Buys an AI Dubbing Startup", "https://a.example/dub", at(1))},
      at(1));
  put("B",
      {item("b1", "Guild Opens Talks on Digital Replicas", "https://b.example/replicas", at(2))},
      at(2)); // loads the index (its URL is looked up) and holds the highest id
  const auto b1 = count("SELECT id FROM entries WHERE identity = 'g:b1'");
  put("B", {}, at(20)); // b1 leaves B's latest fetch
  m_store.prune(at(10), 0);
  ASSERT_EQ(count("SELECT count(*) FROM entries WHERE identity = 'g:b1'"), 0);
  put("C", {item("c1", "Animation Studio Hires ML Engineers", "https://c.example/ml", at(22))},
      at(22));
  ASSERT_EQ(count("SELECT id FROM entries WHERE identity = 'g:c1'"), b1);
  EXPECT_FALSE(m_store.explain("https://b.example/replicas").has_value());
  const auto c1 = m_store.explain("https://c.example/ml");
  ASSERT_TRUE(c1.has_value());
  EXPECT_EQ(c1->entry.id, "c1");
  // Another outlet linking to a.example's story still joins it, by URL.
  const auto r = put(
      "D", {item("d1", "Unrelated Words Entirely", "https://a.example/dub/?utm_source=x", at(22))},
      at(22));
  EXPECT_EQ(r.joined_stories, 1);
}

// A rolled-back item stays in the index (it only ever holds more than the database): the
// next item takes its entry id, and only the row check tells the two URLs apart.
TEST_F(UrlLookups, ARolledBackItemsUrlDoesNotFindTheEntryThatReusedItsId) {
  {
    SQLite::Database db(m_path.string(), SQLite::OPEN_READWRITE);
    db.exec("CREATE TRIGGER poison BEFORE INSERT ON entries WHEN NEW.title = 'poison' "
            "BEGIN SELECT RAISE(ABORT, 'poisoned entry'); END");
  }
  const auto bad = prepare(test::feed_of(
      {item("b1", "Guild Opens Talks on Digital Replicas", "https://b.example/replicas", at(2)),
       item("b2", "poison", "https://b.example/poison", at(2))}));
  const auto good = prepare(test::feed_of(
      {item("c1", "Animation Studio Hires ML Engineers", "https://c.example/ml", at(2))}));
  auto sb = test::status_of("B", at(2));
  auto sc = test::status_of("C", at(2));
  const auto out = m_store.ingest_group({{&bad, &sb}, {&good, &sc}}, at(2));
  ASSERT_FALSE(out[0].ok());
  ASSERT_TRUE(out[1].ok()) << out[1].error;
  ASSERT_EQ(count("SELECT id FROM entries WHERE identity = 'g:c1'"), 1); // b1's id
  EXPECT_FALSE(m_store.explain("https://b.example/replicas").has_value());
  const auto r =
      put("D", {item("d1", "Nothing Alike In These Words", "https://b.example/replicas", at(3))},
          at(3));
  EXPECT_EQ(r.new_stories, 1);
  EXPECT_EQ(r.joined_stories, 0);
}

TEST_F(UrlLookups, AnotherWritersEntryIsFoundByUrl) {
  put("A", {item("a1", "Studio Buys an AI Dubbing Startup", "https://a.example/dub", at(1))},
      at(1)); // the index is loaded in m_store
  {
    Store other(m_path);
    other.ingest("B",
                 test::feed_of({item("b1", "Guild Opens Talks on Digital Replicas",
                                     "https://b.example/replicas", at(2))}),
                 test::status_of("B", at(2)), at(2));
  }
  const auto r = put(
      "C",
      {item("c1", "Nothing Alike In These Words", "https://b.example/replicas#comments", at(3))},
      at(3));
  EXPECT_EQ(r.joined_stories, 1);
  const auto ex = m_store.explain("https://b.example/replicas");
  ASSERT_TRUE(ex.has_value());
  EXPECT_EQ(ex->entry.id, "b1");
  // The other writer's item is known by its identity too: not new when B lists it again.
  const auto again = put(
      "B",
      {item("b1", "Guild Opens Talks on Digital Replicas", "https://b.example/replicas", at(2))},
      at(4));
  EXPECT_EQ(again.unchanged_entries, 1);
  EXPECT_EQ(again.new_entries, 0);
  EXPECT_TRUE(m_store.explain("b1").has_value()); // by guid, through the identity index
}

} // namespace
} // namespace reelfeed::store
