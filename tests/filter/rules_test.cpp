// Rules on small hand-written topics: word boundaries, plurals, case, field weights,
// negative and ignore terms, all/any/not and `when`, priors, threshold, explanations.

#include <gtest/gtest.h>

#include "config/topics_toml.hpp"
#include "filter/filter.hpp"
#include "topics_text.hpp"

namespace reelfeed::filter {
namespace {

using test::topics;

Story story(std::string title,
            std::string summary = "",
            std::vector<std::string> cats = {},
            std::vector<std::string> tags = {}) {
  Story s;
  s.title = std::move(title);
  s.summary = std::move(summary);
  s.categories = std::move(cats);
  s.source_tags = std::move(tags);
  return s;
}

constexpr std::string_view k_basic = R"toml(
[[topic]]
name = "t"
all = ["ai", "ent"]
threshold = 2.0
[[topic.concept]]
name = "ai"
min_score = 1.0
terms = [{ term = "AI", case_sensitive = true }, "machine learning", "deepfake"]
ignore = ["ai weiwei"]
[[topic.concept]]
name = "ent"
min_score = 1.0
terms = ["studio", "Hollywood", "actor"]
weak = ["game"]
negative = ["browser"]
ignore = ["Hollywood, Florida"]
)toml";

TEST(Rules, BothConceptsNeeded) {
  Rules r(topics(k_basic));
  EXPECT_TRUE(r.evaluate(0, story("AI comes to Hollywood")).published);
  EXPECT_FALSE(r.evaluate(0, story("AI comes to the office")).published);
  EXPECT_FALSE(r.evaluate(0, story("Hollywood sign repainted")).published);
}

TEST(Rules, AiInsideOtherWordsNeverMatches) {
  Rules r(topics(k_basic));
  for (const char* t : {"Taiwan studio opens", "Dubai studio opens", "Thai studio opens",
                        "Studio aims higher", "Maine studio", "AIDS documentary studio",
                        "Ai Weiwei visits a studio", "AI WEIWEI visits a studio"})
    EXPECT_FALSE(r.evaluate(0, story(t)).published) << t;
}

TEST(Rules, CaseSensitiveTermNeedsCapitals) {
  Rules r(topics(k_basic));
  EXPECT_FALSE(r.evaluate(0, story("Oshi no Ko revives Ai at the studio")).published);
  EXPECT_TRUE(r.evaluate(0, story("A.I. at the studio")).published);
  EXPECT_TRUE(r.evaluate(0, story("The studio's AIs")).published);
}

TEST(Rules, PluralsPossessivesAndPhrasesAcrossPunctuation) {
  Rules r(topics(k_basic));
  EXPECT_TRUE(r.evaluate(0, story("Deepfakes worry studios")).published);
  EXPECT_TRUE(r.evaluate(0, story("An actor's deepfake")).published);
  EXPECT_TRUE(r.evaluate(0, story("Machine-learning tools for actors")).published);
  EXPECT_FALSE(r.evaluate(0, story("The Smashing Machine: learning to act")).published);
}

TEST(Rules, IgnoreHidesCoveredWordsOnly) {
  Rules r(topics(k_basic));
  auto d = r.evaluate(0, story("AI cameras for Hollywood, Florida"));
  EXPECT_FALSE(d.published);
  EXPECT_NE(d.reason.find("missing ent"), std::string::npos) << d.reason;
  EXPECT_TRUE(r.evaluate(0, story("AI in Hollywood, not Hollywood, Florida")).published);
}

TEST(Rules, HtmlAndUnicodeAreNormalised) {
  Rules r(topics(k_basic));
  EXPECT_TRUE(r.evaluate(0, story("", "<p>An <b>AI</b> tool for <i>ACTORS</i></p>")).published);
  EXPECT_TRUE(r.evaluate(0, story("ＡＩ at the ＳＴＵＤＩＯ")).published);
  EXPECT_FALSE(r.evaluate(0, story("<a href=\"AI\">studio</a>")).published);
}

TEST(Rules, FieldWeightsWeakAndNegativeTerms) {
  Rules r(topics(k_basic));
  // weak = 0.5: "game" in the title (3 x 0.5 = 1.5) fires, in a summary (1.5 x 0.5) not.
  EXPECT_TRUE(r.evaluate(0, story("AI game")).published);
  EXPECT_FALSE(r.evaluate(0, story("AI news", "a game")).published);
  auto d = r.evaluate(0, story("AI game browser"));
  EXPECT_FALSE(d.published);
  bool negative = false;
  for (const auto& h : d.hits)
    negative = negative || (h.term == "browser" && h.weight < 0 && h.field == "title");
  EXPECT_TRUE(negative);
}

TEST(Rules, DecisionRecordsHitsScoreThresholdAndReason) {
  Rules r(topics(k_basic));
  auto d = r.evaluate(0, story("AI studio", "A deepfake", {"Hollywood"}));
  ASSERT_TRUE(d.published);
  EXPECT_EQ(d.topic, "t");
  EXPECT_DOUBLE_EQ(d.threshold, 2.0);
  EXPECT_DOUBLE_EQ(d.score, 3.0 + 1.5 + 3.0 + 1.0);
  EXPECT_EQ(d.concepts_matched, (std::vector<std::string>{"ai", "ent"}));
  ASSERT_EQ(d.hits.size(), 4u);
  EXPECT_EQ(d.hits[0].concept_name, "ai");
  EXPECT_EQ(d.hits[0].field, "title");
  EXPECT_EQ(d.hits[0].term, "AI");
  EXPECT_DOUBLE_EQ(d.hits[0].weight, 3.0);
  EXPECT_EQ(d.hits[1].concept_name, "ent");
  EXPECT_EQ(d.hits[1].term, "studio");
  EXPECT_EQ(d.hits[3].field, "categories");
  EXPECT_NE(d.reason.find("published"), std::string::npos);
  auto text = format_decision(d);
  EXPECT_NE(text.find("t: published, score 8.5 >= threshold 2.0"), std::string::npos) << text;
  EXPECT_NE(text.find("ai +1.50 summary: deepfake"), std::string::npos) << text;
}

TEST(Rules, ThresholdCanRejectWhenConceptsFire) {
  auto t = topics(k_basic);
  t[0].threshold = 100;
  Rules r(t);
  auto d = r.evaluate(0, story("AI studio"));
  EXPECT_FALSE(d.published);
  EXPECT_NE(d.reason.find("< threshold 100"), std::string::npos) << d.reason;
}

TEST(Rules, PriorsGiveTaggedSourcesLessToProve) {
  auto t = topics(std::string(k_basic) + R"toml(
[[topic.prior]]
tag = "entertainment"
concept = "ent"
score = 0.5
[[topic.prior]]
tag = "film"
concept = "ent"
score = 0.6
)toml");
  Rules r(t);
  auto s = story("AI news", "a game"); // ent 0.75 from the weak summary term
  EXPECT_FALSE(r.evaluate(0, s).published);
  s.source_tags = {"entertainment", "film"};
  auto d = r.evaluate(0, s);
  EXPECT_TRUE(d.published) << d.reason;
  // The larger prior applies; priors of one concept do not stack.
  double prior = 0;
  for (const auto& h : d.hits)
    if (h.field == "source")
      prior += h.weight;
  EXPECT_DOUBLE_EQ(prior, 0.6);
}

TEST(Rules, AnyNotAndWhenExpressions) {
  auto t = topics(R"toml(
[[topic]]
name = "any"
any = ["a", "b"]
not = ["c"]
[[topic.concept]]
name = "a"
terms = ["alpha"]
[[topic.concept]]
name = "b"
terms = ["beta"]
[[topic.concept]]
name = "c"
terms = ["gamma"]
regex = ['\bdel+ta\b']

[[topic]]
name = "when"
when = "a & !(b & !c)"
[[topic.concept]]
name = "a"
terms = ["alpha"]
[[topic.concept]]
name = "b"
terms = ["beta"]
[[topic.concept]]
name = "c"
terms = ["gamma"]
)toml");
  Rules r(t);
  ASSERT_EQ(r.topic_names(), (std::vector<std::string>{"any", "when"}));
  EXPECT_TRUE(r.evaluate(0, story("beta")).published);
  EXPECT_FALSE(r.evaluate(0, story("beta gamma")).published);
  auto d = r.evaluate(0, story("alpha dellllta"));
  EXPECT_FALSE(d.published);
  EXPECT_NE(d.reason.find("excluded by c"), std::string::npos) << d.reason;
  EXPECT_FALSE(r.evaluate(0, story("nothing")).published);
  auto w = *r.find_topic("when");
  EXPECT_TRUE(r.evaluate(w, story("alpha")).published);
  EXPECT_FALSE(r.evaluate(w, story("alpha beta")).published);
  EXPECT_TRUE(r.evaluate(w, story("alpha beta gamma")).published);
  EXPECT_FALSE(r.find_topic("nope").has_value());
}

TEST(Rules, ExpressionParserPrecedenceAndErrors) {
  std::string err;
  std::size_t off = 0;
  auto e = config::parse_expr("a & b | !c & (d | e)", err, off);
  ASSERT_TRUE(e.has_value()) << err;
  EXPECT_EQ(config::expr_str(*e), "(a & b) | (!c & (d | e))");
  EXPECT_EQ(config::expr_concepts(*e), (std::vector<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_FALSE(config::parse_expr("a & (b | c", err, off).has_value());
  EXPECT_EQ(err, "expected ')'");
  EXPECT_FALSE(config::parse_expr("a & & b", err, off).has_value());
  EXPECT_EQ(off, 4u);
}

} // namespace
} // namespace reelfeed::filter
