// Publishing from what changed, against a real Store file: the queued stories are
// evaluated, each topic's output is read through the stored decisions, and the read-only
// plan (`reelfeed render`) shows the same before and after the queue is settled.
#include <gtest/gtest.h>

#include "app/publish.hpp"
#include "config/load.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::app {
namespace {

const Timestamp k_now{std::chrono::seconds{1'800'000'000}};

config::Config config_of(const std::string& term) {
  config::LoadResult r = config::load_string(R"(
[output]
max_items = 3
max_age = "30d"

[[topic]]
name = "rare"

[[topic.concept]]
name = "needle"
terms = [")" + term + R"("]
)",
                                             "t.toml", "/tmp");
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors.front().str());
  return r.config.value_or(config::Config{});
}

Entry entry(const std::string& source, long long i, const std::string& word, Timestamp published) {
  Entry e;
  e.id = source + "-" + std::to_string(i);
  // Distinct words per item, so that no two items cluster into one story.
  e.title = word + " story" + std::to_string(i) + " w" + std::to_string(i * 7919 % 100003) + " x" +
            std::to_string(i * 104729 % 99991) + " y" + std::to_string(i * 1299709 % 9973) + " z" +
            std::to_string(i * 15485863 % 99989);
  e.link = "https://" + source + ".example/" + std::to_string(i);
  e.published = published;
  return e;
}

void ingest(store::Store& store, const std::string& source, std::vector<Entry> entries) {
  store.sync_sources({store::SourceDef{"S", "http://s.example/feed", {}, true},
                      store::SourceDef{"Flood", "http://flood.example/feed", {}, true}});
  Feed feed;
  feed.format = FeedFormat::rss20;
  feed.entries = std::move(entries);
  SourceStatus status;
  status.name = source;
  status.url = "http://" + source + ".example/feed";
  store.ingest(source, feed, status, k_now);
}

std::vector<std::string> titles(const PublishPlan& plan) {
  std::vector<std::string> out;
  for (const render::Item& item : plan.topics.at(0).items) {
    out.push_back(item.story.title.substr(0, item.story.title.find(" w")));
  }
  return out;
}

class IncrementalPublish : public ::testing::Test {
protected:
  test::TempDir m_dir;
  std::filesystem::path m_path = m_dir.path() / "p.db";
  store::Store m_store{m_path};
};

TEST_F(IncrementalPublish, AFloodOfNewerOffTopicItemsLeavesTheTopicItsStories) {
  const config::Config config = config_of("needle");
  const filter::Rules rules(config.topics);
  // Three matching stories from days ago, then one source floods 21,000 newer items that
  // match nothing (more than any recency cut of the window would keep).
  std::vector<Entry> matching;
  for (int i = 0; i < 3; ++i) {
    matching.push_back(entry("s", i, "needle", k_now - std::chrono::hours{72 + i}));
  }
  ingest(m_store, "S", matching);
  std::vector<Entry> flood;
  for (int i = 0; i < 21000; ++i) {
    flood.push_back(entry("flood", i, "hay", k_now - std::chrono::seconds{i + 1}));
  }
  ingest(m_store, "Flood", std::move(flood));

  const std::vector<std::string> expected = {"needle story0", "needle story1", "needle story2"};
  {
    // `reelfeed render` beside a daemon that has not published yet: evaluated in memory.
    store::Store reader(m_path, {}, store::Access::read_only);
    EXPECT_EQ(titles(plan_from_store(reader, rules, config, k_now)), expected);
  }
  const std::size_t stored = m_store.story_ids_since(Timestamp{}, 0, 100000).size();
  EXPECT_GT(stored, 21000u);
  EXPECT_EQ(settle_all(m_store, rules, config, k_now), stored); // every story was queued
  const PublishPlan plan = plan_outputs(m_store, rules, config, k_now);
  EXPECT_EQ(titles(plan), expected);
  store::Store reader(m_path, {}, store::Access::read_only);
  EXPECT_EQ(titles(plan_from_store(reader, rules, config, k_now)), expected);
  // Nothing changed since: the next publish evaluates nothing and outputs the same.
  EXPECT_EQ(settle_all(m_store, rules, config, k_now), 0u);
  EXPECT_EQ(titles(plan_outputs(m_store, rules, config, k_now)), expected);
}

TEST_F(IncrementalPublish, OnlyChangedStoriesAreEvaluatedAndNewRulesTakeTheWholeWindow) {
  config::Config config = config_of("needle");
  filter::Rules rules(config.topics);
  ingest(m_store, "S",
         {entry("s", 0, "needle", k_now - std::chrono::hours{1}),
          entry("s", 1, "hay", k_now - std::chrono::hours{2}),
          entry("s", 2, "hay", k_now - std::chrono::days{40})}); // outside max_age
  EXPECT_EQ(settle_all(m_store, rules, config, k_now), 3u);
  EXPECT_EQ(titles(plan_outputs(m_store, rules, config, k_now)),
            (std::vector<std::string>{"needle story0"}));

  // An edit makes story 1 match: it alone is evaluated again.
  Entry edited = entry("s", 1, "needle", k_now - std::chrono::hours{2});
  edited.title = "needle and hay story1 w7919";
  ingest(m_store, "S", {entry("s", 0, "needle", k_now - std::chrono::hours{1}), edited});
  EXPECT_EQ(settle_all(m_store, rules, config, k_now), 1u);
  EXPECT_EQ(titles(plan_outputs(m_store, rules, config, k_now)),
            (std::vector<std::string>{"needle story0", "needle and hay story1"}));

  // Other rules: every story of the window is evaluated again (not the one outside it).
  config = config_of("hay");
  rules = filter::Rules(config.topics);
  {
    store::Store reader(m_path, {}, store::Access::read_only);
    EXPECT_EQ(titles(plan_from_store(reader, rules, config, k_now)),
              (std::vector<std::string>{"needle and hay story1"}));
  }
  EXPECT_EQ(settle_all(m_store, rules, config, k_now), 2u);
  EXPECT_EQ(titles(plan_outputs(m_store, rules, config, k_now)),
            (std::vector<std::string>{"needle and hay story1"}));
}

TEST_F(IncrementalPublish, WithoutTopicsTheOutputIsTheNewestStoriesOfTheWindow) {
  config::LoadResult r = config::load_string("[output]\nmax_items = 2\n", "t.toml", "/tmp");
  ASSERT_TRUE(r.config);
  const filter::Rules rules(r.config->topics);
  ingest(m_store, "S",
         {entry("s", 0, "a", k_now - std::chrono::hours{3}),
          entry("s", 1, "b", k_now - std::chrono::hours{1}),
          entry("s", 2, "c", k_now - std::chrono::hours{2})});
  settle_all(m_store, rules, *r.config, k_now);
  EXPECT_TRUE(m_store.changed_stories(0, 10).empty());
  EXPECT_EQ(titles(plan_outputs(m_store, rules, *r.config, k_now)),
            (std::vector<std::string>{"b story1", "c story2"}));
}

} // namespace
} // namespace reelfeed::app
