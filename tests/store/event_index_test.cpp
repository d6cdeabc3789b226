// The in-memory side of event clustering: the chance model (the distribution of the
// surprise an unrelated report shares with a report, computed exactly from the terms'
// rates) and the loaded buckets' budget.

#include <gtest/gtest.h>

#include <cmath>

#include "store/event_index.hpp"

namespace reelfeed::store {
namespace {

EventVector with_surprises(std::vector<std::uint8_t> steps) {
  EventVector v;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    v.w.emplace_back(static_cast<std::uint32_t>(i + 1), 0.5F);
  }
  v.surprise = std::move(steps);
  return v;
}

double rate(int steps) {
  return std::exp(-k_surprise_step * steps);
}

TEST(Coincidence, SharingEverySubsetIsWeighedByItsTermsRates) {
  // Three terms of 1, 2 and 3 nats: an unrelated report uses each at e^-1, e^-2, e^-3.
  const Coincidence c(with_surprises({4, 8, 12}));
  const double p1 = rate(4);
  const double p2 = rate(8);
  const double p3 = rate(12);
  EXPECT_DOUBLE_EQ(c.tail(0), 1.0);
  EXPECT_NEAR(c.tail(24), p1 * p2 * p3, 1e-12);
  EXPECT_DOUBLE_EQ(c.tail(25), 0.0);
  // At least 13 steps: {1,3}, {2,3} or all three.
  EXPECT_NEAR(c.tail(13), p3 * (p1 + p2 - p1 * p2), 1e-12);
  // At least 12 steps also admits {1,2} (4 + 8) and {3} alone.
  EXPECT_NEAR(c.tail(12), p3 + (1 - p3) * p1 * p2, 1e-12);
  for (int x = 1; x <= 25; ++x) {
    EXPECT_LE(c.tail(x), c.tail(x - 1)) << x;
  }
}

TEST(Coincidence, CommonWordsSharedAreLikelierThanRareOnesByFar) {
  // Ten words used by one report in four, against ten used by one in a thousand: sharing
  // four of them is ordinary in the first case and a near-impossibility in the second.
  const int common = static_cast<int>(std::lround(std::log(4.0) / k_surprise_step));
  const int rare = static_cast<int>(std::lround(std::log(1000.0) / k_surprise_step));
  const Coincidence a(with_surprises(std::vector<std::uint8_t>(10, common)));
  const Coincidence b(with_surprises(std::vector<std::uint8_t>(10, rare)));
  EXPECT_GT(a.tail(4 * common), 0.1);
  EXPECT_LT(b.tail(4 * rare), 1e-9);
}

void fill(EventBucket& b, std::size_t n, const TermStats& stats) {
  for (std::size_t i = 0; i < n; ++i) {
    EventDoc d;
    d.entry_id = static_cast<std::int64_t>(i + 1);
    d.terms.terms.push_back({static_cast<std::uint32_t>(i % 97 + 1), 1.0F});
    b.add(d, stats);
  }
}

TEST(EventIndex, KeepsTheNewestBucketsAndOnlyMovesForwardOnceOneWasEvicted) {
  const TermStats stats;
  EventIndex index;
  const std::size_t half = EventIndex::k_max_entries / 2;
  // Buckets 10, 11 and 12, half the budget each: loading 12 evicts the oldest, 10.
  for (const std::int64_t b : {10, 11, 12}) {
    EXPECT_EQ(index.admitted_from(b - 1, b + 1), std::optional<std::int64_t>(b - 1)) << b;
    fill(index.create(b), half, stats);
    index.trim(b - 1, b + 1);
  }
  EXPECT_EQ(index.loaded(10), nullptr);
  EXPECT_NE(index.loaded(11), nullptr);
  EXPECT_NE(index.loaded(12), nullptr);
  EXPECT_LE(index.entries(), EventIndex::k_max_entries);
  // A window before every loaded bucket would reload what was evicted: turned away. One
  // that reaches into what is loaded searches from the oldest loaded bucket on; a newer
  // one may load.
  EXPECT_EQ(index.admitted_from(7, 9), std::nullopt);
  EXPECT_EQ(index.admitted_from(9, 11), std::optional<std::int64_t>(11));
  EXPECT_EQ(index.admitted_from(11, 12), std::optional<std::int64_t>(11));
  EXPECT_EQ(index.admitted_from(12, 14), std::optional<std::int64_t>(12));
  // The window's own buckets are never evicted, even over budget.
  fill(index.create(13), half, stats);
  index.trim(11, 13);
  EXPECT_NE(index.loaded(11), nullptr);
  EXPECT_NE(index.loaded(13), nullptr);
  // After a clear (a failed ingest, a prune) every window may load again.
  index.clear();
  EXPECT_EQ(index.admitted_from(1, 3), std::optional<std::int64_t>(1));
}

TEST(EventIndex, UnderBudgetEveryWindowIsAdmittedHoweverOld) {
  const TermStats stats;
  EventIndex index;
  fill(index.create(500), 100, stats);
  index.trim(499, 501);
  // Years earlier: a store of history still clusters.
  EXPECT_EQ(index.admitted_from(1, 3), std::optional<std::int64_t>(1));
}

TEST(EventIndex, InsertsPastTheBudgetEvictTheOldestBucketEvenTheOneInsertedInto) {
  // A cold poll fills buckets by inserts into buckets it created empty, not by loads, and
  // each feed walks back in time.
  const TermStats stats;
  EventIndex index;
  for (const std::int64_t b : {20, 21, 22, 23})
    index.create(b);
  const std::size_t quarter = EventIndex::k_max_entries / 4 + 1;
  for (const std::int64_t b : {23, 22, 21, 20}) {
    fill(*index.loaded(b), quarter, stats);
    index.trim();
  }
  EXPECT_LE(index.entries(), EventIndex::k_max_entries);
  EXPECT_EQ(index.loaded(20), nullptr);
  EXPECT_NE(index.loaded(21), nullptr);
  EXPECT_NE(index.loaded(23), nullptr);
  // The feed's next, older items are not clustered by event rather than reloading 20.
  EXPECT_EQ(index.admitted_from(18, 20), std::nullopt);
  EXPECT_EQ(index.admitted_from(19, 21), std::optional<std::int64_t>(21));
}

TEST(EventIndex, TheNewestBucketStaysEvenWhenItAloneExceedsTheBudget) {
  // A busy day: the bucket news arrives in holds more than the budget. Evicting it would
  // leave nothing loaded, and every next look-up would reload it from the database. The
  // bucket before it stays too, up to the hard limit: the first hours of a bucket report
  // what the last hours of the one before did.
  const TermStats stats;
  EventIndex index;
  const std::size_t k = EventIndex::k_max_entries;
  for (const std::int64_t b : {29, 30, 31, 32})
    index.create(b); // 32: a look-up's window reaching past now, empty
  fill(*index.loaded(29), k / 2, stats);
  fill(*index.loaded(30), k / 2, stats);
  fill(*index.loaded(31), k + 1, stats);
  index.trim();
  EXPECT_EQ(index.loaded(29), nullptr);
  EXPECT_NE(index.loaded(30), nullptr);
  ASSERT_NE(index.loaded(31), nullptr);
  EXPECT_EQ(index.admitted_from(28, 30), std::optional<std::int64_t>(30));
  EXPECT_EQ(index.admitted_from(27, 29), std::nullopt);
  // Past the hard limit the bucket before goes as well; the newest still stays.
  fill(*index.loaded(30), 3 * k, stats);
  index.trim();
  EXPECT_EQ(index.loaded(30), nullptr);
  ASSERT_NE(index.loaded(31), nullptr);
  EXPECT_EQ(index.admitted_from(29, 31), std::optional<std::int64_t>(31));
}

} // namespace
} // namespace reelfeed::store
