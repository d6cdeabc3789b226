// JSON Feed 1.0/1.1 and the FEED_JSON output document.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "parse/parse.hpp"
#include "parse_test_util.hpp"

namespace reelfeed::parse {
namespace {

TEST(ParseJsonFeed, Version11Mapping) {
  const Feed f = parse_feed(test::read_fixture("jsonfeed11.json"));
  EXPECT_EQ(f.format, FeedFormat::json11);
  EXPECT_EQ(f.title, "JSON Reels");
  ASSERT_EQ(f.entries.size(), 2U);
  const Entry& e = f.entries[0];
  EXPECT_EQ(e.id, "42"); // numeric id printed as its JSON text
  EXPECT_EQ(e.content, "a &lt; b");
  EXPECT_EQ(e.summary, "S &amp; T");
  EXPECT_EQ(e.author, "Second Author");
  EXPECT_EQ(format_rfc3339(e.published.value()), "2023-07-14T19:00:00Z");
  EXPECT_EQ(e.categories, (std::vector<std::string>{"ai", "film"}));
  ASSERT_EQ(e.enclosures.size(), 1U);
  EXPECT_EQ(e.enclosures[0].length, 1000);
  EXPECT_FALSE(f.entries[1].updated); // "not a date" is null, not now
  EXPECT_EQ(f.entries[1].content, "<p>hi</p>");
}

TEST(ParseJsonFeed, Version10AuthorObject) {
  const Feed f = parse_feed(R"({"version":"https://jsonfeed.org/version/1","title":"t",
    "items":[{"id":"1","author":{"name":"Solo"},"authors":[{"name":"ignored in 1.0"}]}]})");
  EXPECT_EQ(f.format, FeedFormat::json10);
  EXPECT_EQ(f.entries.at(0).author, "Solo");
}

TEST(ParseJsonFeed, RejectsJsonThatIsNotAFeed) {
  EXPECT_THROW((void)parse_feed(R"({"version":"2","items":[]})"), Error);
  EXPECT_THROW((void)parse_feed(R"({"version":"https://jsonfeed.org/version/1.1"})"), Error);
  EXPECT_THROW((void)parse_feed("{ not json"), Error);
}

TEST(FeedJson, OutputMatchesSchema) {
  const Feed f = parse_feed(test::read_fixture("rss20_full.xml"));
  const auto doc = nlohmann::json::parse(to_feed_json(f));
  EXPECT_EQ(doc["format"], "rss20");
  EXPECT_EQ(doc["title"], "Studio News");
  ASSERT_EQ(doc["entries"].size(), 2U);
  const auto& e = doc["entries"][0];
  EXPECT_EQ(e["published"], "2023-07-14T13:00:00Z");
  EXPECT_TRUE(e["updated"].is_null()); // missing values are null, never ""
  EXPECT_EQ(e["enclosures"][0]["length"], 12345);
  EXPECT_TRUE(doc["entries"][1]["categories"].is_array());
  EXPECT_TRUE(doc["entries"][1]["summary"].is_null());
}

TEST(FeedJson, EscapesControlCharactersAndQuotes) {
  Feed f;
  f.title = std::string("a\"b\\c\x01\n");
  const auto doc = nlohmann::json::parse(to_feed_json(f));
  EXPECT_EQ(doc["title"], std::string("a\"b\\c\x01\n"));
  EXPECT_EQ(doc["format"], "unknown");
}

} // namespace
} // namespace reelfeed::parse
