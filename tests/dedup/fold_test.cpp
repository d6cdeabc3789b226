// fold() folds word by word (ASCII words without utf8proc); it must equal the one-pass
// Unicode rule over the whole text, which this test implements independently as its oracle.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <utf8proc.h>

#include "dedup/fold.hpp"

namespace reelfeed::test {
namespace {

std::string oracle(std::string_view text) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto opts =
      static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                              static_cast<utf8proc_ssize_t>(text.size()), &mapped, opts);
  if (n < 0) {
    std::string lower(text);
    for (char& c : lower)
      if (c >= 'A' && c <= 'Z')
        c = static_cast<char>(c - 'A' + 'a');
    return lower;
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
  std::string out;
  bool space = true;
  for (utf8proc_ssize_t i = 0; i < n;) {
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(mapped + i, n - i, &cp);
    if (len <= 0)
      break;
    const auto cat = utf8proc_category(cp);
    if ((cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
        (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO)) {
      out.append(reinterpret_cast<const char*>(mapped + i), static_cast<std::size_t>(len));
      space = false;
    } else if (cp != '\'' && cp != 0x2019 && cp != 0x2018 && !space) {
      out += ' ';
      space = true;
    }
    i += len;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

TEST(Fold, MatchesTheWholeTextRuleOnTrickyText) {
  const char* cases[] = {
      "",
      "   ",
      "Studio's AI deal",
      "Beyonc\xC3\xA9's \xE2\x80\x9CRenaissance\xE2\x80\x9D \xE2\x80\x94 the \xEF\xAC\x81lm",
      "e \xCC\x81x",                // a combining mark after a space
      "caf\x65\xCC\x81 ol\xC3\xA9", // decomposed and composed accents
      "co\xC2\xAD"
      "operate \xC2\xA0nbsp\xC2\xA0inside",
      "Stra\xC3\x9F"
      "e STRASSE \xC3\x9F", // casefold to two letters
      "\xE2\x80\x98quoted\xE2\x80\x99 and 'quoted'",
      "tab\tnew\nline\rform\fvt\v end  ",
      "\xE3\x80\x80ideographic\xE3\x80\x80space",
      "\xEC\x95\x88\xEB\x85\x95 \xED\x95\x98\xEC\x84\xB8\xEC\x9A\x94 Korean",
      "truncated \xE2\x80", // invalid UTF-8: byte fallback
      "lone \x80 continuation",
      "\xEF\xBB\xBF"
      "BOM first",
      "A\xCC\x8A\xE2\x84\xAB ring and angstrom",
      "\xE2\x91\xA0 circled \xC2\xB2 superscript",
  };
  for (const char* c : cases)
    EXPECT_EQ(dedup::fold(c), oracle(c)) << c;
}

TEST(Fold, MatchesTheWholeTextRuleOnRealFeeds) {
  // Every 1,200-byte window of the real-world corpus, cut anywhere (also mid-character).
  const std::filesystem::path dir = std::filesystem::path(REELFEED_SHARED_DIR) / "corpus";
  if (!std::filesystem::is_directory(dir))
    GTEST_SKIP() << "no corpus at " << dir;
  std::size_t windows = 0;
  std::size_t non_ascii = 0;
  for (const auto& f : std::filesystem::recursive_directory_iterator(dir)) {
    if (!f.is_regular_file() || f.file_size() > 4'000'000)
      continue;
    std::ifstream in(f.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string text = ss.str();
    for (std::size_t at = 0; at < text.size(); at += 997) {
      const std::string_view w = std::string_view(text).substr(at, 1200);
      non_ascii += w.find_first_of("\x80\x81\xC3\xE2") != std::string_view::npos ? 1 : 0;
      ASSERT_EQ(dedup::fold(w), oracle(w)) << f.path() << " at " << at;
      ++windows;
    }
  }
  EXPECT_GT(windows, 1000U);
  EXPECT_GT(non_ascii, 100U); // the corpus does exercise the Unicode path
}

} // namespace
} // namespace reelfeed::test
