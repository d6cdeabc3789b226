// store::prepare() + Store::ingest(Prepared): the split used by the daemon (pure work on
// the CPU pool, SQL on the store thread) stores exactly what ingest(Feed) stores.

#include <future>
#include <stdexcept>

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_helpers.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::feed_of;
using test::item;
using test::status_of;

const std::string k_lede =
    "<p>The actors union and the studios reached a tentative agreement on Tuesday covering "
    "the use of artificial intelligence to create digital replicas of performers.</p>";

class Prepare : public test::StoreTest {};

TEST_F(Prepare, FillsEveryDerivedField) {
  Entry e = item("v1", "EXCLUSIVE: Actors Reach AI Deal | Variety",
                 "HTTPS://Variety.com/2026/ai-deal/?utm_source=rss#top", at(3), k_lede);
  e.categories = {"Film", "He said \"AI\""};
  const Prepared p = prepare(feed_of({e}));
  ASSERT_EQ(p.entries.size(), 1u);
  ASSERT_EQ(p.feed.entries.size(), 1u);
  const PreparedEntry& pe = p.entries[0];
  EXPECT_EQ(pe.canonical_url, dedup::canonical_url(e.link));
  EXPECT_EQ(pe.guid_key, "g:v1");
  EXPECT_EQ(pe.link_key.rfind("l:" + pe.canonical_url + "|", 0), 0u);
  EXPECT_EQ(pe.hash_key.size(), 18u); // "h:" + 16 hex digits
  EXPECT_EQ(pe.normalised_title, "actors reach ai deal");
  ASSERT_TRUE(pe.signature.has_value());
  EXPECT_EQ(pe.signature->minhash, dedup::signature(e).minhash);
  EXPECT_EQ(pe.categories_json, R"(["Film","He said \"AI\""])");
  EXPECT_EQ(pe.enclosures_json, "[]");
  Entry edited = e;
  edited.summary += " Updated.";
  EXPECT_NE(prepare(feed_of({edited})).entries[0].content_hash, pe.content_hash);
}

TEST_F(Prepare, PreparedOnAnotherThreadStoresLikeIngestOfTheFeed) {
  const auto first = feed_of({item("v1", "Actors Reach AI Deal | Variety",
                                   "https://variety.com/ai-deal/", at(3, 10), k_lede),
                              item("v2", "Studio Sells Catalogue", "https://variety.com/sale/",
                                   at(3, 10), "<p>A studio sold its whole film library.</p>")});
  auto prepared = std::async(std::launch::async, [&] { return prepare(first); }).get();
  const auto r1 = m_store.ingest("Variety", prepared, status_of("Variety", at(3, 10)), at(3, 10));
  EXPECT_EQ(r1.new_entries, 2);
  EXPECT_EQ(r1.new_stories, 2);
  // Same feed again: unchanged, whichever entry point is used.
  const auto r2 = m_store.ingest("Variety", first, status_of("Variety", at(3, 11)), at(3, 11));
  EXPECT_EQ(r2.unchanged_entries, 2);
  const auto r3 =
      m_store.ingest("Variety", prepare(first), status_of("Variety", at(3, 12)), at(3, 12));
  EXPECT_EQ(r3.unchanged_entries, 2);
  // A wire copy, prepared, joins the first story.
  const auto r4 =
      m_store.ingest("Deadline",
                     prepare(feed_of({item("d1", "Actors Reach AI Deal - Deadline",
                                           "https://deadline.com/actors-ai/", at(3, 11), k_lede)})),
                     status_of("Deadline", at(3, 12)), at(3, 12));
  EXPECT_EQ(r4.joined_stories, 1);
  EXPECT_EQ(m_store.stories(at(1), 10).size(), 2u);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 3);
}

TEST_F(Prepare, EntriesNotParallelToTheFeedAreRejectedAndStoreNothing) {
  Prepared p = prepare(feed_of({item("v1", "A", "https://variety.com/a/", at(3))}));
  p.entries.clear();
  EXPECT_THROW(m_store.ingest("Variety", p, status_of("Variety", at(3)), at(3)),
               std::invalid_argument);
  EXPECT_EQ(count("SELECT count(*) FROM entries"), 0);
}

} // namespace
} // namespace reelfeed::store
