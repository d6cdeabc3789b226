// An HTML page given where a feed was expected: the error names the feeds the page links to.
#include <gtest/gtest.h>

#include <string>

#include "parse/parse.hpp"

namespace reelfeed::parse {
namespace {

std::string error_of(const std::string& bytes, const std::string& base_url = "") {
  try {
    (void)parse_feed(bytes, Options{"", base_url});
  } catch (const Error& e) {
    return e.what();
  }
  return "(parsed)";
}

TEST(HtmlPage, ErrorNamesTheAdvertisedFeedsResolvedAgainstThePageUrl) {
  const std::string page =
      "<!DOCTYPE html>\n<html><head><title>Site</title>"
      "<link rel=\"stylesheet\" type=\"text/css\" href=\"/s.css\">"
      "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"RSS\" href=\"../feed/\">"
      "<LINK REL=\"Alternate nofollow\" TYPE=\"application/atom+xml; charset=utf-8\" "
      "HREF=\"https://other.example/atom.xml\">"
      "<link rel=\"alternate\" type=\"text/html\" hreflang=\"fr\" href=\"/fr/\">"
      "<link rel=\"alternate\" type=\"application/rss+xml\" href=\"/blog/../feed/\">"
      "</head><body><p>hi<p>there</body></html>";
  EXPECT_EQ(error_of(page, "https://site.example/blog/"),
            "an HTML page, which names these feeds: https://site.example/feed/, "
            "https://other.example/atom.xml; put one in the source's url");
}

TEST(HtmlPage, OneFeedOrMoreThanThree) {
  const std::string one = "<html><head><link rel=alternate type=application/feed+json "
                          "href=/feed.json></head></html>";
  EXPECT_EQ(error_of(one, "http://x.example/"),
            "an HTML page, which names a feed at http://x.example/feed.json; put one in the "
            "source's url");
  std::string many = "<html><head>";
  for (int i = 0; i < 5; ++i) {
    many += "<link rel=alternate type=application/rss+xml href=/f" + std::to_string(i) + ">";
  }
  many += "</head><body></body></html>";
  EXPECT_EQ(error_of(many, "http://x.example/"),
            "an HTML page, which names these feeds: http://x.example/f0, http://x.example/f1, "
            "http://x.example/f2 and 2 more; put one in the source's url");
}

TEST(HtmlPage, NoFeedLinkSaysSo) {
  EXPECT_EQ(error_of("<!doctype html><html><head><title>t</title></head><body><p>x<br>y"
                     "</body></html>"),
            "an HTML page that names no feed (no <link rel=alternate> to a feed in its head)");
  // Feed links after <head> are not looked for.
  EXPECT_EQ(error_of("<html><head></head><body><link rel=alternate type=application/rss+xml "
                     "href=/f></body></html>")
                .find("names no feed"),
            0u + std::string("an HTML page that ").size());
}

TEST(HtmlPage, OtherNonFeedsKeepTheirMessage) {
  EXPECT_EQ(error_of("<foo><bar>baz</bar></foo>"), "no RSS, Atom or RDF element");
}

} // namespace
} // namespace reelfeed::parse
