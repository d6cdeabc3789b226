// plan_from_store against a real (in-memory) Store: the scan widens only when a topic is
// short, and the output is the newest matching stories of the window.
#include <gtest/gtest.h>

#include "app/publish.hpp"
#include "config/load.hpp"
#include "store/store.hpp"

namespace reelfeed::app {
namespace {

const Timestamp k_now{std::chrono::seconds{1'800'000'000}};

config::Config rare_topic_config() {
  config::LoadResult r = config::load_string(R"(
[output]
max_items = 3
max_age = "30d"

[[topic]]
name = "rare"

[[topic.concept]]
name = "needle"
terms = ["needle"]
)",
                                             "t.toml", "/tmp");
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors.front().str());
  return r.config.value_or(config::Config{});
}

TEST(PlanFromStore, FindsRareMatchesBeyondTheFirstBatchNewestFirst) {
  store::Store store(":memory:");
  store.sync_sources({store::SourceDef{"S", "http://s.example/feed", {}, true}});
  Feed feed;
  feed.format = FeedFormat::rss20;
  // 1,500 stories (the first batch is 1,000), one per minute going back; "needle" only in the
  // three oldest, so the newest 1,000 hold no match.
  for (int i = 0; i < 1500; ++i) {
    Entry e;
    e.id = "id-" + std::to_string(i);
    e.title = (i >= 1497 ? "needle story " : "hay story ") + std::to_string(i) + " word" +
              std::to_string(i * 7919 % 1000) + " other" + std::to_string(i * 104729 % 997);
    e.link = "https://s.example/" + std::to_string(i);
    e.published = k_now - std::chrono::minutes{i + 1};
    feed.entries.push_back(std::move(e));
  }
  SourceStatus status;
  status.name = "S";
  status.url = "http://s.example/feed";
  store.ingest("S", feed, status, k_now);

  const config::Config config = rare_topic_config();
  const filter::Rules rules(config.topics);
  const PublishPlan plan = plan_from_store(store, rules, config, k_now);
  ASSERT_EQ(plan.topics.size(), 1u);
  EXPECT_GE(plan.stories, 1497u);
  ASSERT_EQ(plan.topics[0].items.size(), 3u);
  EXPECT_NE(plan.topics[0].items[0].story.title.find("needle story 1497"), std::string::npos)
      << plan.topics[0].items[0].story.title;
  EXPECT_NE(plan.topics[0].items[2].story.title.find("needle story 1499"), std::string::npos);
}

} // namespace
} // namespace reelfeed::app
