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
