// The fast paths of the parser (one-pass pre-scan and in-place parse, SIMD text tests, names
// measured while lower-cased, discarded container text, links kept as given) must give the
// same results as the general code they short-cut: each test sits on one of their edges.
#include <gtest/gtest.h>

#include <string>

#include "parse/parse.hpp"

namespace reelfeed::parse {
namespace {

std::string rss(const std::string& items, const std::string& ns = {}) {
  return R"(<?xml version="1.0" encoding="utf-8"?><rss version="2.0")" + ns + "><channel>" +
         "<title>Fast paths</title><link>http://example.com/</link>" + items + "</channel></rss>";
}

TEST(ParseFastPaths, AmpersandInsideCdataNeedsNoRepairButOutsideItDoes) {
  const Feed clean = parse_feed(rss("<item><title>A</title><description><![CDATA[x & y "
                                    "&nbsp; z]]></description></item>"));
  EXPECT_TRUE(clean.warnings.empty());
  ASSERT_EQ(clean.entries.size(), 1U);
  EXPECT_NE(clean.entries[0].summary.find("x & y"), std::string::npos);

  const Feed bare = parse_feed(rss("<item><title>Tom & Jerry</title></item>"));
  ASSERT_EQ(bare.entries.size(), 1U);
  EXPECT_EQ(bare.entries[0].title, "Tom & Jerry");
}

TEST(ParseFastPaths, NulByteAndInvalidUtf8AreStillHandled) {
  std::string doc = rss("<item><title>Nul</title></item>");
  doc.insert(doc.find("Nul") + 1, 1, '\0');
  const Feed nul = parse_feed(doc);
  ASSERT_EQ(nul.entries.size(), 1U);
  EXPECT_EQ(nul.entries[0].title, "Nul");

  // A Latin-1 byte past the first 32-byte block: not UTF-8, decoded as windows-1252.
  const Feed latin = parse_feed(rss("<item><title>Caf\xE9 au lait, caf\xE9 noir</title></item>"));
  ASSERT_EQ(latin.entries.size(), 1U);
  EXPECT_EQ(latin.entries[0].title, "Caf\xC3\xA9 au lait, caf\xC3\xA9 noir");
  EXPECT_FALSE(latin.warnings.empty());
}

TEST(ParseFastPaths, MultibyteCharactersAcrossBlockBoundariesAreValid) {
  std::string title;
  for (int i = 0; i < 40; ++i) {
    title += "\xC3\xA9\xE2\x80\x94\xF0\x9F\x8E\xAC"; // 2-, 3- and 4-byte sequences
  }
  const Feed f = parse_feed(rss("<item><title>" + title + "</title></item>"));
  EXPECT_TRUE(f.warnings.empty());
  ASSERT_EQ(f.entries.size(), 1U);
  EXPECT_EQ(f.entries[0].title, title);
}

TEST(ParseFastPaths, LongElementNamesDoNotDisturbKnownOnes) {
  const std::string long_name(100, 'x');
  const Feed f = parse_feed(rss("<item><dc:" + long_name + ">ignored</dc:" + long_name + "><" +
                                    long_name + ">ignored</" + long_name +
                                    "><title>Kept</title><dc:creator>Ann</dc:creator></item>",
                                R"( xmlns:dc="http://purl.org/dc/elements/1.1/")"));
  ASSERT_EQ(f.entries.size(), 1U);
  EXPECT_EQ(f.entries[0].title, "Kept");
  EXPECT_EQ(f.entries[0].author, "Ann");
}

TEST(ParseFastPaths, DefaultNamespacePrefixAppliesToUnprefixedNames) {
  // <creator> in the Dublin Core default namespace is dc:creator.
  const Feed f = parse_feed(rss(
      R"(<item><title>T</title><creator xmlns="http://purl.org/dc/elements/1.1/">Bo</creator></item>)"));
  ASSERT_EQ(f.entries.size(), 1U);
  EXPECT_EQ(f.entries[0].author, "Bo");
}

TEST(ParseFastPaths, ContainerAndUnknownTextNeverLeaks) {
  const Feed f =
      parse_feed(rss("<item>stray text<unknown>more</unknown><title>Only</title> tail </item>"));
  ASSERT_EQ(f.entries.size(), 1U);
  EXPECT_EQ(f.entries[0].title, "Only");
  EXPECT_EQ(f.entries[0].summary, "");
}

TEST(ParseFastPaths, LinksNeedingNormalisationAreStillResolved) {
  Options options;
  options.base_url = "http://example.com/feed";
  const Feed f =
      parse_feed(rss("<item><title>A</title><link>http://a.example/x/../y</link></item>"
                     "<item><title>B</title><link>http://a.example/p?</link></item>"
                     "<item><title>C</title><link>/rel/path</link></item>"
                     "<item><title>D</title><link>https://a.example/q?x=1#f</link></item>"),
                 options);
  ASSERT_EQ(f.entries.size(), 4U);
  EXPECT_EQ(f.entries[0].link, "http://a.example/y");
  EXPECT_EQ(f.entries[1].link, "http://a.example/p");
  EXPECT_EQ(f.entries[2].link, "http://example.com/rel/path");
  EXPECT_EQ(f.entries[3].link, "https://a.example/q?x=1#f");
}

TEST(ParseFastPaths, TitlesAreCollapsedWhereverTheSpaceRunIs) {
  // Double spaces and a tab past the first 16-byte block, and at the very end of the text.
  const Feed f = parse_feed(
      rss("<item><title>abcdefghijklmnopqrst  uvw\txyz</title></item>"
          "<item><title type=\"html\">&lt;b&gt;0123456789abcdefghij&lt;/b&gt;  k</title></item>"));
  ASSERT_EQ(f.entries.size(), 2U);
  EXPECT_EQ(f.entries[0].title, "abcdefghijklmnopqrst uvw xyz");
  EXPECT_EQ(f.entries[1].title, "0123456789abcdefghij k"); // typed html: tags stripped
}

TEST(ParseFastPaths, BareAmpersandAfterEscapedMarkupIsStillRepaired) {
  // Many "&lt;" / "&gt;" (recognised without a call) before a bare '&' outside CDATA, which
  // must still be found; and a bare '&' right at the end of a value.
  std::string escaped;
  for (int i = 0; i < 20; ++i) {
    escaped += "&lt;p&gt;para " + std::to_string(i) + "&lt;/p&gt;";
  }
  const Feed f = parse_feed(rss("<item><title>A</title><description>" + escaped +
                                "</description></item><item><title>Tom & Jerry</title>"
                                "</item><item><title>Fish &</title></item>"));
  ASSERT_EQ(f.entries.size(), 3U);
  EXPECT_EQ(f.entries[0].summary.substr(0, 17), "<p>para 0</p><p>p");
  EXPECT_EQ(f.entries[1].title, "Tom & Jerry");
  EXPECT_EQ(f.entries[2].title, "Fish &");
  const Feed clean = parse_feed(
      rss("<item><title>A &lt;&gt; B</title><description>" + escaped + "</description></item>"));
  ASSERT_EQ(clean.entries.size(), 1U);
  EXPECT_EQ(clean.entries[0].title, "A <> B");
  EXPECT_TRUE(clean.warnings.empty());
}

TEST(ParseFastPaths, StrayContinuationByteAfterAValidSequenceIsInvalidUtf8) {
  // A 2-byte and a 4-byte sequence validated at their lead bytes, each followed by one
  // continuation byte too many: in the 32-byte blocks and across a block boundary.
  for (const std::string pad : {"", "0123456789abcdefghijklmnopqrs", "0123456789abcdefghijklm"}) {
    const std::string title = pad + "caf\xC3\xA9\x80 \xF0\x9F\x8E\xAC\xAC end";
    const Feed f = parse_feed(rss("<item><title>" + title + "</title></item>"));
    ASSERT_EQ(f.entries.size(), 1U) << pad.size();
    EXPECT_FALSE(f.warnings.empty()) << pad.size(); // not UTF-8: decoded by a fallback
    EXPECT_EQ(f.entries[0].title.find("caf\xC3\xA9\x80"), std::string::npos) << pad.size();
  }
}

TEST(ParseFastPaths, RepairsStartAfterTheAsciiPrefixAndStillFindWhatFollows) {
  // Double-encoded UTF-8 ("cafÃ©") and a C1 control meant as windows-1252 (U+0093), each
  // after an ASCII prefix longer than a 32-byte block and right at the start.
  const std::string prefix = "An ASCII prefix longer than one 32-byte block: ";
  const Feed f = parse_feed(rss("<item><title>" + prefix +
                                "caf\xC3\x83\xC2\xA9</title></item>"
                                "<item><title>caf\xC3\x83\xC2\xA9</title></item>"
                                "<item><title>" +
                                prefix +
                                "\xC2\x93quoted</title></item>"
                                "<item><title>\xC2\x93quoted</title></item>"));
  ASSERT_EQ(f.entries.size(), 4U);
  EXPECT_EQ(f.entries[0].title, prefix + "caf\xC3\xA9");
  EXPECT_EQ(f.entries[1].title, "caf\xC3\xA9");
  EXPECT_EQ(f.entries[2].title, prefix + "\xE2\x80\x9Cquoted");
  EXPECT_EQ(f.entries[3].title, "\xE2\x80\x9Cquoted");
}

} // namespace
} // namespace reelfeed::parse
