// Publish planning with the real filter (rules loaded from TOML like the daemon does).
#include "app/publish.hpp"

#include <gtest/gtest.h>

#include "config/load.hpp"
#include "stories.hpp"

namespace reelfeed::app {
namespace {

constexpr const char* k_config = R"(
[output]
title = "Out"
max_items = 2

[[topic]]
name = "ai-hollywood"
title = "AI in Hollywood"
when = "ai & entertainment"

[[topic.concept]]
name = "ai"
terms = [{ term = "AI", case_sensitive = true }, "deepfake"]

[[topic.concept]]
name = "entertainment"
terms = ["Hollywood", "studio", "actor"]

[[topic]]
name = "money"

[[topic.concept]]
name = "boxoffice"
terms = ["box office"]
)";

config::Config load(const std::string& toml) {
  config::LoadResult r = config::load_string(toml, "test.toml", "/tmp");
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors.front().str());
  return r.config.value_or(config::Config{});
}

using test::story;

std::vector<Story> corpus() {
  return {story(1, "Studio uses AI to de-age actor", 1),
          story(2, "Taiwan chipmaker opens AI plant in Dubai", 2),
          story(3, "Hollywood actor signs deepfake consent deal", 3),
          story(4, "Weekend box office: thriller tops charts", 4),
          story(5, "AI studio tools reach Hollywood", 5)};
}

TEST(PlanPublish, EvaluatesEveryTopicAndKeepsNewestPublishedUpToMaxItems) {
  const config::Config config = load(k_config);
  const filter::Rules rules(config.topics);
  const PublishPlan plan = plan_publish(corpus(), rules, config);
  EXPECT_EQ(plan.stories, 5u);
  EXPECT_EQ(plan.decisions.size(), 10u); // 5 stories x 2 topics
  ASSERT_EQ(plan.topics.size(), 2u);
  EXPECT_EQ(plan.topics[0].name, "ai-hollywood");
  EXPECT_EQ(plan.topics[0].title, "AI in Hollywood");
  // Three stories are relevant (1, 3, 5); max_items = 2 keeps the two newest.
  ASSERT_EQ(plan.topics[0].items.size(), 2u);
  EXPECT_EQ(plan.topics[0].items[0].story.id, 5);
  EXPECT_EQ(plan.topics[0].items[1].story.id, 3);
  EXPECT_TRUE(plan.topics[0].items[0].decision.published);
  EXPECT_EQ(plan.topics[0].items[0].decision.topic, "ai-hollywood");
  // The second topic falls back to [output] title.
  EXPECT_EQ(plan.topics[1].title, "Out");
  ASSERT_EQ(plan.topics[1].items.size(), 1u);
  EXPECT_EQ(plan.topics[1].items[0].story.id, 4);
  int published = 0;
  for (const auto& [id, d] : plan.decisions) {
    published += d.published ? 1 : 0;
    if (id == 2) {
      EXPECT_FALSE(d.published) << d.topic << ": " << d.reason;
    }
  }
  EXPECT_EQ(published, 4); // 1, 3, 5 for ai-hollywood; 4 for money (beyond the cut too)
}

TEST(PlanPublish, WithoutTopicsPublishesEveryStory) {
  const config::Config config = load("[output]\nmax_items = 3\n");
  const filter::Rules rules(config.topics);
  const PublishPlan plan = plan_publish(corpus(), rules, config);
  ASSERT_EQ(plan.topics.size(), 1u);
  EXPECT_TRUE(plan.decisions.empty());
  EXPECT_EQ(plan.topics[0].items.size(), 5u);
  EXPECT_EQ(plan.topics[0].items.front().story.id, 5);
}

TEST(MakeSnapshot, ServesFirstTopicAtFeedAndEveryTopicUnderTopics) {
  const config::Config config = load(k_config);
  const filter::Rules rules(config.topics);
  const serve::Snapshot snap =
      make_snapshot(plan_publish(corpus(), rules, config), "http://feeds.example:8080");
  for (const char* path : {"/feed.atom", "/feed.rss", "/feed.json", "/topics/ai-hollywood.atom",
                           "/topics/ai-hollywood.rss", "/topics/ai-hollywood.json",
                           "/topics/money.atom", "/topics/money.rss", "/topics/money.json"}) {
    EXPECT_EQ(snap.count(path), 1u) << path;
  }
  // And the story pages: "/" and /topics/NAME/ (one page each), plus "?before=ID" of each
  // story, answered with the page of its successor: 2 + 2 for ai-hollywood, 1 for money.
  for (const char* path : {"/", "/topics/ai-hollywood/", "/topics/money/", "/?before=5",
                           "/topics/ai-hollywood/?before=3", "/topics/money/?before=4"}) {
    EXPECT_EQ(snap.count(path), 1u) << path;
  }
  EXPECT_EQ(snap.size(), 17u);
  EXPECT_EQ(snap.at("/?before=5").get(), snap.at("/").get());
  EXPECT_NE(snap.at("/topics/ai-hollywood/").get(), snap.at("/").get());
  const serve::Resource& atom = *snap.at("/feed.atom");
  EXPECT_EQ(atom.content_type, "application/atom+xml; charset=utf-8");
  EXPECT_NE(atom.body.find("http://feeds.example:8080/feed.atom"), std::string::npos);
  EXPECT_NE(atom.body.find("deepfake consent"), std::string::npos);
  EXPECT_EQ(atom.body.find("de-age"), std::string::npos); // beyond max_items
  EXPECT_EQ(atom.body.find("Taiwan"), std::string::npos);
  EXPECT_FALSE(atom.etag.empty());
  EXPECT_EQ(snap.at("/feed.json")->content_type, "application/feed+json; charset=utf-8");
  EXPECT_NE(snap.at("/topics/money.rss")->body.find("box office"), std::string::npos);
  // The document's time is the newest item's, not "now": same set, same bytes, same ETag.
  EXPECT_EQ(atom.last_modified, corpus()[4].published);
  const serve::Snapshot again =
      make_snapshot(plan_publish(corpus(), rules, config), "http://feeds.example:8080");
  EXPECT_EQ(again.at("/feed.atom")->etag, atom.etag);
}

TEST(MakeSnapshot, DefaultTopicAtFeedAndTopicPathsNamesEachUrlAsItsSelfLink) {
  const config::Config config = load(k_config);
  const filter::Rules rules(config.topics);
  const std::string base = "http://feeds.example:8080";
  const serve::Snapshot snap = make_snapshot(plan_publish(corpus(), rules, config), base);
  for (const char* ext : {"atom", "rss", "json"}) {
    const std::string feed_url = base + "/feed." + ext;
    const std::string topic_url = base + "/topics/ai-hollywood." + ext;
    const auto& feed = snap.at(std::string("/feed.") + ext);
    const auto& topic = snap.at(std::string("/topics/ai-hollywood.") + ext);
    ASSERT_NE(feed, nullptr);
    ASSERT_NE(topic, nullptr);
    // Each URL's document names that URL as its self link (validators and readers expect
    // the address they fetched), so they are two documents with their own tags.
    EXPECT_NE(feed->body.find(feed_url), std::string::npos) << ext;
    EXPECT_EQ(feed->body.find("/topics/"), std::string::npos) << ext;
    EXPECT_NE(topic->body.find(topic_url), std::string::npos) << ext;
    EXPECT_EQ(topic->body.find("/feed."), std::string::npos) << ext;
    EXPECT_NE(feed->etag, topic->etag) << ext;
    EXPECT_NE(feed->gzip_etag, topic->gzip_etag) << ext;
    EXPECT_EQ(feed->content_type, topic->content_type) << ext;
    EXPECT_EQ(feed->last_modified, topic->last_modified) << ext;
    // ... that differ in nothing else.
    std::string renamed = feed->body;
    renamed.replace(renamed.find(feed_url), feed_url.size(), topic_url);
    EXPECT_EQ(renamed, topic->body) << ext;
    // Another topic's documents are its own, with their own self link.
    const auto& money = snap.at(std::string("/topics/money.") + ext);
    EXPECT_NE(money.get(), feed.get()) << ext;
    EXPECT_NE(money->body.find(base + "/topics/money." + ext), std::string::npos) << ext;
  }
}

TEST(MakeSnapshot, RootIsTheStoryPageWithFeedAutodiscovery) {
  const config::Config config = load(k_config);
  const filter::Rules rules(config.topics);
  const serve::Snapshot snap =
      make_snapshot(plan_publish(corpus(), rules, config), "http://feeds.example:8080");
  ASSERT_EQ(snap.count("/"), 1u);
  const serve::Resource& index = *snap.at("/");
  EXPECT_EQ(index.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index.body.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(index.body.find("<title>Out</title>"), std::string::npos) << index.body;
  // Autodiscovery in <head>: the default topic under /feed.* first, then each other topic.
  const std::string head = index.body.substr(0, index.body.find("</head>"));
  std::size_t at = 0;
  for (
      const char* link :
      {R"x(<link rel="alternate" type="application/atom+xml" title="AI in Hollywood (Atom)" href="/feed.atom">)x",
       R"x(<link rel="alternate" type="application/rss+xml" title="AI in Hollywood (RSS)" href="/feed.rss">)x",
       R"x(<link rel="alternate" type="application/feed+json" title="AI in Hollywood (JSON Feed)" href="/feed.json">)x",
       R"x(<link rel="alternate" type="application/atom+xml" title="Out (Atom)" href="/topics/money.atom">)x",
       R"x(<link rel="alternate" type="application/rss+xml" title="Out (RSS)" href="/topics/money.rss">)x",
       R"x(<link rel="alternate" type="application/feed+json" title="Out (JSON Feed)" href="/topics/money.json">)x"}) {
    const std::size_t found = head.find(link, at);
    EXPECT_NE(found, std::string::npos) << link << "\n" << head;
    at = found == std::string::npos ? at : found;
  }
  // Each document once: the default topic is listed by its /feed.* address only.
  EXPECT_EQ(index.body.find("/topics/ai-hollywood."), std::string::npos);
  EXPECT_NE(index.body.find("AI in Hollywood"), std::string::npos);
  EXPECT_NE(index.body.find("2 stories"), std::string::npos) << index.body;
  EXPECT_NE(index.body.find("1 story:"), std::string::npos) << index.body;
  // The default topic's stories, newest first, each once.
  const std::size_t newest = index.body.find("AI studio tools reach Hollywood</a></h2>");
  const std::size_t next = index.body.find("Hollywood actor signs deepfake consent deal</a></h2>");
  EXPECT_NE(newest, std::string::npos) << index.body;
  EXPECT_LT(newest, next);
  EXPECT_EQ(index.body.find("box office"), std::string::npos); // another topic's story
  const std::string& money = snap.at("/topics/money/")->body;
  EXPECT_NE(money.find("Weekend box office: thriller tops charts</a></h2>"), std::string::npos);
  EXPECT_EQ(snap.at("/topics/money/")->content_type, "text/html; charset=utf-8");
}

TEST(MakeSnapshot, TitlesInThePagesAreEscaped) {
  PublishPlan plan;
  plan.title = "<script>alert(1)</script> & co";
  plan.topics.push_back(TopicOutput{"x\"y", "A <b>topic</b>", {}});
  const serve::Snapshot snap = make_snapshot(plan, "http://h");
  const std::string& body = snap.at("/")->body;
  EXPECT_EQ(body.find("<script>alert"), std::string::npos) << body;
  EXPECT_EQ(body.find("<b>"), std::string::npos) << body;
  EXPECT_NE(body.find("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"), std::string::npos);
  EXPECT_NE(body.find("href=\"/feed.atom\""), std::string::npos);
}

TEST(MakeSnapshot, UnchangedDocumentsKeepTheirResourceChangedOnesMoveLastModified) {
  const config::Config config = load(k_config);
  const filter::Rules rules(config.topics);
  const std::string base = "http://feeds.example:8080";
  const serve::Snapshot first = make_snapshot(plan_publish(corpus(), rules, config), base);
  // Same stories again: every document is the previous Resource (no new gzip, same tags).
  const serve::Snapshot same = make_snapshot(plan_publish(corpus(), rules, config), base, &first);
  ASSERT_EQ(same.size(), first.size());
  for (const auto& [path, resource] : first) {
    EXPECT_EQ(same.at(path).get(), resource.get()) << path;
  }
  // Story 3's text is edited without touching its dates: the newest item of ai-hollywood
  // is still story 5, yet the document changed.
  std::vector<Story> edited = corpus();
  edited[2].summary = "A new paragraph.";
  const serve::Snapshot next = make_snapshot(plan_publish(edited, rules, config), base, &first);
  const serve::Resource& before = *first.at("/feed.atom");
  const serve::Resource& after = *next.at("/feed.atom");
  EXPECT_NE(after.etag, before.etag);
  // The topic's own address changed with it.
  EXPECT_NE(next.at("/topics/ai-hollywood.atom")->etag,
            first.at("/topics/ai-hollywood.atom")->etag);
  // Its newest story did not change, but Last-Modified must, or If-Modified-Since
  // readers would be told "304" for a document that changed.
  EXPECT_GT(after.last_modified, before.last_modified);
  // "money" did not change: still the same Resource.
  EXPECT_EQ(next.at("/topics/money.atom").get(), first.at("/topics/money.atom").get());
}

TEST(RenderFeed, PreparedItemsRenderTheSameBytesAsItems) {
  const config::Config config = load(k_config);
  const filter::Rules rules(config.topics);
  const PublishPlan plan = plan_publish(corpus(), rules, config);
  const TopicOutput& topic = plan.topics[0];
  const render::FeedInfo info = feed_info(topic, "http://h", "/feed.atom");
  const std::vector<render::Prepared> prepared = render::prepare_all(topic.items);
  for (const Format f : {Format::atom, Format::rss, Format::json}) {
    const std::string from_items = render_feed(f, info, topic.items);
    EXPECT_FALSE(from_items.empty());
    EXPECT_EQ(render_feed(f, info, std::span<const render::Prepared>(prepared)), from_items)
        << extension(f);
  }
}

TEST(Format, ParsesTheThreeNames) {
  EXPECT_EQ(parse_format("atom"), Format::atom);
  EXPECT_EQ(parse_format("rss"), Format::rss);
  EXPECT_EQ(parse_format("json"), Format::json);
  EXPECT_FALSE(parse_format("xml"));
  EXPECT_STREQ(extension(Format::rss), "rss");
}

} // namespace
} // namespace reelfeed::app
