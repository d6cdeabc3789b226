// The queue of changed stories and the stored decisions that publishing reads: every change
// of a story queues it, settle() takes it off with its new decisions, and each topic's
// output is read newest first through the decisions.

#include <gtest/gtest.h>

#include "store/store.hpp"
#include "store_helpers.hpp"

namespace reelfeed::store {
namespace {

using test::at;
using test::item;

Decision decided(const std::string& topic, bool published) {
  Decision d;
  d.topic = topic;
  d.published = published;
  d.score = published ? 3 : 0;
  d.reason = published ? "ai=3.0 >= 1.0" : "missing concept ai";
  d.concepts_matched = published ? std::vector<std::string>{"ai"} : std::vector<std::string>{};
  return d;
}

class Changes : public test::StoreTest {
protected:
  /// Saves a decision for every queued story (published when its id is in `yes`).
  void settle_all(const std::string& topic, const std::set<std::int64_t>& yes = {}) {
    const auto ids = m_store.changed_stories(0, 1000);
    std::vector<std::pair<std::int64_t, Decision>> decisions;
    for (const Story& s : m_store.stories_by_id(ids))
      decisions.emplace_back(s.id, decided(topic, yes.count(s.id) != 0));
    m_store.settle(ids, decisions);
  }
};

TEST_F(Changes, EveryChangeOfAStoryQueuesItUntilItIsSettled) {
  put("A", {item("a1", "Studio signs AI deal", "https://a.example/1", at(1))}, at(1));
  ASSERT_EQ(m_store.changed_stories(0, 10), (std::vector<std::int64_t>{1}));
  settle_all("t", {1});
  EXPECT_TRUE(m_store.changed_stories(0, 10).empty());
  EXPECT_EQ(count("SELECT count(*) FROM decisions WHERE story_id = 1 AND published = 1"), 1);

  // Another outlet joins through the same URL.
  put("B", {item("b1", "Studio signs an AI deal", "https://a.example/1", at(2))}, at(2));
  EXPECT_EQ(m_store.changed_stories(0, 10), (std::vector<std::int64_t>{1}));
  settle_all("t", {1});
  // The decision follows the story's times: a later sighting moved its activity.
  EXPECT_EQ(count("SELECT story_activity FROM decisions WHERE story_id = 1"),
            static_cast<int>(at(2).time_since_epoch().count()));

  // A supporting outlet edits its copy: the story is evaluated again.
  put("B", {item("b1", "Studio signs an AI deal, updated", "https://a.example/1", at(2))}, at(3));
  EXPECT_EQ(m_store.changed_stories(0, 10), (std::vector<std::int64_t>{1}));
  settle_all("t", {1});

  // An unchanged re-fetch queues nothing.
  put("B", {item("b1", "Studio signs an AI deal, updated", "https://a.example/1", at(2))}, at(4));
  EXPECT_TRUE(m_store.changed_stories(0, 10).empty());
}

TEST_F(Changes, APrunedStoryLeavesEveryTopicWhenSettled) {
  put("A", {item("a1", "Old story about AI", "https://a.example/1", at(1))}, at(1));
  put("A", {item("a2", "New story about film", "https://a.example/2", at(20))}, at(20));
  settle_all("t", {1, 2});
  ASSERT_EQ(m_store.published_stories("t", at(1), 10).size(), 2u);
  m_store.prune(at(10), 0);
  const auto queued = m_store.changed_stories(0, 10);
  ASSERT_EQ(queued, (std::vector<std::int64_t>{1}));
  EXPECT_TRUE(m_store.stories_by_id(queued).empty()); // gone
  m_store.settle(queued, {});
  EXPECT_TRUE(m_store.changed_stories(0, 10).empty());
  const auto out = m_store.published_stories("t", at(1), 10);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, 2);
}

TEST_F(Changes, PublishedStoriesAreTheNewestPublishedOnesOfTheWindow) {
  std::vector<Entry> entries;
  for (int day = 1; day <= 9; ++day)
    entries.push_back(item("a" + std::to_string(day),
                           "Headline number " + std::to_string(day * 7919),
                           "https://a.example/" + std::to_string(day), at(day)));
  put("A", entries, at(10));
  // Stories 1..9 by day; published: odd days only.
  settle_all("t", {1, 3, 5, 7, 9});
  settle_all("other");
  auto out = m_store.published_stories("t", at(2), 3);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].first, 9);
  EXPECT_EQ(out[1].first, 7);
  EXPECT_EQ(out[2].first, 5);
  EXPECT_EQ(out[0].second.topic, "t");
  EXPECT_EQ(out[0].second.concepts_matched, (std::vector<std::string>{"ai"}));
  // The window: nothing active before day 2 (story 1) is output.
  out = m_store.published_stories("t", at(2), 10);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out.back().first, 3);
  EXPECT_TRUE(m_store.published_stories("nope", at(1), 10).empty());
}

TEST_F(Changes, DecisionsMadeBeforeTheIngestAreSavedUnderTheSameRulesOnly) {
  EXPECT_TRUE(m_store.adopt_rules(42, {"t"}, at(1)));
  EXPECT_FALSE(m_store.adopt_rules(42, {"t"}, at(1)));
  EXPECT_EQ(m_store.rules_fingerprint(), 42u);
  const auto prepared_with = [](std::uint64_t rules, const std::string& id,
                                const std::string& url) {
    Prepared p = prepare(test::feed_of({item(id, "A story " + id, url, at(2))}));
    p.decisions.push_back({decided("t", true)});
    p.rules_fingerprint = rules;
    return p;
  };
  m_store.ingest("A", prepared_with(42, "a1", "https://a.example/1"), test::status_of("A", at(2)),
                 at(2));
  EXPECT_TRUE(m_store.changed_stories(0, 10).empty()); // decided, not queued
  auto out = m_store.published_stories("t", at(1), 10);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].first, 1);
  // Made under other rules: queued for the publish, nothing saved.
  m_store.ingest("A", prepared_with(7, "a2", "https://a.example/2"), test::status_of("A", at(3)),
                 at(3));
  EXPECT_EQ(m_store.changed_stories(0, 10), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(count("SELECT count(*) FROM decisions WHERE story_id = 2"), 0);
}

TEST_F(Changes, NewRulesQueueTheWindowAndDropTopicsThatAreGone) {
  put("A",
      {item("a1", "Old", "https://a.example/1", at(1)),
       item("a2", "Recent", "https://a.example/2", at(20))},
      at(20));
  ASSERT_TRUE(m_store.adopt_rules(1, {"t", "gone"}, at(1)));
  settle_all("t", {1, 2});
  settle_all("gone");
  {
    const auto ids = m_store.story_ids_since(at(1), 0, 10);
    std::vector<std::pair<std::int64_t, Decision>> d;
    for (const auto id : ids)
      d.emplace_back(id, decided("gone", true));
    m_store.settle(ids, d);
  }
  ASSERT_EQ(count("SELECT count(*) FROM decisions WHERE topic = 'gone'"), 2);
  EXPECT_TRUE(m_store.adopt_rules(2, {"t"}, at(10)));
  EXPECT_EQ(m_store.changed_stories(0, 10), (std::vector<std::int64_t>{2})); // the window only
  EXPECT_EQ(count("SELECT count(*) FROM decisions WHERE topic = 'gone'"), 0);
  EXPECT_EQ(m_store.story_ids_since(at(10), 0, 10), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(m_store.story_ids_since(at(1), 1, 10), (std::vector<std::int64_t>{2}));
}

} // namespace
} // namespace reelfeed::store
