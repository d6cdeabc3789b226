#include <gtest/gtest.h>

#include "dedup/dedup.hpp"

namespace reelfeed::dedup {
namespace {

TEST(CanonicalUrl, LowerCasesSchemeAndHostButNotPath) {
  EXPECT_EQ(canonical_url("HTTPS://Variety.COM/2026/Film/News/Story-1234/"),
            "https://variety.com/2026/Film/News/Story-1234");
}

TEST(CanonicalUrl, PrefersHttpsAndDropsDefaultPortsAndFragment) {
  EXPECT_EQ(canonical_url("http://deadline.com:80/2026/11/sag-aftra-ai-deal/#comments"),
            "https://deadline.com/2026/11/sag-aftra-ai-deal");
  EXPECT_EQ(canonical_url("https://deadline.com:443/x"), "https://deadline.com/x");
  EXPECT_EQ(canonical_url("https://deadline.com:8443/x"), "https://deadline.com:8443/x");
}

TEST(CanonicalUrl, StripsTrackingParametersKeepsRealOnes) {
  EXPECT_EQ(canonical_url("https://www.hollywoodreporter.com/business/sag-ai-123/"
                          "?utm_source=rss&utm_medium=feed&utm_campaign=daily&fbclid=IwAR0x"),
            "https://www.hollywoodreporter.com/business/sag-ai-123");
  EXPECT_EQ(canonical_url("https://thewrap.com/a?mc_cid=1&mc_eid=2&gclid=3&cmpid=x&ref=rss&id=7"),
            "https://thewrap.com/a?id=7");
  EXPECT_EQ(canonical_url("https://example.com/watch?v=abc&UTM_Source=x&page=2"),
            "https://example.com/watch?page=2&v=abc");
}

TEST(CanonicalUrl, QueryOrderDoesNotMatter) {
  EXPECT_EQ(canonical_url("https://a.example/p?b=2&a=1"),
            canonical_url("https://a.example/p?a=1&b=2"));
}

TEST(CanonicalUrl, AmpVariantsFoldToTheArticle) {
  const std::string article = "https://variety.com/2026/biz/news/sag-aftra-ai-1236";
  EXPECT_EQ(canonical_url("https://variety.com/2026/biz/news/sag-aftra-ai-1236/amp/"), article);
  EXPECT_EQ(canonical_url("https://variety.com/2026/biz/news/sag-aftra-ai-1236/?amp"), article);
  EXPECT_EQ(canonical_url("https://variety.com/2026/biz/news/sag-aftra-ai-1236?amp=1"), article);
  EXPECT_EQ(canonical_url("https://amp.variety.com/2026/biz/news/sag-aftra-ai-1236"), article);
  EXPECT_EQ(canonical_url("https://variety.com/2026/biz/news/sag-aftra-ai-1236?outputType=amp"),
            article);
  EXPECT_EQ(canonical_url("https://variety-com.cdn.ampproject.org/c/s/variety.com/2026/biz/news/"
                          "sag-aftra-ai-1236/amp/"),
            article);
  EXPECT_EQ(canonical_url("https://example.com/story.amp.html"), "https://example.com/story.html");
}

TEST(CanonicalUrl, DoesNotTouchWordsThatMerelyContainAmp) {
  EXPECT_EQ(canonical_url("https://example.com/camp/amplifier-review?ample=1"),
            "https://example.com/camp/amplifier-review?ample=1");
}

TEST(CanonicalUrl, NonHttpInputIsReturnedUnchanged) {
  EXPECT_EQ(canonical_url("urn:uuid:1234"), "urn:uuid:1234");
  EXPECT_EQ(canonical_url("file:///tmp/feed.xml"), "file:///tmp/feed.xml");
  EXPECT_EQ(canonical_url(""), "");
  EXPECT_EQ(canonical_url("tag:variety.com,2026:1"), "tag:variety.com,2026:1");
}

TEST(CanonicalUrl, RootPathAndEscapes) {
  EXPECT_EQ(canonical_url("http://Example.com"), "https://example.com/");
  EXPECT_EQ(canonical_url("https://example.com/"), "https://example.com/");
  EXPECT_EQ(canonical_url("https://example.com/a%2fb"), "https://example.com/a%2Fb");
}

} // namespace
} // namespace reelfeed::dedup
