// One oversized item (a broken or hostile feed) cannot blow up every published document.
#include "fixtures.hpp"
#include "render/text.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

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

/// The first item's title as each format publishes it, after each format's own decoding:
/// {atom, rss, json}, and the raw RSS document.
std::vector<std::string> published_titles(const Item& item, std::string* rss_doc = nullptr) {
  const std::vector<Item> items{item};
  std::vector<std::string> out;
  pugi::xml_document a;
  EXPECT_TRUE(a.load_string(atom(test::sample_info(), items).c_str()));
  out.emplace_back(a.child("feed").child("entry").child_value("title"));
  const std::string r_doc = rss(test::sample_info(), items);
  pugi::xml_document r;
  EXPECT_TRUE(r.load_string(r_doc.c_str()));
  out.emplace_back(r.child("rss").child("channel").child("item").child_value("title"));
  out.push_back(json::parse(json_feed(test::sample_info(), items))["items"][0]["title"]);
  if (rss_doc != nullptr) {
    *rss_doc = r_doc;
  }
  return out;
}

TEST(Limits, AHugeTitleIsCutTheSameInEveryFormat) {
  Item it = test::plain_item();
  it.story.title = "Studio signs AI deal";
  while (it.story.title.size() < (1U << 20)) {
    it.story.title += " and more words \xC3\xA9";
  }
  const auto titles = published_titles(it);
  EXPECT_EQ(titles[0], titles[1]);
  EXPECT_EQ(titles[0], titles[2]);
  EXPECT_LE(titles[2].size(), 1000U);
  EXPECT_GT(titles[2].size(), 900U);
  EXPECT_EQ(titles[2].rfind("Studio signs AI deal and more words ", 0), 0U);
  EXPECT_EQ(titles[2].substr(titles[2].size() - 3), "\xE2\x80\xA6"); // ends with an ellipsis
  EXPECT_TRUE(nlohmann::json::accept("\"" + titles[2] + "\""));      // whole characters only
  const std::vector<Item> items{it};
  EXPECT_LT(json_feed(test::sample_info(), items).size(), 16U * 1024);
  EXPECT_LT(atom(test::sample_info(), items).size(), 16U * 1024);
  EXPECT_LT(rss(test::sample_info(), items).size(), 16U * 1024);
}

TEST(Limits, MarkupInACutTitleStaysEscapedTextInRssAsInAtom) {
  Item it = test::plain_item();
  it.story.title = "<script>alert(1)</script> <b>AI</b> & studios";
  it.story.title += " " + std::string(2000, 'x') + " <img src=x onerror=alert(2)>";
  std::string rss_doc;
  const auto titles = published_titles(it, &rss_doc);
  EXPECT_EQ(titles[0], titles[1]);
  EXPECT_EQ(titles[0], titles[2]);
  EXPECT_EQ(titles[1].rfind("<script>alert(1)</script> <b>AI</b> & studios ", 0), 0U);
  EXPECT_EQ(rss_doc.find("<script"), std::string::npos);
  EXPECT_EQ(rss_doc.find("<b>"), std::string::npos);
  EXPECT_NE(rss_doc.find("<title>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;AI&lt;/b&gt; "
                         "&amp; studios"),
            std::string::npos);
}

TEST(Limits, NamesListsAndLinksAreBoundedInEveryFormat) {
  Item it = test::plain_item();
  it.story.author = std::string(100000, 'a');
  it.story.categories.clear();
  for (int i = 0; i < 5000; ++i) {
    it.story.categories.push_back("category " + std::to_string(i) + std::string(500, 'c'));
  }
  for (int i = 0; i < 500; ++i) {
    it.story.enclosures.push_back(
        {"https://media.example/" + std::to_string(i) + ".mp3", std::string(1000, 't'), 1});
  }
  it.story.outlets.front().source = std::string(100000, 's');
  it.story.link = "https://variety.com/" + std::string(20000, 'p');
  const json out = only_item(it);
  EXPECT_LE(out["authors"][0]["name"].get<std::string>().size(), 200U);
  ASSERT_LE(out["tags"].size(), 50U);
  for (const auto& tag : out["tags"]) {
    EXPECT_LE(tag.get<std::string>().size(), 200U);
  }
  EXPECT_LE(out["attachments"].size(), 20U);
  EXPECT_LE(out["attachments"][0]["mime_type"].get<std::string>().size(), 200U);
  EXPECT_LE(out["_reelfeed"]["outlets"][0]["source"].get<std::string>().size(), 200U);
  EXPECT_FALSE(out.contains("url")); // a 20 KB link is dropped, not cut into a wrong one
  const std::vector<Item> items{it};
  // The XML formats carry the same bounded fields.
  EXPECT_LT(atom(test::sample_info(), items).size(), 64U * 1024);
  EXPECT_LT(rss(test::sample_info(), items).size(), 64U * 1024);
}

TEST(Truncated, CutsWholeCharactersAtAWordBoundary) {
  EXPECT_EQ(truncated("short", 10), "short");
  EXPECT_EQ(truncated("one two three four", 12), "one two\xE2\x80\xA6");
  // Never inside a two-byte character.
  EXPECT_EQ(truncated("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 6), "\xC3\xA9\xE2\x80\xA6");
}

} // namespace
} // namespace reelfeed::render
