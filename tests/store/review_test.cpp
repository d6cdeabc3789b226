// Store::review: the stored decisions the editor's view lists.
#include <map>

#include <gtest/gtest.h>

#include "store_helpers.hpp"

namespace reelfeed::test {
namespace {

Decision decision(const std::string& topic, bool published, double score, std::string reason) {
  Decision d;
  d.topic = topic;
  d.published = published;
  d.score = score;
  d.threshold = 3;
  d.reason = std::move(reason);
  d.concepts_matched = {"ai"};
  d.hits.push_back(RuleHit{"ai", "AI", "title", 3.0});
  return d;
}

class ReviewStoreTest : public StoreTest {};

TEST_F(ReviewStoreTest, ListsNearThresholdAndNegativelyDroppedDecisionsNewestFirst) {
  const Timestamp now = at(20);
  put("Variety",
      {item("1", "Far above", "https://v.example/1", at(10)),
       item("2", "Just above", "https://v.example/2", at(11)),
       item("3", "Just below", "https://v.example/3", at(12)),
       item("4", "Nothing at all", "https://v.example/4", at(13)),
       item("5", "A review of an AI movie", "https://v.example/5", at(14)),
       item("6", "Kingdom Hearts AI", "https://v.example/6", at(15)),
       item("7", "Old and near", "https://v.example/7", at(1))},
      now);
  const std::vector<Story> stories = m_store.stories(at(1, 0), -1);
  ASSERT_EQ(stories.size(), 7u);
  std::map<std::string, std::int64_t> id;
  for (const Story& s : stories) {
    id[s.title] = s.id;
  }
  Decision negative = decision("t", false, 9, "not published: score ... (ai 9.0/1.5)");
  negative.hits.push_back(RuleHit{"ai", "Kingdom Hearts", "title", -3.0});
  negative.score = 0.5; // far below, yet dropped by a negative term
  m_store.save_decisions({
      {id["Far above"], decision("t", true, 12, "published: far")},
      {id["Just above"], decision("t", true, 3.5, "published: near")},
      {id["Just below"], decision("t", false, 2.2, "not published: score 2.2 < threshold 3.0")},
      {id["Nothing at all"], decision("t", false, 0, "not published: missing ai 0.0/1.5")},
      {id["A review of an AI movie"],
       decision("t", false, 8, "not published: excluded by fiction-review 3.0/1.5 (rule ...)")},
      {id["Kingdom Hearts AI"], negative},
      {id["Old and near"], decision("t", false, 2.9, "not published: near but old")},
      {id["Just below"], decision("other", false, 2.9, "another topic's")},
  });

  const std::vector<store::Reviewed> rows = m_store.review("t", at(5), 1.5, 100);
  std::vector<std::string> titles;
  for (const store::Reviewed& r : rows) {
    titles.push_back(r.story.title);
    EXPECT_EQ(r.decision.topic, "t");
  }
  EXPECT_EQ(titles, (std::vector<std::string>{"Kingdom Hearts AI", "A review of an AI movie",
                                              "Just below", "Just above"}));
  ASSERT_EQ(rows.size(), 4u);
  // Each row carries the whole decision, hits included, and its story.
  EXPECT_DOUBLE_EQ(rows[0].decision.score, 0.5);
  ASSERT_EQ(rows[0].decision.hits.size(), 2u);
  EXPECT_EQ(rows[0].decision.hits[1].term, "Kingdom Hearts");
  EXPECT_DOUBLE_EQ(rows[0].decision.hits[1].weight, -3.0);
  EXPECT_EQ(rows[2].decision.reason, "not published: score 2.2 < threshold 3.0");
  EXPECT_EQ(rows[2].story.outlets.size(), 1u);
  EXPECT_EQ(rows[2].story.link, "https://v.example/3");
  // The limit keeps the newest.
  EXPECT_EQ(m_store.review("t", at(5), 1.5, 1).size(), 1u);
  EXPECT_TRUE(m_store.review("none", at(5), 1.5, 100).empty());
}

} // namespace
} // namespace reelfeed::test
