// The rendered documents as a real feed reader sees them: Debian's python3-feedparser
// must read them without a bozo flag and find every entry's id, title, link and tags.
#include "fixtures.hpp"
#include "render/self_link.hpp"
#include "support/temp_dir.hpp"

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/wait.h>

namespace reelfeed::render {
namespace {

using nlohmann::json;

constexpr const char* k_python = "/usr/bin/python3";

bool feedparser_available() {
  const std::string cmd = std::string(k_python) + " -c 'import feedparser' 2>/dev/null";
  return std::system(cmd.c_str()) == 0;
}

/// What a reader must find in test::sample_items()'s document: per entry the basics, the
/// "Also covered by" links in the content, and per format what only it carries (Atom's
/// rel="related" links, JSON Feed's "_reelfeed" extension).
json expectation(const std::string& version, const std::string& self) {
  const bool atom = version == "atom10";
  const bool json_feed = version == "json11";
  json want{{"version", version}, {"title", "AI in Hollywood"}, {"entries", json::array()}};
  if (!self.empty()) {
    want["self"] = self;
  }
  const json sora_outlets =
      json::array({{{"source", "The Hollywood Reporter"},
                    {"link", "https://www.hollywoodreporter.com/sora-studios"},
                    {"title", "OpenAI's Sora pitched to Hollywood studios"}},
                   {{"source", "Deadline"},
                    {"link", "https://deadline.com/sora"},
                    {"title", "Sora meets Hollywood"}},
                   {{"source", "The Wrap"},
                    {"link", "https://www.thewrap.com/sora?x=1&y=2"},
                    {"title", "OpenAI courts studios"}}});
  json sora{{"id", "urn:reelfeed:story:3"},
            {"title", "OpenAI's Sora pitched to Hollywood studios"},
            {"link", "https://www.hollywoodreporter.com/sora-studios"},
            {"tags", {"ai-hollywood", "ai", "entertainment"}},
            {"published", "2024-05-01T14:00:00Z"},
            {"also_covered",
             json::array({json::array({"Deadline", "https://deadline.com/sora"}),
                          json::array({"The Wrap", "https://www.thewrap.com/sora?x=1&y=2"})})}};
  json deepfake{{"id", "urn:reelfeed:story:2"},
                {"title", "Deepfake actors & <studios> \xC3\xA9t\xC3\xA9 \xEF\xBF\xBD end"},
                {"link", "https://deadline.com/2024/05/deepfake?a=1&b=2"},
                {"tags", {"ai-hollywood", "ai", "Film"}},
                {"published", "2024-05-01T13:00:00Z"},
                {"also_covered", json::array()}};
  // Variety's raw title is "EXCLUSIVE: ... | Variety": readers get the headline alone.
  json sag{{"id", "urn:reelfeed:story:1"},
           {"title", "SAG-AFTRA reaches AI deal with studios"},
           {"link", "https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html"},
           {"tags", {"ai-hollywood", "ai", "entertainment", "Business", "Labor"}},
           {"published", "2024-05-01T12:00:00Z"},
           {"also_covered", json::array()}};
  if (atom) {
    sora["related"] = {"https://deadline.com/sora", "https://www.thewrap.com/sora?x=1&y=2"};
    deepfake["related"] = json::array();
    sag["related"] = json::array();
  }
  if (json_feed) {
    sora["reelfeed"] = {{"outlets", sora_outlets},
                        {"topic", "ai-hollywood"},
                        {"concepts", {"ai", "entertainment"}}};
    deepfake["reelfeed"] = {{"outlets",
                             {{{"source", "Deadline"},
                               {"link", "https://deadline.com/2024/05/deepfake?a=1&b=2"},
                               {"title", "Deepfake actors"}}}},
                            {"topic", "ai-hollywood"},
                            {"concepts", {"ai"}}};
    sag["reelfeed"] = {{"outlets",
                        {{{"source", "Variety"},
                          {"link", "https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html"},
                          {"title", "SAG-AFTRA reaches AI deal with studios"}}}},
                       {"topic", "ai-hollywood"},
                       {"concepts", {"ai", "entertainment"}}};
  }
  want["entries"] = {sora, deepfake, sag};
  return want;
}

/// Runs check_feed.py; returns its exit status.
int check(const std::string& document, const std::string& name, const json& want) {
  const reelfeed::test::TempDir dir;
  const auto feed = dir.write(name, document);
  const auto expected = dir.write("expected.json", want.dump());
  const std::string cmd = std::string(k_python) + " " + REELFEED_TEST_DATA +
                          "/render/check_feed.py " + feed.string() + " " + expected.string();
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

class Feedparser : public ::testing::Test {
protected:
  void SetUp() override {
    if (!feedparser_available()) {
      GTEST_SKIP() << "python3-feedparser is not importable by " << k_python;
    }
  }
  std::vector<Item> m_items = test::sample_items();
};

TEST_F(Feedparser, ReadsAtomWithoutErrors) {
  EXPECT_EQ(check(atom(test::sample_info(), m_items), "feed.atom",
                  expectation("atom10", "http://127.0.0.1:8080/feed.atom")),
            0);
}

TEST_F(Feedparser, ReadsRssWithoutErrors) {
  EXPECT_EQ(check(rss(test::sample_info(), m_items), "feed.rss",
                  expectation("rss20", "http://127.0.0.1:8080/feed.atom")),
            0);
}

TEST_F(Feedparser, JsonFeedPassesTheSameChecks) {
  // feedparser 6.0 cannot read JSON Feed; check_feed.py applies JSON Feed 1.1 rules itself.
  EXPECT_EQ(check(json_feed(test::sample_info(), m_items), "feed.json", expectation("json11", "")),
            0);
}

TEST_F(Feedparser, ReadsTheSelfLinkOfTheDocumentAtAnotherUrl) {
  // The default topic's document at /topics/NAME.* is /feed.*'s with its own self link.
  const std::string url = "http://127.0.0.1:8080/topics/ai-hollywood.atom?a=1&b=2";
  EXPECT_EQ(check(with_self_url(DocFormat::atom, atom(test::sample_info(), m_items), url),
                  "topic.atom", expectation("atom10", url)),
            0);
  EXPECT_EQ(check(with_self_url(DocFormat::rss, rss(test::sample_info(), m_items), url),
                  "topic.rss", expectation("rss20", url)),
            0);
  // The old address is gone: the checker sees the self link it was told to expect, only.
  EXPECT_EQ(check(with_self_url(DocFormat::atom, atom(test::sample_info(), m_items), url),
                  "topic.atom", expectation("atom10", "http://127.0.0.1:8080/feed.atom")),
            1);
}

TEST_F(Feedparser, CheckerRejectsAWrongExpectation) {
  // Guards the oracle itself: a mismatch must make check_feed.py fail.
  json want = expectation("atom10", "");
  want["entries"][0]["id"] = "urn:reelfeed:story:999";
  EXPECT_EQ(check(atom(test::sample_info(), m_items), "feed.atom", want), 1);
  EXPECT_EQ(check("<rss><channel><title>x</title><item></channel>", "broken.rss",
                  expectation("rss20", "")),
            1);
}

TEST_F(Feedparser, CheckerRejectsMissingOutletsAndExtensions) {
  // The same document with a wrong "Also covered by" list, related links or extension fails.
  json covered = expectation("rss20", "");
  covered["entries"][0]["also_covered"].erase(1);
  EXPECT_EQ(check(rss(test::sample_info(), m_items), "feed.rss", covered), 1);
  json uncovered = expectation("atom10", "");
  uncovered["entries"][2]["also_covered"] =
      json::array({json::array({"Deadline", "https://deadline.com/sora"})});
  EXPECT_EQ(check(atom(test::sample_info(), m_items), "feed.atom", uncovered), 1);
  json related = expectation("atom10", "");
  related["entries"][0]["related"].erase(0);
  EXPECT_EQ(check(atom(test::sample_info(), m_items), "feed.atom", related), 1);
  json ext = expectation("json11", "");
  ext["entries"][0]["reelfeed"]["outlets"][1]["title"] = "UPDATED: Sora meets Hollywood - Deadline";
  EXPECT_EQ(check(json_feed(test::sample_info(), m_items), "feed.json", ext), 1);
}

TEST_F(Feedparser, CheckerRejectsJsonFeedOutsideTheSpec) {
  json doc = json::parse(json_feed(test::sample_info(), m_items));
  doc["items"][0]["reelfeed"] = 1; // extensions must start with '_'
  EXPECT_EQ(check(doc.dump(), "feed.json", expectation("json11", "")), 1);
  doc = json::parse(json_feed(test::sample_info(), m_items));
  doc["items"][1]["authors"] = json::array({json::object()});
  EXPECT_EQ(check(doc.dump(), "feed.json", expectation("json11", "")), 1);
  doc = json::parse(json_feed(test::sample_info(), m_items));
  doc["items"][2].erase("content_html");
  EXPECT_EQ(check(doc.dump(), "feed.json", expectation("json11", "")), 1);
}

} // namespace
} // namespace reelfeed::render
