// Relative links inside republished HTML point at the article's site in every format, not
// at this server (where a reader would otherwise resolve them).
#include "fixtures.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace reelfeed::render {
namespace {

Item with_relative_links() {
  Item it =
      test::plain_item(); // link https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html
  it.story.summary = "<p>See <a href=\"/t/sag-aftra/\">more</a>.</p>";
  it.story.content = "<p><img src=\"img/still.jpg\" alt=\"still\"> <a href=\"#vote\">vote</a></p>";
  return it;
}

constexpr const char* k_more = "href=\"https://variety.com/t/sag-aftra/\"";
constexpr const char* k_still = "src=\"https://variety.com/2024/biz/news/img/still.jpg\"";
constexpr const char* k_vote =
    "href=\"https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html#vote\"";

TEST(RelativeLinks, ResolvedAgainstTheItemLinkInAtomRssAndJson) {
  const std::vector<Item> items{with_relative_links()};
  pugi::xml_document a;
  ASSERT_TRUE(a.load_string(atom(test::sample_info(), items).c_str()));
  const pugi::xml_node entry = a.child("feed").child("entry");
  EXPECT_NE(std::string(entry.child_value("summary")).find(k_more), std::string::npos);
  const std::string atom_content = entry.child_value("content");
  EXPECT_NE(atom_content.find(k_still), std::string::npos) << atom_content;
  EXPECT_NE(atom_content.find(k_vote), std::string::npos) << atom_content;

  pugi::xml_document r;
  ASSERT_TRUE(r.load_string(rss(test::sample_info(), items).c_str()));
  const pugi::xml_node item = r.child("rss").child("channel").child("item");
  EXPECT_NE(std::string(item.child_value("description")).find(k_more), std::string::npos);
  EXPECT_NE(std::string(item.child_value("content:encoded")).find(k_still), std::string::npos);

  const nlohmann::json j = nlohmann::json::parse(json_feed(test::sample_info(), items));
  const std::string html = j["items"][0]["content_html"];
  EXPECT_NE(html.find(k_still), std::string::npos) << html;
  EXPECT_NE(html.find(k_vote), std::string::npos) << html;
}

TEST(RelativeLinks, StayRelativeWhenTheItemHasNoLink) {
  Item it = with_relative_links();
  it.story.link.clear();
  const std::vector<Item> items{it};
  const nlohmann::json j = nlohmann::json::parse(json_feed(test::sample_info(), items));
  const std::string html = j["items"][0]["content_html"];
  EXPECT_NE(html.find("src=\"img/still.jpg\""), std::string::npos) << html;
}

} // namespace
} // namespace reelfeed::render
