// with_self_url(): the same document at another address, by replacing only its self link.
// The oracle is the writer itself: the spliced document must be byte-identical to writing
// the items again with the other self URL.
#include "fixtures.hpp"
#include "render/prepared.hpp"
#include "render/self_link.hpp"

#include <stdexcept>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace reelfeed::render {
namespace {

using test::sample_info;
using test::sample_items;

constexpr DocFormat k_formats[] = {DocFormat::atom, DocFormat::rss, DocFormat::json};

const char* name(DocFormat f) {
  return f == DocFormat::atom ? "atom" : f == DocFormat::rss ? "rss" : "json";
}

std::string write(DocFormat f, const FeedInfo& info, std::span<const Prepared> items) {
  switch (f) {
  case DocFormat::atom:
    return atom(info, items);
  case DocFormat::rss:
    return rss(info, items);
  case DocFormat::json:
    return json_feed(info, items);
  }
  return {};
}

FeedInfo with_self(std::string self) {
  FeedInfo info = sample_info();
  info.self_url = std::move(self);
  return info;
}

TEST(WithSelfUrl, EqualsWritingTheItemsAgainWithThatSelfUrl) {
  const std::vector<Prepared> items = prepare_all(sample_items());
  const std::string topic = "http://127.0.0.1:8080/topics/ai-hollywood.";
  const std::string feed = "http://127.0.0.1:8080/feed.";
  for (const DocFormat f : k_formats) {
    const std::string ext = name(f);
    const std::string written = write(f, with_self(topic + ext), items);
    const std::string spliced = with_self_url(f, written, feed + ext);
    EXPECT_EQ(spliced, write(f, with_self(feed + ext), items)) << ext;
    EXPECT_NE(spliced, written) << ext;
    // And back again.
    EXPECT_EQ(with_self_url(f, spliced, topic + ext), written) << ext;
  }
}

TEST(WithSelfUrl, EscapesAndCleansTheUrlAsTheWriterDoes) {
  const std::vector<Prepared> items = prepare_all(sample_items());
  // Characters each format must escape, controls clean_text() drops, invalid UTF-8 that
  // becomes U+FFFD, a backslash for JSON, and a URL much longer than the one it replaces.
  const std::string hostile =
      "http://h:1/a?x=1&y=\"2\"<b>'c'\\\t\n\r\x01\x7f\xC3\xA9\xFF" + std::string(500, 'z');
  for (const DocFormat f : k_formats) {
    const std::string written = write(f, sample_info(), items);
    EXPECT_EQ(with_self_url(f, written, hostile), write(f, with_self(hostile), items)) << name(f);
    EXPECT_EQ(with_self_url(f, written, "x"), write(f, with_self("x"), items)) << name(f);
  }
}

TEST(WithSelfUrl, ReplacesTheFeedsLinkNotLookalikeTextBeforeIt) {
  // The title precedes the self link in every format; text shaped like the self link must
  // stay text.
  FeedInfo info = sample_info();
  info.title = R"(<link rel="self" href="http://evil/"/> <atom:link href="x" rel="self"/> )"
               R"("feed_url": "http://evil/")";
  info.home_url = R"(http://home/"feed_url": ")";
  const std::vector<Prepared> items = prepare_all(sample_items());
  for (const DocFormat f : k_formats) {
    FeedInfo other = info;
    other.self_url = "http://other/feed";
    EXPECT_EQ(with_self_url(f, write(f, info, items), other.self_url), write(f, other, items))
        << name(f);
  }
}

TEST(WithSelfUrl, TheVariantStillParsesAndNamesItsAddress) {
  const std::vector<Prepared> items = prepare_all(sample_items());
  const std::string url = "http://127.0.0.1:8080/feed.atom?a=1&b=2";
  pugi::xml_document atom_doc;
  const std::string a = with_self_url(DocFormat::atom, atom(sample_info(), items), url);
  ASSERT_TRUE(atom_doc.load_buffer(a.data(), a.size()));
  EXPECT_STREQ(atom_doc.child("feed")
                   .find_child_by_attribute("link", "rel", "self")
                   .attribute("href")
                   .value(),
               url.c_str());
  pugi::xml_document rss_doc;
  const std::string r = with_self_url(DocFormat::rss, rss(sample_info(), items), url);
  ASSERT_TRUE(rss_doc.load_buffer(r.data(), r.size()));
  EXPECT_STREQ(rss_doc.child("rss").child("channel").child("atom:link").attribute("href").value(),
               url.c_str());
  const auto j =
      nlohmann::json::parse(with_self_url(DocFormat::json, json_feed(sample_info(), items), url));
  EXPECT_EQ(j["feed_url"], url);
  EXPECT_EQ(j["items"].size(), 3u);
}

TEST(WithSelfUrl, RejectsDocumentsWithoutASelfLinkAndAnEmptyUrl) {
  const std::vector<Prepared> items = prepare_all(sample_items());
  for (const DocFormat f : k_formats) {
    const std::string without = write(f, with_self(""), items);
    EXPECT_THROW((void)with_self_url(f, without, "http://h/feed"), std::invalid_argument)
        << name(f);
    EXPECT_THROW((void)with_self_url(f, write(f, sample_info(), items), ""), std::invalid_argument)
        << name(f);
  }
  // Another format's document is not this format's output.
  EXPECT_THROW((void)with_self_url(DocFormat::atom, rss(sample_info(), items), "http://h/"),
               std::invalid_argument);
  EXPECT_THROW((void)with_self_url(DocFormat::rss, atom(sample_info(), items), "http://h/"),
               std::invalid_argument);
  EXPECT_THROW((void)with_self_url(DocFormat::json, "{\"feed_url\": \"unterminated", "http://h/"),
               std::invalid_argument);
}

} // namespace
} // namespace reelfeed::render
