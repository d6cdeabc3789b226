#include <gtest/gtest.h>

#include <set>
#include <string>

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

TEST(CanonicalUrl, AmpPathSuffix) {
  EXPECT_EQ(canonical_url("https://www.cbsnews.com/news/studio-ai-actor/amp"),
            "https://www.cbsnews.com/news/studio-ai-actor");
  EXPECT_EQ(canonical_url("https://www.cbsnews.com/news/studio-ai-actor/AMP/"),
            "https://www.cbsnews.com/news/studio-ai-actor");
}

TEST(CanonicalUrl, AmpPathPrefixAndMiddleSegment) {
  EXPECT_EQ(canonical_url("https://www.cnbc.com/amp/2026/12/01/ai-film-studio.html"),
            "https://www.cnbc.com/2026/12/01/ai-film-studio.html");
  EXPECT_EQ(canonical_url("https://www.bbc.co.uk/news/amp/entertainment-arts-123"),
            "https://www.bbc.co.uk/news/entertainment-arts-123");
}

TEST(CanonicalUrl, AmpPlatformPrefix) {
  EXPECT_EQ(canonical_url("https://www.nbcnews.com/platform/amp/tech/ai-video-model-rcna1"),
            "https://www.nbcnews.com/tech/ai-video-model-rcna1");
  EXPECT_EQ(canonical_url("https://www.nbcnews.com/platform/amp/tech/ai-video-model-rcna1?ocid=x"),
            canonical_url("https://www.nbcnews.com/tech/ai-video-model-rcna1"));
  // "platform" is the article's own segment when no AMP segment follows it.
  EXPECT_EQ(canonical_url("https://example.com/platform/news/x"),
            "https://example.com/platform/news/x");
}

TEST(CanonicalUrl, AmpFileSuffix) {
  EXPECT_EQ(canonical_url("https://example.com/2026/ai-actor.amp"),
            "https://example.com/2026/ai-actor");
  EXPECT_EQ(canonical_url("https://example.com/2026/ai-actor.amp.htm"),
            "https://example.com/2026/ai-actor.htm");
}

TEST(CanonicalUrl, AmpQuerySwitches) {
  const std::string article = "https://example.com/a";
  EXPECT_EQ(canonical_url("https://example.com/a?amp=true"), article);
  EXPECT_EQ(canonical_url("https://example.com/a?output=amp"), article);
  // amp=0 asks for the normal page explicitly: not a tracking switch, kept.
  EXPECT_EQ(canonical_url("https://example.com/a?amp=0"), "https://example.com/a?amp=0");
}

TEST(CanonicalUrl, MobileHostsFoldToTheSite) {
  EXPECT_EQ(canonical_url("https://m.bbc.co.uk/news/entertainment-arts-123"),
            "https://www.bbc.co.uk/news/entertainment-arts-123");
  EXPECT_EQ(canonical_url("https://mobile.nytimes.com/2026/12/01/movies/ai-actor.html"),
            "https://www.nytimes.com/2026/12/01/movies/ai-actor.html");
  EXPECT_EQ(canonical_url("https://M.Hollywoodreporter.com/x"),
            "https://www.hollywoodreporter.com/x");
  EXPECT_EQ(canonical_url("https://en.m.wikipedia.org/wiki/Tilly_Norwood"),
            "https://en.wikipedia.org/wiki/Tilly_Norwood");
  // A two-label host is a site of its own; "m" inside a label is not a mobile marker.
  EXPECT_EQ(canonical_url("https://m.tv/x"), "https://m.tv/x");
  EXPECT_EQ(canonical_url("https://mobileworld.com/x"), "https://mobileworld.com/x");
  EXPECT_EQ(canonical_url("https://am.variety.com/x"), "https://am.variety.com/x");
  EXPECT_EQ(canonical_url("https://news.m.com/x"), "https://news.m.com/x");
}

TEST(CanonicalUrl, TrackingParametersBeyondUtm) {
  const std::string article = "https://www.latimes.com/entertainment/story/ai-actor?id=9";
  for (const char* q :
       {"fbclid=Iw", "gclid=C", "mc_cid=1", "mc_eid=2", "ref=rss", "cmpid=x", "ito=792", "ocid=msn",
        "icid=home", "intcmp=nav", "WT.mc_id=tw", "xtor=RSS-1", "ns_source=fb", "guccounter=1",
        "ftag=CNM", "s_cid=n", "utm_content=a", "mtm_campaign=b"})
    EXPECT_EQ(canonical_url("https://www.latimes.com/entertainment/story/ai-actor?" +
                            std::string(q) + "&id=9"),
              article)
        << q;
}

TEST(CanonicalUrl, NoRuleMergesTwoDistinctArticles) {
  // Segments and hosts that only look like AMP or mobile markers are the article's own.
  const char* distinct[] = {
      "https://example.com/amp",                    // a page called amp
      "https://example.com/amp-stories/ai-actor",   // a section whose name starts with amp
      "https://example.com/camp/ai-actor",          //
      "https://example.com/2026/amped-up-ai-actor", //
      "https://example.com/2026/ai-actor-amp",      // a slug that ends in amp
      "https://example.com/2026/ai-actor.ample",    //
      "https://example.com/a?amplitude=1",          //
      "https://example.com/a?page=2",               // a real parameter
      "https://example.com/a?id=7",                 //
      "https://example.com/a?reference=7",          // not "ref"
      "https://example.com/platform",               // a page called platform
      "https://ampere.example.com/a",               // a host that starts with amp
      "https://example.com/a",                      //
  };
  std::set<std::string> seen;
  for (const char* u : distinct)
    EXPECT_TRUE(seen.insert(canonical_url(u)).second) << u << " -> " << canonical_url(u);
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
