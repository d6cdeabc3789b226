// Random hostile input (fixed seeds, so failures reproduce): whatever a feed carries, the
// documents stay well-formed / valid and the sanitiser's output is stable and script-free.
#include "fixtures.hpp"
#include "render/sanitize.hpp"

#include <random>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

namespace reelfeed::render {
namespace {

/// Fragments that stress the writers and the sanitiser, glued with random bytes.
std::string hostile(std::mt19937& rng) {
  static const std::vector<std::string> k_parts = {"<script>alert(1)</script>",
                                                   "<p onclick='x()'>",
                                                   "</p>",
                                                   "<a href=\"javascript:x\">",
                                                   "<a href='https://ok.example/?a=1&b=2'>",
                                                   "</a>",
                                                   "]]>",
                                                   "<![CDATA[",
                                                   "&amp;",
                                                   "&",
                                                   "&#0;",
                                                   "&#x1;",
                                                   "<!--",
                                                   "-->",
                                                   "<svg><script>x</script>",
                                                   "<iframe src=x>",
                                                   "<img src=x "
                                                   "onerror=y>",
                                                   "<style>",
                                                   "<form>",
                                                   "\"",
                                                   "'",
                                                   "<",
                                                   ">",
                                                   "\xC3\xA9",
                                                   "\xF0\x9F\x8E\xAC",
                                                   "\xFF",
                                                   "\xC0\xAF",
                                                   "\xED\xA0\x80",
                                                   "\xEF\xBF\xBE",
                                                   "<a href=\"../x y\">",
                                                   "<img src='//cdn.example/a'>",
                                                   "<a href='#f'>",
                                                   "<a href=\"?q=1\">",
                                                   "<b><i>",
                                                   "<table><tr><td>",
                                                   "\r\n"};
  std::string out;
  std::uniform_int_distribution<int> count(0, 12);
  std::uniform_int_distribution<std::size_t> pick(0, k_parts.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = count(rng); i > 0; --i) {
    out += k_parts[pick(rng)];
    out += static_cast<char>(byte(rng));
  }
  return out;
}

/// pugixml tolerates C0 controls, XML 1.0 (and feedparser) do not.
bool xml_chars_only(const std::string& s) {
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && u != '\t' && u != '\n' && u != '\r') {
      return false;
    }
  }
  return s.find("\xEF\xBF\xBE") == std::string::npos && s.find("\xEF\xBF\xBF") == std::string::npos;
}

TEST(HostileInput, DocumentsStayWellFormed) {
  std::mt19937 rng(20240501);
  for (int round = 0; round < 200; ++round) {
    Item it = test::plain_item();
    it.story.uid = hostile(rng);
    it.story.title = hostile(rng);
    it.story.author = hostile(rng);
    it.story.summary = hostile(rng);
    it.story.content = hostile(rng);
    it.story.categories = {hostile(rng), hostile(rng)};
    it.story.outlets.push_back({9, hostile(rng), hostile(rng), hostile(rng), {}, "", {}});
    FeedInfo info = test::sample_info();
    info.title = hostile(rng);
    const std::vector<Item> items{it};

    pugi::xml_document doc;
    const std::string a = atom(info, items);
    ASSERT_TRUE(doc.load_string(a.c_str())) << "round " << round << "\n" << a;
    EXPECT_TRUE(xml_chars_only(a)) << "round " << round << "\n" << a;
    const std::string content = doc.child("feed").child("entry").child_value("content");
    EXPECT_EQ(content.find("<script"), std::string::npos) << content;
    const std::string r = rss(info, items);
    ASSERT_TRUE(doc.load_string(r.c_str())) << "round " << round << "\n" << r;
    EXPECT_TRUE(xml_chars_only(r)) << "round " << round << "\n" << r;
    EXPECT_TRUE(nlohmann::json::accept(json_feed(info, items))) << "round " << round;
  }
}

TEST(HostileInput, SanitiserIsIdempotentAndScriptFree) {
  std::mt19937 rng(7);
  int resolved = 0;
  for (int round = 0; round < 500; ++round) {
    // Every other round resolves relative references against an article URL.
    const std::string base = round % 2 == 0 ? "" : "https://variety.com/2024/film/a.html?x=1";
    const std::string once = sanitize_html(hostile(rng), base);
    EXPECT_EQ(sanitize_html(once, base), once) << "round " << round;
    resolved += once.find("https://variety.com/2024/film/") != std::string::npos ? 1 : 0;
    for (const char* bad :
         {"<script", "<iframe", "<svg", "<style", "javascript:", "onerror", "onclick", "<!--"}) {
      EXPECT_EQ(once.find(bad), std::string::npos) << bad << " in " << once;
    }
  }
  EXPECT_GT(resolved, 20); // the relative references did meet the resolver
}

TEST(StableIds, EditsDoNotChangeTheId) {
  Item it = test::plain_item();
  const std::vector<Item> before{it};
  it.story.title = "SAG-AFTRA reaches AI deal with studios (updated)";
  it.story.updated = test::at(test::k_base + 86400);
  it.story.outlets.push_back({9, "Deadline", "x", "https://deadline.com/x", {}, "", {}});
  const std::vector<Item> after{it};
  pugi::xml_document a;
  pugi::xml_document b;
  ASSERT_TRUE(a.load_string(atom(test::sample_info(), before).c_str()));
  ASSERT_TRUE(b.load_string(atom(test::sample_info(), after).c_str()));
  EXPECT_STREQ(a.child("feed").child("entry").child_value("id"),
               b.child("feed").child("entry").child_value("id"));
  EXPECT_STRNE(a.child("feed").child("entry").child_value("updated"),
               b.child("feed").child("entry").child_value("updated"));
  // Identical input renders identical bytes (stable ETags).
  EXPECT_EQ(atom(test::sample_info(), before), atom(test::sample_info(), before));
}

} // namespace
} // namespace reelfeed::render
