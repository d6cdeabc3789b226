// Character encodings: declaration, BOM, HTTP charset precedence, fallbacks, invalid bytes.
#include <gtest/gtest.h>

#include "parse/parse.hpp"
#include "parse_test_util.hpp"

namespace reelfeed::parse {
namespace {

TEST(ParseEncoding, DeclaredLatin1AndWindows1251) {
  EXPECT_EQ(parse_feed(test::read_fixture("latin1.xml")).title, "Café crème");
  const Feed f = parse_feed(test::read_fixture("cp1251.xml"));
  EXPECT_EQ(f.title, "Новости");
  EXPECT_EQ(f.entries.at(0).title, "Привет");
}

TEST(ParseEncoding, Utf16WithBom) {
  const std::string xml =
      "<rss version=\"2.0\"><channel><title>\xC3\xA9t\xC3\xA9</title></channel></rss>";
  // Hand-encode UTF-16LE with a BOM: ASCII bytes become byte+NUL, "é" is E9 00.
  std::string le = "\xFF\xFE";
  for (std::size_t i = 0; i < xml.size(); ++i) {
    if (static_cast<unsigned char>(xml[i]) == 0xC3) {
      le += '\xE9';
      le += '\0';
      ++i;
    } else {
      le += xml[i];
      le += '\0';
    }
  }
  EXPECT_EQ(parse_feed(le).title, "été");
}

TEST(ParseEncoding, Utf8BomIsSkipped) {
  EXPECT_EQ(parse_feed("\xEF\xBB\xBF<rss version=\"2.0\"><channel><title>x</title></channel></rss>")
                .title,
            "x");
}

TEST(ParseEncoding, HttpCharsetOverridesDeclarationForXmlMediaTypes) {
  const std::string body =
      "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
      "<title>\xE9</title></channel></rss>";
  Options o;
  o.content_type = "application/rss+xml; charset=ISO-8859-1";
  EXPECT_EQ(parse_feed(body, o).title, "é");
}

// A source's encoding beats a wrong HTTP charset and a wrong declaration; a BOM still wins.
TEST(ParseEncoding, ForcedEncodingBeatsCharsetAndDeclaration) {
  const std::string utf8 =
      "<rss version=\"2.0\"><channel><title>Caf\xC3\xA9 "
      "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0</title></channel></rss>";
  Options mislabelled;
  mislabelled.content_type = "text/xml; charset=iso-8859-1";
  EXPECT_EQ(parse_feed(utf8, mislabelled).title,
            "Caf\xC3\x83\xC2\xA9 "
            "\xC3\x90\xC5\x93\xC3\x90\xC2\xBE\xC3\x91\xC2\x81"
            "\xC3\x90\xC2\xBA\xC3\x90\xC2\xB2\xC3\x90\xC2\xB0");
  mislabelled.encoding = "UTF-8";
  EXPECT_EQ(parse_feed(utf8, mislabelled).title, "Café Москва");

  const std::string cp1251 = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss version=\"2.0\">"
                             "<channel><title>\xCC\xEE\xF1\xEA\xE2\xE0</title></channel></rss>";
  Options forced;
  forced.encoding = "windows-1251";
  EXPECT_EQ(parse_feed(cp1251, forced).title, "Москва");
  EXPECT_NE(parse_feed(cp1251).title, "Москва");

  forced.encoding = "windows-1252";
  EXPECT_EQ(parse_feed("\xEF\xBB\xBF" + utf8, forced).title, "Café Москва");
}

TEST(ParseEncoding, LyingDeclarationFallsBackAndWarns) {
  // Declared UTF-8 but the bytes are windows-1252 (0x93/0x94 curly quotes).
  const Feed f =
      parse_feed("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel>"
                 "<title>\x93quoted\x94</title></channel></rss>");
  EXPECT_EQ(f.title, "\xE2\x80\x9Cquoted\xE2\x80\x9D");
  EXPECT_FALSE(f.warnings.empty());
}

TEST(ParseEncoding, UnknownEncodingNameStillDecodes) {
  const Feed f =
      parse_feed("<?xml version=\"1.0\" encoding=\"x-bogus-42\"?><rss version=\"2.0\"><channel>"
                 "<title>plain</title></channel></rss>");
  EXPECT_EQ(f.title, "plain");
}

TEST(ParseEncoding, DoubleEncodedUtf8IsRepaired) {
  // "Ã©" (UTF-8 of é read as latin-1, then re-encoded) comes back as "é", as feedparser does.
  const Feed f = parse_feed(
      "<rss version=\"2.0\"><channel><title>Caf\xC3\x83\xC2\xA9</title></channel></rss>");
  EXPECT_EQ(f.title, "Café");
}

} // namespace
} // namespace reelfeed::parse
