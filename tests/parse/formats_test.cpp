// Per-format parsing: RSS 2.0 with extensions, RSS 1.0 (RDF), RSS 0.9x, Atom 1.0/0.3.
#include <gtest/gtest.h>

#include "parse/parse.hpp"
#include "parse_test_util.hpp"

namespace reelfeed::parse {
namespace {

using test::read_fixture;

TEST(ParseRss20, ChannelAndItemsWithExtensionsByNamespaceUri) {
  const Feed f = parse_feed(read_fixture("rss20_full.xml"));
  EXPECT_EQ(f.format, FeedFormat::rss20);
  EXPECT_EQ(f.title, "Studio News"); // whitespace collapsed, image title ignored
  EXPECT_EQ(f.link, "https://studio.example/");
  ASSERT_EQ(f.entries.size(), 2U);
  const Entry& e = f.entries[0];
  EXPECT_EQ(e.id, "story-1");
  EXPECT_FALSE(e.id_is_permalink);
  EXPECT_EQ(e.title, "AI & actors: the deal"); // entity decoded, HTML stripped
  EXPECT_EQ(e.link, "https://studio.example/a?x=1&y=2");
  ASSERT_TRUE(e.published);
  EXPECT_EQ(format_rfc3339(*e.published), "2023-07-14T13:00:00Z"); // EST = -5
  EXPECT_EQ(e.author, "Jane Roe"); // dc:creator under prefix "dublin"
  EXPECT_EQ(e.summary, "Short <i>summary</i>");
  EXPECT_EQ(e.content, "<p>Full <b>body</b> &amp; more</p>"); // content:encoded under prefix "c"
  EXPECT_EQ(e.categories, (std::vector<std::string>{"Film", "Labor"}));
  ASSERT_EQ(e.enclosures.size(), 1U); // media:content is not an enclosure
  EXPECT_EQ(e.enclosures[0].url, "https://cdn.example/ep1.mp3");
  EXPECT_EQ(e.enclosures[0].type, "audio/mpeg");
  EXPECT_EQ(e.enclosures[0].length, 12345);
}

TEST(ParseRss20, GuidIsLinkAndAuthorEmailSplit) {
  const Feed f = parse_feed(read_fixture("rss20_full.xml"));
  const Entry& e = f.entries.at(1);
  EXPECT_EQ(e.link, "https://studio.example/2");
  EXPECT_TRUE(e.id_is_permalink);
  ASSERT_TRUE(e.published);
  EXPECT_EQ(format_rfc3339(*e.published), "2023-07-15T10:30:00Z"); // 2-digit year, no seconds
}

TEST(ParseRss20, PollHints) {
  const Feed f = parse_feed(read_fixture("rss20_full.xml"));
  ASSERT_TRUE(f.hints.ttl);
  EXPECT_EQ(f.hints.ttl->count(), 30 * 60);
  ASSERT_TRUE(f.hints.update_period);
  EXPECT_EQ(f.hints.update_period->count(), 86400 / 4);
}

TEST(ParseRss10, RdfAboutIsIdAndDcDateIsUpdated) {
  const Feed f = parse_feed(read_fixture("rss10.rdf"));
  EXPECT_EQ(f.format, FeedFormat::rss10);
  EXPECT_EQ(f.title, "RDF Site");
  ASSERT_EQ(f.entries.size(), 1U);
  EXPECT_EQ(f.entries[0].id, "https://rdf.example/item1");
  EXPECT_EQ(f.entries[0].author, "Rita");
  ASSERT_TRUE(f.entries[0].updated);
  EXPECT_EQ(format_rfc3339(*f.entries[0].updated), "2004-01-05T15:00:00Z");
  EXPECT_FALSE(f.entries[0].published);
}

TEST(ParseRss09x, VersionsAndNetscapeRdf) {
  const Feed f091 = parse_feed(R"(<rss version="0.91"><channel><title>Old</title>
    <item><title>A</title><link>http://a.example/</link></item></channel></rss>)");
  EXPECT_EQ(f091.format, FeedFormat::rss09x);
  EXPECT_EQ(f091.entries.at(0).link, "http://a.example/");
  const Feed f090 = parse_feed(R"(<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>N</title></channel>
    <item><title>I</title><link>http://n.example/i</link></item></rdf:RDF>)");
  EXPECT_EQ(f090.format, FeedFormat::rss09x);
  EXPECT_EQ(f090.entries.at(0).title, "I");
  EXPECT_EQ(parse_feed(R"(<rss version="2.0"><channel/></rss>)").format, FeedFormat::rss20);
}

TEST(ParseAtom10, XmlBaseXhtmlAndTextConstructs) {
  const Feed f = parse_feed(read_fixture("atom10_base.xml"));
  EXPECT_EQ(f.format, FeedFormat::atom10);
  EXPECT_EQ(f.title, "Reel Feed"); // type="html" title stripped to text
  EXPECT_EQ(f.link, "https://news.example/blog/index.html");
  ASSERT_EQ(f.entries.size(), 2U);
  const Entry& e = f.entries[0];
  EXPECT_EQ(e.link, "https://news.example/blog/posts/1.html"); // nested xml:base
  ASSERT_EQ(e.enclosures.size(), 1U);
  EXPECT_EQ(e.enclosures[0].url, "https://news.example/blog/media/1.mp3");
  EXPECT_EQ(format_rfc3339(e.published.value()), "2023-07-14T10:00:00Z");
  EXPECT_EQ(format_rfc3339(e.updated.value()), "2023-07-14T13:30:00Z"); // fraction dropped
  EXPECT_EQ(e.author, "Ann Author");
  EXPECT_EQ(e.summary, "1 &lt; 2 and A&amp;B");      // type="text" escaped to HTML
  EXPECT_EQ(e.content, "<p>Hello <b>world</b></p>"); // wrapping xhtml div removed
  EXPECT_EQ(e.categories, (std::vector<std::string>{"ai", "hollywood"}));
  EXPECT_EQ(f.entries[1].link, ""); // an Atom id is never the link
  EXPECT_EQ(format_rfc3339(f.entries[1].updated.value()), "2023-07-15T00:00:00Z");
}

TEST(ParseAtom03, Base64ModeAndIssuedModified) {
  const Feed f = parse_feed(R"(<feed version="0.3" xmlns="http://purl.org/atom/ns#">
    <title mode="escaped">A &amp;lt;b&amp;gt;bold&amp;lt;/b&amp;gt; title</title>
    <entry><title>E</title><issued>2003-12-13T08:29:29-04:00</issued>
      <modified>2003-12-13T18:30:02Z</modified>
      <content type="text/html" mode="base64">PHA+aGVsbG88L3A+</content></entry></feed>)");
  EXPECT_EQ(f.format, FeedFormat::atom03);
  ASSERT_EQ(f.entries.size(), 1U);
  EXPECT_EQ(f.entries[0].content, "<p>hello</p>");
  EXPECT_EQ(format_rfc3339(f.entries[0].published.value()), "2003-12-13T12:29:29Z");
  EXPECT_EQ(format_rfc3339(f.entries[0].updated.value()), "2003-12-13T18:30:02Z");
}

TEST(ParseAtom10, AtomLinkInsideRssCountsButSelfDoesNot) {
  const Feed f = parse_feed(R"(<rss version="2.0" xmlns:a="http://www.w3.org/2005/Atom"><channel>
    <a:link rel="self" href="http://x.example/feed"/><item>
    <a:link rel="alternate" href="http://x.example/post"/></item></channel></rss>)");
  EXPECT_EQ(f.link, "");
  EXPECT_EQ(f.entries.at(0).link, "http://x.example/post");
}

TEST(ParseNamespaces, UnknownPrefixIsNotMistakenForKnownOne) {
  // "content" bound to a foreign URI must not be read as content:encoded.
  const Feed f = parse_feed(R"(<rss version="2.0" xmlns:content="http://other.example/ns"><channel>
    <item><title>T</title><content:encoded>not content</content:encoded></item></channel></rss>)");
  EXPECT_EQ(f.entries.at(0).content, "");
}

TEST(ParseFormats, HtmlPageIsNotAFeed) {
  EXPECT_THROW((void)parse_feed("<html><head><title>x</title></head><body>hi</body></html>"),
               Error);
  EXPECT_THROW((void)parse_feed(""), Error);
  EXPECT_THROW((void)parse_feed("just text"), Error);
}

} // namespace
} // namespace reelfeed::parse
