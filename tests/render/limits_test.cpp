// One oversized item (a broken or hostile feed) cannot blow up every published document.
#include "fixtures.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace reelfeed::render {
namespace {

using nlohmann::json;

/// About `bytes` of ordinary paragraphs.
std::string html_of(std::size_t bytes) {
  std::string out;
  while (out.size() < bytes) {
    out += "<p>Studios and unions argued about AI for another paragraph.</p>";
  }
  return out;
}

json only_item(const Item& it) {
  const std::vector<Item> items{it};
  return json::parse(json_feed(test::sample_info(), items))["items"][0];
}

TEST(Limits, OversizedContentIsReplacedByALinkToTheArticle) {
  Item it = test::plain_item();
  it.story.content = html_of(300 * 1024);
  const json out = only_item(it);
  const std::string html = out["content_html"];
  EXPECT_LT(html.size(), 4096U) << html.size();
  // The (small) summary is still there, then the note with the article's link.
  EXPECT_EQ(html.rfind("<p>The union and the <b>studios</b> agreed.</p>", 0), 0U) << html;
  EXPECT_NE(html.find("too long to republish here: <a "
                      "href=\"https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html\">"),
            std::string::npos)
      << html;
  EXPECT_EQ(out["summary"], "The union and the studios agreed.");
  const std::vector<Item> items{it};
  EXPECT_LT(atom(test::sample_info(), items).size(), 8192U);
  EXPECT_LT(rss(test::sample_info(), items).size(), 8192U);
}

TEST(Limits, OversizedSummaryIsDroppedAndContentUpToTheLimitKept) {
  Item it = test::plain_item();
  it.story.summary = html_of(300 * 1024);
  it.story.content = html_of(200 * 1024); // under the limit: republished whole
  const json out = only_item(it);
  EXPECT_FALSE(out.contains("summary"));
  const std::string html = out["content_html"];
  EXPECT_GT(html.size(), 200U * 1024);
  EXPECT_NE(html.find("too long to republish here"), std::string::npos);
}

TEST(Limits, WithoutALinkTheNoteStillExplains) {
  Item it = test::plain_item();
  it.story.link.clear();
  it.story.content = html_of(300 * 1024);
  const std::string html = only_item(it)["content_html"];
  EXPECT_NE(html.find("<p>The full text is too long to republish here.</p>"), std::string::npos)
      << html;
}

} // namespace
} // namespace reelfeed::render
