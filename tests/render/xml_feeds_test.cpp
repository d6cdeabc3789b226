// Atom and RSS documents, checked in-process with pugixml (well-formedness and structure).
#include "fixtures.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace reelfeed::render {
namespace {

using test::sample_info;
using test::sample_items;

pugi::xml_document load(const std::string& xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result r = doc.load_buffer(xml.data(), xml.size());
  EXPECT_TRUE(r) << r.description() << " at offset " << r.offset;
  return doc;
}

std::vector<std::string> texts(pugi::xml_node parent, const char* name) {
  std::vector<std::string> out;
  for (pugi::xml_node n : parent.children(name)) {
    out.emplace_back(n.text().get());
  }
  return out;
}

TEST(Atom, FeedLevelElements) {
  const auto items = sample_items();
  const pugi::xml_document doc = load(atom(sample_info(), items));
  const pugi::xml_node feed = doc.child("feed");
  ASSERT_TRUE(feed);
  EXPECT_STREQ(feed.attribute("xmlns").value(), "http://www.w3.org/2005/Atom");
  EXPECT_STREQ(feed.child_value("title"), "AI in Hollywood");
  EXPECT_STREQ(feed.child_value("id"), "urn:reelfeed:topic:ai-hollywood");
  EXPECT_STREQ(feed.child_value("updated"), "2024-05-01T14:00:00Z");
  EXPECT_STREQ(feed.child_value("generator"), "reelfeed");
  const pugi::xml_node self = feed.find_child_by_attribute("link", "rel", "self");
  EXPECT_STREQ(self.attribute("href").value(), "http://127.0.0.1:8080/feed.atom");
  EXPECT_STREQ(self.attribute("type").value(), "application/atom+xml");
  EXPECT_EQ(std::distance(feed.children("entry").begin(), feed.children("entry").end()), 3);
}

TEST(Atom, EntryFieldsCategoriesAndDates) {
  const std::vector<Item> items{test::plain_item()};
  const pugi::xml_document doc = load(atom(sample_info(), items));
  const pugi::xml_node e = doc.child("feed").child("entry");
  EXPECT_STREQ(e.child_value("id"), "urn:reelfeed:story:1");
  EXPECT_STREQ(e.child_value("title"), "SAG-AFTRA reaches AI deal with studios");
  EXPECT_STREQ(e.find_child_by_attribute("link", "rel", "alternate").attribute("href").value(),
               "https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html");
  EXPECT_STREQ(e.child_value("published"), "2024-05-01T12:00:00Z");
  EXPECT_STREQ(e.child_value("updated"), "2024-05-01T12:01:00Z");
  EXPECT_STREQ(e.child("author").child_value("name"), "Jane Doe");
  std::vector<std::string> terms;
  for (pugi::xml_node c : e.children("category")) {
    terms.emplace_back(c.attribute("term").value());
  }
  EXPECT_EQ(terms,
            (std::vector<std::string>{"ai-hollywood", "ai", "entertainment", "Business", "Labor"}));
  EXPECT_STREQ(e.child("content").attribute("type").value(), "html");
  EXPECT_STREQ(e.child_value("content"),
               "<p>Full text with a <a href=\"https://example.com/x\">link</a>.</p>");
  EXPECT_STREQ(e.child_value("summary"), "<p>The union and the <b>studios</b> agreed.</p>");
}

TEST(Atom, HostileTextIsCleanedAndHtmlSanitised) {
  const std::vector<Item> items{test::hostile_item()};
  const std::string xml = atom(sample_info(), items);
  const pugi::xml_document doc = load(xml);
  const pugi::xml_node e = doc.child("feed").child("entry");
  EXPECT_STREQ(e.child_value("title"),
               "Deepfake actors & <studios> \xC3\xA9t\xC3\xA9 \xEF\xBF\xBD end");
  const std::string content = e.child_value("content");
  for (const char* bad : {"<script", "<iframe", "<style", "<form", "<input", "<object", "<embed",
                          "<svg", "javascript", "onerror", "onclick", "comment", "\x02"}) {
    EXPECT_EQ(content.find(bad), std::string::npos) << bad << " in " << content;
  }
  EXPECT_NE(content.find("<img src=\"https://img.example/a.png\" alt=\"A\">"), std::string::npos);
  EXPECT_STREQ(e.child_value("summary"), "<p>Summary</p>");
  // Empty and duplicate categories are dropped.
  std::vector<std::string> terms;
  for (pugi::xml_node c : e.children("category")) {
    terms.emplace_back(c.attribute("term").value());
  }
  EXPECT_EQ(terms, (std::vector<std::string>{"ai-hollywood", "ai", "Film"}));
  // Author falls back to the outlet; the query string's '&' is escaped in the attribute.
  EXPECT_STREQ(e.child("author").child_value("name"), "Deadline");
  EXPECT_NE(xml.find("deepfake?a=1&amp;b=2"), std::string::npos);
}

TEST(Atom, OtherOutletsAreListedWithLinks) {
  const std::vector<Item> items{test::multi_outlet_item()};
  const pugi::xml_document doc = load(atom(sample_info(), items));
  const pugi::xml_node e = doc.child("feed").child("entry");
  EXPECT_STREQ(e.child_value("content"),
               "Studios met with OpenAI.<p>Also covered by: "
               "<a href=\"https://deadline.com/sora\">Deadline</a>, "
               "<a href=\"https://www.thewrap.com/sora?x=1&amp;y=2\">The Wrap</a></p>");
  std::vector<std::string> related;
  for (pugi::xml_node l : e.children("link")) {
    if (std::string_view(l.attribute("rel").value()) == "related") {
      related.push_back(std::string(l.attribute("title").value()) + " " +
                        l.attribute("href").value());
    }
  }
  EXPECT_EQ(related, (std::vector<std::string>{"Deadline https://deadline.com/sora",
                                               "The Wrap https://www.thewrap.com/sora?x=1&y=2"}));
}

TEST(Atom, SingleOutletHasNoAlsoCoveredParagraph) {
  const std::vector<Item> items{test::plain_item()};
  EXPECT_EQ(atom(sample_info(), items).find("Also covered by"), std::string::npos);
}

TEST(Atom, EmptyFeedIsValidAndMissingUidFallsBack) {
  FeedInfo info = sample_info();
  info.updated = {};
  const pugi::xml_document empty = load(atom(info, {}));
  EXPECT_STREQ(empty.child("feed").child_value("updated"), "1970-01-01T00:00:00Z");

  Item it = test::plain_item();
  it.story.uid.clear();
  it.story.id = 77;
  const std::vector<Item> items{it};
  const pugi::xml_document doc = load(atom(info, items));
  EXPECT_STREQ(doc.child("feed").child("entry").child_value("id"), "urn:reelfeed:story:77");
  EXPECT_STREQ(doc.child("feed").child_value("updated"), "2024-05-01T12:01:00Z");
}

TEST(Atom, EntryWithoutLinkOrTextStillHasContent) {
  Item it = test::plain_item();
  it.story.link = "javascript:alert(1)"; // unsafe links are dropped
  it.story.summary.clear();
  it.story.content.clear();
  const std::vector<Item> items{it};
  const pugi::xml_document doc = load(atom(test::sample_info(), items));
  const pugi::xml_node e = doc.child("feed").child("entry");
  EXPECT_FALSE(e.find_child_by_attribute("link", "rel", "alternate"));
  EXPECT_TRUE(e.child("content"));
  EXPECT_STREQ(e.child_value("title"), "SAG-AFTRA reaches AI deal with studios");
}

TEST(Rss, ChannelAndItems) {
  const auto items = sample_items();
  const std::string xml = rss(sample_info(), items);
  const pugi::xml_document doc = load(xml);
  const pugi::xml_node root = doc.child("rss");
  EXPECT_STREQ(root.attribute("version").value(), "2.0");
  EXPECT_STREQ(root.attribute("xmlns:atom").value(), "http://www.w3.org/2005/Atom");
  const pugi::xml_node ch = root.child("channel");
  EXPECT_STREQ(ch.child_value("title"), "AI in Hollywood");
  EXPECT_STREQ(ch.child_value("link"), "http://127.0.0.1:8080/");
  EXPECT_STREQ(ch.child_value("lastBuildDate"), "Wed, 01 May 2024 14:00:00 GMT");
  const pugi::xml_node self = ch.child("atom:link");
  EXPECT_STREQ(self.attribute("rel").value(), "self");
  EXPECT_STREQ(self.attribute("href").value(), "http://127.0.0.1:8080/feed.atom");
  EXPECT_STREQ(self.attribute("type").value(), "application/rss+xml");

  std::vector<std::string> guids;
  for (pugi::xml_node it : ch.children("item")) {
    EXPECT_STREQ(it.child("guid").attribute("isPermaLink").value(), "false");
    guids.emplace_back(it.child_value("guid"));
  }
  EXPECT_EQ(guids, (std::vector<std::string>{"urn:reelfeed:story:3", "urn:reelfeed:story:2",
                                             "urn:reelfeed:story:1"}));
  const pugi::xml_node last = *std::prev(ch.children("item").end());
  EXPECT_STREQ(last.child_value("pubDate"), "Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_STREQ(last.child_value("dc:creator"), "Jane Doe");
  EXPECT_EQ(texts(last, "category"),
            (std::vector<std::string>{"ai-hollywood", "ai", "entertainment", "Business", "Labor"}));
  EXPECT_STREQ(last.child_value("description"), "<p>The union and the <b>studios</b> agreed.</p>");
  EXPECT_STREQ(last.child_value("content:encoded"),
               "<p>Full text with a <a href=\"https://example.com/x\">link</a>.</p>");
  const pugi::xml_node first = ch.child("item");
  EXPECT_NE(std::string(first.child_value("content:encoded")).find("Also covered by"),
            std::string::npos);
}

TEST(Rss, HostileItemStaysWellFormed) {
  const std::vector<Item> items{test::hostile_item()};
  const std::string xml = rss(sample_info(), items);
  const pugi::xml_document doc = load(xml);
  const pugi::xml_node it = doc.child("rss").child("channel").child("item");
  EXPECT_STREQ(it.child_value("link"), "https://deadline.com/2024/05/deepfake?a=1&b=2");
  EXPECT_EQ(std::string(it.child_value("content:encoded")).find("script"), std::string::npos);
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_EQ(xml.find('\x0B'), std::string::npos);
}

} // namespace
} // namespace reelfeed::render
