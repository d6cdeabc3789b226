// Broken feeds: recovered with warnings instead of rejected; no DTD or external entity loaded.
#include <gtest/gtest.h>

#include "parse/parse.hpp"
#include "parse_test_util.hpp"

namespace reelfeed::parse {
namespace {

TEST(ParseRecovery, BrokenFixtureRecoversEverything) {
  const Feed f = parse_feed(test::read_fixture("broken.xml"));
  EXPECT_EQ(f.format, FeedFormat::rss20);
  EXPECT_EQ(f.title, "Broken feed \xC2\xA9 2023 & co\x01"); // &nbsp; &copy; bare & decoded
  ASSERT_EQ(f.entries.size(), 2U);                          // the truncated item is kept
  EXPECT_EQ(f.entries[0].title, "T\xE2\x80\xA6");
  EXPECT_EQ(f.entries[0].link, "http://x.example/?a=1&b=2");
  EXPECT_NE(f.entries[0].summary.find("Caf\xC3\xA9"), std::string::npos);
  EXPECT_EQ(f.entries[1].title, "Cut off");
  EXPECT_FALSE(f.warnings.empty());
}

TEST(ParseRecovery, WellFormedFeedHasNoWarnings) {
  EXPECT_TRUE(parse_feed(test::read_fixture("rss20_full.xml")).warnings.empty());
}

TEST(ParseRecovery, UnclosedHtmlInsideDescriptionDoesNotLoseLaterItems) {
  const Feed f = parse_feed(R"(<rss version="2.0"><channel>
    <item><title>One</title><description><p>para <br> line</description></item>
    <item><title>Two</title></item><item><title>Three</title></item></channel></rss>)");
  ASSERT_EQ(f.entries.size(), 3U);
  EXPECT_EQ(f.entries[2].title, "Three");
  EXPECT_NE(f.entries[0].summary.find("para"), std::string::npos);
}

TEST(ParseRecovery, StrayEndTagIsDropped) {
  const Feed f = parse_feed(R"(<rss version="2.0"><channel><item><title>A</title></div>
    <link>http://a.example/</link></item></channel></rss>)");
  ASSERT_EQ(f.entries.size(), 1U);
  EXPECT_EQ(f.entries[0].link, "http://a.example/");
}

TEST(ParseRecovery, ExternalEntityIsNeverLoaded) {
  const Feed f = parse_feed(R"(<?xml version="1.0"?>
<!DOCTYPE rss [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY who "Studio"> ]>
<rss version="2.0"><channel><title>&who; &xxe;</title></channel></rss>)");
  EXPECT_EQ(f.title.find("root:"), std::string::npos);
  EXPECT_EQ(f.title.rfind("Studio", 0), 0U); // the internal plain-text entity is honoured
}

TEST(ParseRecovery, UnclosedCdataIsClosed) {
  const Feed f = parse_feed("<rss version=\"2.0\"><channel><item><title>x</title>"
                            "<description><![CDATA[<p>never closed</p>");
  ASSERT_EQ(f.entries.size(), 1U);
  EXPECT_NE(f.entries[0].summary.find("never closed"), std::string::npos);
}

TEST(ParseRecovery, InvalidUtf8BecomesReplacementOrFallback) {
  // Bytes invalid in every candidate UTF-8 path: decoding falls back, output stays valid UTF-8.
  const Feed f =
      parse_feed("<rss version=\"2.0\"><channel><title>a\xFF\xFE b</title></channel></rss>");
  EXPECT_FALSE(f.title.empty());
  EXPECT_NE(f.title.find('a'), std::string::npos);
}

} // namespace
} // namespace reelfeed::parse
