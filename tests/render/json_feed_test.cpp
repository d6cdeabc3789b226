#include "fixtures.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace reelfeed::render {
namespace {

using nlohmann::json;

TEST(JsonFeed, FeedLevelFields) {
  const auto items = test::sample_items();
  const std::string text = json_feed(test::sample_info(), items);
  // Readers sniff the version from the first bytes, so it leads the document.
  EXPECT_EQ(text.rfind("{\n  \"version\": \"https://jsonfeed.org/version/1.1\"", 0), 0U);
  const json doc = json::parse(text);
  EXPECT_EQ(doc["version"], "https://jsonfeed.org/version/1.1");
  EXPECT_EQ(doc["title"], "AI in Hollywood");
  EXPECT_EQ(doc["home_page_url"], "http://127.0.0.1:8080/");
  EXPECT_EQ(doc["feed_url"], "http://127.0.0.1:8080/feed.atom");
  EXPECT_EQ(doc["_reelfeed"]["generator"], "reelfeed");
  EXPECT_EQ(doc["_reelfeed"]["updated"], "2024-05-01T14:00:00Z");
  ASSERT_EQ(doc["items"].size(), 3U);
  EXPECT_EQ(doc["items"][0]["id"], "urn:reelfeed:story:3");
}

TEST(JsonFeed, ItemFieldsAndExtension) {
  const std::vector<Item> items{test::plain_item()};
  const json it = json::parse(json_feed(test::sample_info(), items))["items"][0];
  EXPECT_EQ(it["id"], "urn:reelfeed:story:1");
  EXPECT_EQ(it["url"], "https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html");
  EXPECT_EQ(it["title"], "SAG-AFTRA reaches AI deal with studios");
  EXPECT_EQ(it["summary"], "The union and the studios agreed.");
  EXPECT_EQ(it["content_html"],
            "<p>Full text with a <a href=\"https://example.com/x\">link</a>.</p>");
  EXPECT_EQ(it["date_published"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(it["date_modified"], "2024-05-01T12:01:00Z");
  EXPECT_EQ(it["authors"][0]["name"], "Jane Doe");
  EXPECT_EQ(it["tags"], json({"ai-hollywood", "ai", "entertainment", "Business", "Labor"}));
  const json& ext = it["_reelfeed"];
  EXPECT_EQ(ext["topic"], "ai-hollywood");
  EXPECT_DOUBLE_EQ(ext["score"].get<double>(), 4.5);
  EXPECT_EQ(ext["concepts"], json({"ai", "entertainment"}));
  ASSERT_EQ(ext["outlets"].size(), 1U);
  EXPECT_EQ(ext["outlets"][0]["source"], "Variety");
}

TEST(JsonFeed, ExtensionListsEveryOutletLink) {
  const std::vector<Item> items{test::multi_outlet_item()};
  const json it = json::parse(json_feed(test::sample_info(), items))["items"][0];
  std::vector<std::string> links;
  std::vector<std::string> sources;
  for (const json& o : it["_reelfeed"]["outlets"]) {
    links.push_back(o["link"]);
    sources.push_back(o["source"]);
  }
  EXPECT_EQ(links, (std::vector<std::string>{"https://www.hollywoodreporter.com/sora-studios",
                                             "https://deadline.com/sora",
                                             "https://www.thewrap.com/sora?x=1&y=2"}));
  EXPECT_EQ(sources, (std::vector<std::string>{"The Hollywood Reporter", "Deadline", "The Wrap"}));
  EXPECT_NE(it["content_html"].get<std::string>().find("Also covered by"), std::string::npos);
}

TEST(JsonFeed, HostileTextBecomesValidJson) {
  const std::vector<Item> items{test::hostile_item()};
  const std::string text = json_feed(test::sample_info(), items);
  const json it = json::parse(text)["items"][0]; // throws on invalid UTF-8
  EXPECT_EQ(it["title"], "Deepfake actors & <studios> \xC3\xA9t\xC3\xA9 \xEF\xBF\xBD end");
  EXPECT_EQ(it["content_html"].get<std::string>().find("script"), std::string::npos);
  EXPECT_EQ(it["summary"], "Summary");
}

TEST(JsonFeed, UndecidedItemsHaveEmptyExtension) {
  Item it = test::plain_item();
  it.decision = {};
  const std::vector<Item> items{it};
  const json out = json::parse(json_feed(test::sample_info(), items))["items"][0];
  EXPECT_EQ(out["tags"], json({"Business", "Labor"}));
  EXPECT_EQ(out["_reelfeed"]["topic"], "");
  EXPECT_TRUE(out["_reelfeed"]["concepts"].empty());
}

} // namespace
} // namespace reelfeed::render
