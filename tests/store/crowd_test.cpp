// A crowd of near-identical titles ("Local bakery note number N about bread"): the LSH
// index keeps a bounded number of entries per band, so a sighting's candidates stay few
// whatever the feed, and real duplicates inside the crowd still join.

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "store/lsh_index.hpp"
#include "store_helpers.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::item;

std::size_t found(const LshBucket& b, std::size_t band, std::uint32_t hash) {
  std::size_t n = 0;
  b.find(band, hash, [&](std::int64_t, std::int64_t) { ++n; });
  return n;
}

TEST(LshCrowd, ABandEveryEntrySharesKeepsABoundedNumberOfThem) {
  LshBucket b;
  constexpr std::size_t k_entries = 2000;
  std::array<std::uint32_t, 4> bands{};
  for (std::size_t i = 0; i < k_entries; ++i) {
    bands = {7, 8, 9, static_cast<std::uint32_t>(1000 + i)}; // three shared, one of its own
    b.add(static_cast<std::int64_t>(i + 1), 0, bands.data(), bands.size());
  }
  for (std::size_t band = 0; band < 3; ++band) {
    const std::size_t n = found(b, band, static_cast<std::uint32_t>(7 + band));
    EXPECT_GE(n, 1U);
    EXPECT_LE(n, 64U) << "band " << band << " lists every entry: look-ups grow with the crowd";
  }
  // Every entry stays findable by the band where it differs.
  for (std::size_t i = 0; i < k_entries; i += 97)
    EXPECT_EQ(found(b, 3, static_cast<std::uint32_t>(1000 + i)), 1U) << i;
}

class Crowd : public test::StoreTest {};

TEST_F(Crowd, CopiesInsideACrowdOfNearIdenticalTitlesStillJoinTheirOriginal) {
  std::vector<Entry> crowd;
  for (int i = 1; i <= 3000; ++i)
    crowd.push_back(item("b-" + std::to_string(i),
                         "Local bakery note number " + std::to_string(i) + " about bread",
                         "https://bakery.example/" + std::to_string(i), at(10)));
  ASSERT_EQ(put("bakery", crowd, at(10)).new_entries, 3000);
  // Another outlet runs the same notes under its own URLs: each copy joins its original.
  std::vector<Entry> copies;
  for (int i = 2900; i < 2920; ++i)
    copies.push_back(item("c-" + std::to_string(i),
                          "Local bakery note number " + std::to_string(i) + " about bread",
                          "https://copies.example/" + std::to_string(i), at(10)));
  const auto copied = put("copies", copies, at(10));
  EXPECT_EQ(copied.new_entries, 20);
  EXPECT_EQ(copied.new_stories, 0);
  EXPECT_EQ(count("SELECT count(*) FROM entries c JOIN entries o ON o.story_id = c.story_id "
                  "WHERE c.guid LIKE 'c-%' AND o.guid = 'b-' || substr(c.guid, 3)"),
            20);
}

} // namespace
} // namespace reelfeed::store
