// Output titles are the clean headline (dedup::undecorated), in all three formats.
#include "fixtures.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace reelfeed::render {
namespace {

using nlohmann::json;

Item titled(std::string title) {
  Item it = test::plain_item();
  it.story.title = std::move(title);
  it.story.outlets.front().title = it.story.title;
  return it;
}

/// The first item's title as each format publishes it: {atom, rss, json}.
std::vector<std::string> published_titles(const Item& item) {
  const std::vector<Item> items{item};
  std::vector<std::string> out;
  pugi::xml_document a;
  EXPECT_TRUE(a.load_string(atom(test::sample_info(), items).c_str()));
  out.emplace_back(a.child("feed").child("entry").child_value("title"));
  pugi::xml_document r;
  EXPECT_TRUE(r.load_string(rss(test::sample_info(), items).c_str()));
  out.emplace_back(r.child("rss").child("channel").child("item").child_value("title"));
  const json j = json::parse(json_feed(test::sample_info(), items));
  out.push_back(j["items"][0]["title"].get<std::string>());
  return out;
}

std::vector<std::string> thrice(const std::string& s) {
  return {s, s, s};
}

TEST(DisplayTitle, OutletDecorationsAreRemovedInEveryFormat) {
  EXPECT_EQ(published_titles(titled("EXCLUSIVE: Studio bets on AI dubbing | Variety")),
            thrice("Studio bets on AI dubbing"));
  EXPECT_EQ(published_titles(titled("UPDATED: SAG-AFTRA, studios reach AI deal - Deadline")),
            thrice("SAG-AFTRA, studios reach AI deal"));
  // Whitespace and line breaks inside a feed's title still collapse.
  EXPECT_EQ(published_titles(titled("  [Updated]\n Studio bets on\tAI dubbing  ")),
            thrice("Studio bets on AI dubbing"));
}

TEST(DisplayTitle, TitleThatIsOnlyDecorationIsLeftAlone) {
  EXPECT_EQ(published_titles(titled("UPDATED:")), thrice("UPDATED:"));
  EXPECT_EQ(published_titles(titled("Exclusive: AI | Variety")), thrice("Exclusive: AI | Variety"));
}

TEST(DisplayTitle, MeaningfulSeparatorsStay) {
  EXPECT_EQ(published_titles(titled("Dune: Part Three Sets Release Date")),
            thrice("Dune: Part Three Sets Release Date"));
}

TEST(DisplayTitle, HostileBytesAreStillCleaned) {
  // Decoration stripping works on bytes; cleaning to valid UTF-8 happens first.
  EXPECT_EQ(published_titles(titled("EXCLUSIVE: Caf\xC3\xA9 \x01"
                                    "AI \xFF deal | Variety")),
            thrice("Caf\xC3\xA9 AI \xEF\xBF\xBD deal"));
}

TEST(DisplayTitle, EmptyTitleFallsBackToTheLink) {
  const std::string link = test::plain_item().story.link;
  EXPECT_EQ(published_titles(titled("")), thrice(link));
  EXPECT_EQ(published_titles(titled(" \n\t ")), thrice(link));
}

TEST(DisplayTitle, OutletTitlesInTheExtensionAreCleanToo) {
  const std::vector<Item> items{test::multi_outlet_item()};
  const json outlets =
      json::parse(json_feed(test::sample_info(), items))["items"][0]["_reelfeed"]["outlets"];
  ASSERT_EQ(outlets.size(), 3U);
  EXPECT_EQ(outlets[0]["title"], "OpenAI's Sora pitched to Hollywood studios");
  // Stored as "UPDATED: Sora meets Hollywood - Deadline".
  EXPECT_EQ(outlets[1]["title"], "Sora meets Hollywood");
  EXPECT_EQ(outlets[2]["title"], "OpenAI courts studios");
}

} // namespace
} // namespace reelfeed::render
