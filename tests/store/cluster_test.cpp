// Cross-outlet story clustering on realistic cases, with a real SQLite file.

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_helpers.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::feed_of;
using test::item;
using test::status_of;

const std::string k_wire_lede =
    "<p>LOS ANGELES (AP) — Hollywood actors and the major studios reached a tentative "
    "agreement on Tuesday that sets consent and pay rules for digital replicas made with "
    "artificial intelligence, ending months of talks.</p>";

class Cluster : public test::StoreTest {
protected:
  void SetUp() override {
    m_store.sync_sources({{"Variety", "https://variety.com/feed/", {"trade"}, true},
                          {"Deadline", "https://deadline.com/feed/", {"trade", "film"}, true},
                          {"TheWrap", "https://thewrap.com/feed/", {"news"}, true},
                          {"Verge", "https://theverge.com/rss", {"tech"}, true}});
  }
};

TEST_F(Cluster, WireCopiesFromThreeOutletsAreOneStoryWithAllOutlets) {
  put("Variety",
      {item("v1", "EXCLUSIVE: Actors, Studios Reach Deal on AI Replicas | Variety",
            "https://variety.com/2026/biz/news/actors-ai-deal-1/", at(3, 10), k_wire_lede)},
      at(3, 10));
  const auto r2 =
      put("Deadline",
          {item("d1", "Actors, Studios Reach Deal on AI Replicas - Deadline",
                "https://deadline.com/2026/11/actors-ai-replicas-deal/", at(3, 11), k_wire_lede)},
          at(3, 11));
  EXPECT_EQ(r2.joined_stories, 1);
  const auto r3 = put("TheWrap",
                      {item("w1", "UPDATED: Actors and Studios Reach Deal on AI Replicas",
                            "https://thewrap.com/actors-studios-ai-deal/", at(3, 12), k_wire_lede)},
                      at(3, 12));
  EXPECT_EQ(r3.joined_stories, 1);
  EXPECT_EQ(r3.new_stories, 0);

  const auto stories = m_store.stories(at(1), 50);
  ASSERT_EQ(stories.size(), 1u);
  const Story& s = stories[0];
  ASSERT_EQ(s.outlets.size(), 3u);
  EXPECT_EQ(s.outlets[0].source, "Variety"); // representative first: the first sighting
  EXPECT_EQ(s.outlets[1].source, "Deadline");
  EXPECT_EQ(s.outlets[2].source, "TheWrap");
  EXPECT_EQ(s.link, "https://variety.com/2026/biz/news/actors-ai-deal-1");
  EXPECT_EQ(s.source_tags, (std::vector<std::string>{"film", "news", "trade"}));
}

TEST_F(Cluster, SameArticleWithTrackingAndAmpLinksJoinsByCanonicalUrl) {
  put("Variety",
      {item("v1", "Netflix Buys AI Dubbing Startup",
            "https://variety.com/2026/digital/news/netflix-ai-dubbing-1/", at(4))},
      at(4));
  // An aggregator-style feed that links to the same article with tracking and AMP noise
  // and a completely different headline.
  const auto r = put("Verge",
                     {item("x9", "Streaming giant makes a move in voice tech",
                           "http://amp.variety.com/2026/digital/news/netflix-ai-dubbing-1/"
                           "amp/?utm_source=verge&utm_medium=rss&fbclid=abc",
                           at(4, 14))},
                     at(4, 14));
  EXPECT_EQ(r.joined_stories, 1);
  const auto ex = m_store.explain("https://variety.com/2026/digital/news/netflix-ai-dubbing-1/");
  ASSERT_TRUE(ex.has_value());
  ASSERT_EQ(ex->join_reasons.size(), 2u);
  EXPECT_NE(ex->join_reasons[1].find("same canonical URL"), std::string::npos);
}

TEST_F(Cluster, SimilarTitlesAWeekApartStayApart) {
  put("Variety",
      {item("v1", "SAG-AFTRA Board Approves AI Agreement", "https://variety.com/sag-ai-1", at(2),
            "The board voted on Monday.")},
      at(2));
  const auto r = put("Deadline",
                     {item("d1", "SAG-AFTRA Board Approves AI Agreement",
                           "https://deadline.com/sag-ai-2", at(10), "The board voted on Monday.")},
                     at(10));
  EXPECT_EQ(r.new_stories, 1);
  EXPECT_EQ(m_store.stories(at(1), 50).size(), 2u);
}

TEST_F(Cluster, DifferentStoriesSameDaySimilarWordsStayApart) {
  put("Variety",
      {item("v1", "SAG-AFTRA Reaches Deal With Studios on AI", "https://variety.com/a", at(5),
            "The union's board approved the television and theatrical agreement.")},
      at(5));
  const auto r = put("Deadline",
                     {item("d1", "SAG-AFTRA Calls Strike Against Video Game Companies Over AI",
                           "https://deadline.com/b", at(5, 15),
                           "Voice actors will walk out after talks with game publishers broke "
                           "down.")},
                     at(5, 15));
  EXPECT_EQ(r.new_stories, 1);
  EXPECT_EQ(r.joined_stories, 0);
}

TEST_F(Cluster, StoryIdAndLinkSurviveJoinsAndTitleEditsUpdatedMovesOnlyOnMaterialChange) {
  put("Variety",
      {item("v1", "Actors, Studios Reach Deal on AI Replicas", "https://variety.com/actors-ai",
            at(6, 9), k_wire_lede)},
      at(6, 9));
  const auto before = m_store.stories(at(1), 10).at(0);
  // Another outlet joins: id, uid, link and updated unchanged.
  put("Deadline",
      {item("d1", "Actors, Studios Reach Deal on AI Replicas", "https://deadline.com/actors-ai",
            at(6, 10), k_wire_lede)},
      at(6, 10));
  const auto joined = m_store.stories(at(1), 10).at(0);
  EXPECT_EQ(joined.id, before.id);
  EXPECT_EQ(joined.uid, before.uid);
  EXPECT_EQ(joined.link, before.link);
  EXPECT_EQ(joined.updated, before.updated);
  EXPECT_EQ(joined.outlets.size(), 2u);
  // A supporting outlet edits its title: not material for the story.
  put("Deadline",
      {item("d1", "UPDATED: Actors, Studios Reach Deal on AI Replicas, Vote Next",
            "https://deadline.com/actors-ai", at(6, 10), k_wire_lede)},
      at(6, 11));
  EXPECT_EQ(m_store.stories(at(1), 10).at(0).updated, before.updated);
  // The representative edits its title: material, and the new title shows.
  put("Variety",
      {item("v1", "Actors, Studios Reach Landmark Deal on AI Replicas",
            "https://variety.com/actors-ai", at(6, 9), k_wire_lede)},
      at(6, 12));
  const auto edited = m_store.stories(at(1), 10);
  ASSERT_EQ(edited.size(), 1u);
  EXPECT_EQ(edited[0].id, before.id);
  EXPECT_EQ(edited[0].link, before.link);
  EXPECT_EQ(edited[0].title, "Actors, Studios Reach Landmark Deal on AI Replicas");
  EXPECT_EQ(edited[0].updated, at(6, 12));
}

TEST_F(Cluster, StoriesSinceAndLimitNewestFirst) {
  for (int d = 1; d <= 9; ++d)
    put("Verge",
        {item("g" + std::to_string(d), "Gadget review number " + std::to_string(d * 7919),
              "https://theverge.com/r/" + std::to_string(d), at(d))},
        at(d));
  const auto recent = m_store.stories(at(7), 100);
  ASSERT_EQ(recent.size(), 3u);
  EXPECT_EQ(recent[0].outlets[0].link, "https://theverge.com/r/9");
  EXPECT_EQ(m_store.stories(at(1), 2).size(), 2u);
}

TEST_F(Cluster, ManyStoriesLoadTheSameAsOneByOne) {
  // Enough stories for the bulk path of stories(); each carried by two outlets.
  for (int i = 0; i < 90; ++i) {
    const std::string n = std::to_string(i * 7927);
    const std::string lede = "Distinct lede " + n + " with words " + n + " about topic " + n;
    put("Variety",
        {item("v" + n, "Headline " + n + " about topic " + n, "https://variety.com/" + n,
              at(2, 0) + std::chrono::minutes{i}, lede)},
        at(2, 0) + std::chrono::minutes{i});
    put("Deadline",
        {item("d" + n, "Headline " + n + " about topic " + n + " - Deadline",
              "https://deadline.com/" + n, at(2, 1) + std::chrono::minutes{i}, lede)},
        at(2, 1) + std::chrono::minutes{i});
  }
  const auto all = m_store.stories(at(1), 1000);
  ASSERT_EQ(all.size(), 90u);
  for (const auto& s : all) {
    ASSERT_EQ(s.outlets.size(), 2u);
    EXPECT_EQ(s.outlets[0].source, "Variety");
    const auto one = m_store.explain(s.uid);
    ASSERT_TRUE(one.has_value());
    EXPECT_EQ(one->story.title, s.title);
    EXPECT_EQ(one->story.summary, s.summary);
    EXPECT_EQ(one->story.source_tags, s.source_tags);
    EXPECT_EQ(one->story.outlets.size(), s.outlets.size());
  }
}

// The LSH look-ups use an in-memory index loaded from the lsh table: a copy must still
// find its original after another connection stored it (the index of that bucket was
// already loaded), after an edit (its bucket reloaded) and after a restart.
TEST_F(Cluster, CopiesFindOriginalsStoredByAnotherWriterAfterAnEditAndAfterRestart) {
  put("Variety",
      {item("v1", "Actors, Studios Reach Deal on AI Replicas | Variety",
            "https://variety.com/2026/biz/news/actors-ai-deal-1/", at(2, 23), k_wire_lede)},
      at(2, 23));
  {
    Store other(m_dir.path() / "r.db"); // another writer, while m_store stays open
    const auto r =
        other.ingest("Deadline",
                     feed_of({item("d1", "Actors, Studios Reach Deal on AI Replicas - Deadline",
                                   "https://deadline.com/2026/11/actors-ai-replicas-deal/",
                                   at(3, 1), k_wire_lede)}),
                     status_of("Deadline", at(3, 1)), at(3, 1));
    EXPECT_EQ(r.joined_stories, 1);
  }
  // More than 3 days after Variety's copy: only Deadline's (stored by the other writer)
  // is within the window.
  const auto r3 = put("Verge",
                      {item("g1", "Actors, studios reach deal on AI replicas",
                            "https://theverge.com/ai-replicas-deal", at(6, 0), k_wire_lede)},
                      at(6, 0));
  EXPECT_EQ(r3.joined_stories, 1);
  auto edited = item("v1", "Actors and Studios Reach a Deal on AI Replicas | Variety",
                     "https://variety.com/2026/biz/news/actors-ai-deal-1/", at(2, 23), k_wire_lede);
  EXPECT_EQ(put("Variety", {edited}, at(6, 1)).updated_entries, 1);
  {
    Store reopened(m_dir.path() / "r.db");
    const auto r4 = reopened.ingest(
        "TheWrap",
        feed_of({item("w1", "UPDATED: Actors and Studios Reach Deal on AI Replicas",
                      "https://thewrap.com/actors-studios-ai-deal/", at(4, 12), k_wire_lede)}),
        status_of("TheWrap", at(6, 2)), at(6, 2));
    EXPECT_EQ(r4.joined_stories, 1);
  }
  const auto stories = m_store.stories(at(1), 50);
  ASSERT_EQ(stories.size(), 1u);
  EXPECT_EQ(stories[0].outlets.size(), 4u);
}

TEST_F(Cluster, CopyOfAnItemOfTheSameFeedJoinsBeforeTheLshRowsAreWritten) {
  put("Variety",
      {item("v1", "Studio Sells Its Film Library", "https://variety.com/library/", at(3, 9),
            "<p>A studio sold its whole film library to a streamer for an undisclosed sum.</p>")},
      at(3, 9));
  // A fresh Store: no LSH bucket in memory. d1 joins v1 by URL (no LSH look-up, so its
  // bucket stays unloaded); d2, a copy of d1, then loads the bucket from the table, which
  // does not hold d1's row yet (written at the end of the feed): d2 must still find d1.
  Store fresh(m_path);
  const auto r =
      fresh.ingest("Deadline",
                   feed_of({item("d1", "Actors, Studios Reach Deal on AI Replicas",
                                 "https://variety.com/library/", at(3, 10), k_wire_lede),
                            item("d2", "UPDATED: Actors, Studios Reach Deal on AI Replicas",
                                 "https://deadline.com/actors-ai/", at(3, 11), k_wire_lede)}),
                   status_of("Deadline", at(3, 12)), at(3, 12));
  EXPECT_EQ(r.joined_stories, 2);
  EXPECT_EQ(r.new_stories, 0);
  EXPECT_EQ(count("SELECT count(*) FROM lsh"), 3);
  EXPECT_EQ(fresh.stories(at(1), 10).size(), 1u);
}

} // namespace
} // namespace reelfeed::store
