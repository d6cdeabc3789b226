// OPML: import as [[source]] tables, export of the configured sources, and the round trip.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "config/load.hpp"
#include "config/opml.hpp"

namespace reelfeed::config {
namespace {

const char* const k_opml = R"(<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My subscriptions</title></head>
  <body>
    <outline text="Entertainment" title="Entertainment">
      <outline type="rss" text="Variety" xmlUrl="https://variety.com/feed/"/>
      <outline type="rss" text="Deadline &amp; Co &quot;news&quot;" xmlUrl=" https://deadline.com/feed/ "/>
      <outline type="rss" text="Variety" xmlUrl="https://variety.com/v/film/feed/"/>
      <outline text="Animation"><outline type="rss" text="Cartoon Brew" xmlUrl="https://www.cartoonbrew.com/feed"/></outline>
    </outline>
    <outline type="rss" title="The Verge" xmlUrl="https://www.theverge.com/rss/index.xml"/>
    <outline type="rss" xmlUrl="https://nameless.example/rss"/>
    <outline type="rss" text="Dup" xmlUrl="https://variety.com/feed/"/>
    <outline text="A note without a feed"/>
  </body>
</opml>)";

TEST(Opml, ImportTakesEveryFeedWithUniqueNamesAndFolderTags) {
  const OpmlImport r = import_opml(k_opml);
  ASSERT_EQ(r.sources.size(), 6u);
  EXPECT_EQ(r.sources[0].name, "Variety");
  EXPECT_EQ(r.sources[0].url, "https://variety.com/feed/");
  EXPECT_EQ(r.sources[0].tags, (std::vector<std::string>{"entertainment"}));
  EXPECT_EQ(r.sources[1].name, "Deadline & Co \"news\"");
  EXPECT_EQ(r.sources[1].url, "https://deadline.com/feed/");
  EXPECT_EQ(r.sources[2].name, "Variety (2)");
  EXPECT_EQ(r.sources[3].name, "Cartoon Brew");
  EXPECT_EQ(r.sources[3].tags, (std::vector<std::string>{"entertainment", "animation"}));
  EXPECT_EQ(r.sources[4].name, "The Verge"); // title when there is no text
  EXPECT_TRUE(r.sources[4].tags.empty());
  EXPECT_EQ(r.sources[5].name, "https://nameless.example/rss"); // the URL when neither
  EXPECT_EQ(r.skipped,
            (std::vector<std::string>{"same URL as an earlier outline: https://variety.com/feed/",
                                      "no xmlUrl: A note without a feed"}));
}

TEST(Opml, ImportedTomlIsAConfigThatLoads) {
  const OpmlImport r = import_opml(k_opml);
  const LoadResult loaded = load_string(sources_toml(r.sources), "imported.toml", "/etc/reelfeed");
  ASSERT_TRUE(loaded.config) << (loaded.errors.empty() ? "" : loaded.errors.front().str());
  ASSERT_EQ(loaded.config->sources.size(), r.sources.size());
  for (std::size_t i = 0; i < r.sources.size(); ++i) {
    EXPECT_EQ(loaded.config->sources[i].name, r.sources[i].name);
    EXPECT_EQ(loaded.config->sources[i].url, r.sources[i].url);
    EXPECT_EQ(loaded.config->sources[i].tags, r.sources[i].tags);
  }
}

TEST(Opml, ExportThenImportGivesTheSameSources) {
  std::vector<SourceConfig> sources(2);
  sources[0].name = "A & <B>";
  sources[0].url = "https://a.example/feed?x=1&y=2";
  sources[0].tags = {"entertainment", "film"};
  sources[1].name = "C";
  sources[1].url = "https://c.example/rss";
  const std::string opml = export_opml(sources, "AI in Hollywood");
  EXPECT_NE(opml.find("<title>AI in Hollywood</title>"), std::string::npos) << opml;
  EXPECT_NE(opml.find("category=\"/entertainment,/film\""), std::string::npos) << opml;
  const OpmlImport back = import_opml(opml);
  ASSERT_EQ(back.sources.size(), 2u) << opml;
  EXPECT_EQ(back.sources[0].name, "A & <B>");
  EXPECT_EQ(back.sources[0].url, "https://a.example/feed?x=1&y=2");
  EXPECT_EQ(back.sources[1].name, "C");
  EXPECT_TRUE(back.skipped.empty());
}

TEST(Opml, NotOpmlIsAnError) {
  EXPECT_THROW((void)import_opml("<rss version=\"2.0\"><channel/></rss>"), std::runtime_error);
  EXPECT_THROW((void)import_opml("<opml><body><outline"), std::runtime_error);
  EXPECT_THROW((void)import_opml(""), std::runtime_error);
  std::string deep = "<opml><body>";
  for (int i = 0; i < 40; ++i) {
    deep += "<outline text=\"f\">";
  }
  deep += "<outline text=\"x\" xmlUrl=\"https://deep.example/\"/>";
  for (int i = 0; i < 40; ++i) {
    deep += "</outline>";
  }
  deep += "</body></opml>";
  const OpmlImport r = import_opml(deep); // bounded, not a stack overflow
  EXPECT_TRUE(r.sources.empty());
  EXPECT_EQ(r.skipped, (std::vector<std::string>{"outlines nested deeper than 32 levels"}));
}

} // namespace
} // namespace reelfeed::config
