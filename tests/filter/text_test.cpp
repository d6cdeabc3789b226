// Text preparation: HTML stripping, Unicode folding, tokens, possessives and plurals.

#include <gtest/gtest.h>

#include "filter/text.hpp"

namespace reelfeed::filter {
namespace {

std::vector<std::string> folded(std::string_view text) {
  TokenList l;
  l.add_segment(text);
  std::vector<std::string> out;
  for (const auto& t : l.tokens())
    out.emplace_back(l.folded(t));
  return out;
}

std::vector<std::string> cased(std::string_view text) {
  TokenList l;
  l.add_segment(text);
  std::vector<std::string> out;
  for (const auto& t : l.tokens())
    out.emplace_back(l.cased(t));
  return out;
}

using V = std::vector<std::string>;

TEST(Text, StripHtmlRemovesTagsScriptsAndDecodesEntities) {
  EXPECT_EQ(strip_html("<p>Rock &amp; roll</p>"), " Rock & roll ");
  EXPECT_EQ(strip_html("a<script>var ai = 1;</script>b"), "a b");
  EXPECT_EQ(strip_html("<STYLE>.x{}</STYLE>c"), " c");
  EXPECT_EQ(strip_html("&#65;&#x49; &lt;tag&gt; &bogus; AT&T"), "AI <tag> &bogus; AT&T");
  EXPECT_EQ(strip_html("it&rsquo;s"), "it\xE2\x80\x99s");
  EXPECT_EQ(strip_html("unclosed <b"), "unclosed  ");
}

TEST(Text, FoldIsUnicodeCaseFoldingWithNfkc) {
  EXPECT_EQ(fold("Hollywood"), "hollywood");
  EXPECT_EQ(fold("STRASSE Straße"), "strasse strasse");
  EXPECT_EQ(fold("\xEF\xBC\xA1\xEF\xBC\xA9"), "ai"); // fullwidth "ＡＩ"
  EXPECT_EQ(fold("ÉCOLE"), "école");
}

TEST(Text, WordsSplitOnPunctuationAndKeepUnicodeLetters) {
  EXPECT_EQ(folded("AI-generated, text-to-video!"), (V{"ai", "generated", "text", "to", "video"}));
  EXPECT_EQ(folded("Taiwan Dubai Thai aim"), (V{"taiwan", "dubai", "thai", "aim"}));
  EXPECT_EQ(folded("Café Zoë"), (V{"café", "zoë"}));
  EXPECT_EQ(folded("ＳＯＲＡ"), (V{"sora"}));
}

TEST(Text, PossessivesAndAcronymsWithDots) {
  EXPECT_EQ(cased("Runway's Act-One"), (V{"Runway", "Act", "One"}));
  EXPECT_EQ(cased("Netflix\xE2\x80\x99s AI"), (V{"Netflix", "AI"}));
  EXPECT_EQ(cased("generative A.I. headwinds"), (V{"generative", "AI", "headwind"}));
  EXPECT_EQ(cased("U.S. film"), (V{"US", "film"}));
  EXPECT_EQ(cased("actors' union"), (V{"actor", "union"}));
  EXPECT_EQ(cased("we're"), (V{"we", "re"}));
}

TEST(Text, PluralStemsMeetTheirSingulars) {
  auto s = [](std::string w) {
    stem_in_place(w);
    return w;
  };
  EXPECT_EQ(s("studios"), s("studio"));
  EXPECT_EQ(s("movies"), s("movie"));
  EXPECT_EQ(s("celebrities"), s("celebrity"));
  EXPECT_EQ(s("actresses"), s("actress"));
  EXPECT_EQ(s("deepfakes"), s("deepfake"));
  EXPECT_EQ(s("AIs"), "AI");
  EXPECT_EQ(s("boxes"), "box");
  EXPECT_EQ(s("status"), "status");
  EXPECT_EQ(s("analysis"), "analysis");
  EXPECT_NE(s("aids"), "ai"); // AIDS is not AI
}

TEST(Text, CategoriesAreSeparateSegments) {
  TokenList l;
  l.add_segment("Film");
  l.add_segment("Box Office");
  ASSERT_EQ(l.tokens().size(), 3u);
  EXPECT_NE(l.tokens()[0].segment, l.tokens()[1].segment);
  EXPECT_EQ(l.tokens()[1].segment, l.tokens()[2].segment);
}

} // namespace
} // namespace reelfeed::filter
