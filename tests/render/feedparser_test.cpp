// The rendered documents as a real feed reader sees them: Debian's python3-feedparser
// must read them without a bozo flag and find every entry's id, title, link and tags.
#include "fixtures.hpp"
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

json expectation(const std::string& version, const std::string& self) {
  json want{{"version", version}, {"title", "AI in Hollywood"}, {"entries", json::array()}};
  if (!self.empty()) {
    want["self"] = self;
  }
  want["entries"].push_back({{"id", "urn:reelfeed:story:3"},
                             {"title", "OpenAI's Sora pitched to Hollywood studios"},
                             {"link", "https://www.hollywoodreporter.com/sora-studios"},
                             {"tags", {"ai-hollywood", "ai", "entertainment"}},
                             {"published", "2024-05-01T14:00:00Z"}});
  want["entries"].push_back(
      {{"id", "urn:reelfeed:story:2"},
       {"title", "Deepfake actors & <studios> \xC3\xA9t\xC3\xA9 \xEF\xBF\xBD end"},
       {"link", "https://deadline.com/2024/05/deepfake?a=1&b=2"},
       {"tags", {"ai-hollywood", "ai", "Film"}},
       {"published", "2024-05-01T13:00:00Z"}});
  want["entries"].push_back(
      {{"id", "urn:reelfeed:story:1"},
       {"title", "SAG-AFTRA reaches AI deal with studios"},
       {"link", "https://variety.com/2024/biz/news/sag-aftra-ai-deal-1235.html"},
       {"tags", {"ai-hollywood", "ai", "entertainment", "Business", "Labor"}},
       {"published", "2024-05-01T12:00:00Z"}});
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

TEST_F(Feedparser, CheckerRejectsAWrongExpectation) {
  // Guards the oracle itself: a mismatch must make check_feed.py fail.
  json want = expectation("atom10", "");
  want["entries"][0]["id"] = "urn:reelfeed:story:999";
  EXPECT_EQ(check(atom(test::sample_info(), m_items), "feed.atom", want), 1);
  EXPECT_EQ(check("<rss><channel><title>x</title><item></channel>", "broken.rss",
                  expectation("rss20", "")),
            1);
}

} // namespace
} // namespace reelfeed::render
