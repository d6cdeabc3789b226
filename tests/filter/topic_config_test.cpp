// [[topic]] config errors: every problem is a config::Error at FILE:LINE:COL, through the
// real loader (config::load_string) and parse_topics directly.

#include <gtest/gtest.h>

#include "config/load.hpp"
#include "config/topics_toml.hpp"
#include "filter/filter.hpp"

namespace reelfeed::config {
namespace {

std::vector<Error> topic_errors(std::string_view text) {
  auto tbl = toml::parse(text, std::string_view("rules.toml"));
  std::vector<TopicConfig> out;
  std::vector<Error> errors;
  parse_topics(tbl.get("topic"), "rules.toml", out, errors);
  return errors;
}

::testing::AssertionResult
has_error(const std::vector<Error>& errors, int line, int column, std::string_view fragment) {
  std::string all;
  for (const auto& e : errors) {
    if (e.file == "rules.toml" && e.line == line && e.column == column &&
        e.message.find(fragment) != std::string::npos)
      return ::testing::AssertionSuccess();
    all += std::to_string(e.line) + ":" + std::to_string(e.column) + ": " + e.message + "\n";
  }
  return ::testing::AssertionFailure()
         << "no " << line << ":" << column << " '" << fragment << "' in:\n"
         << all;
}

constexpr std::string_view k_ok = R"toml(
[[topic]]
name = "t"
[[topic.concept]]
name = "a"
terms = ["x"]
)toml";

TEST(TopicConfig, ValidTopicHasNoErrors) {
  EXPECT_TRUE(topic_errors(k_ok).empty());
}

TEST(TopicConfig, BadRegexIsReportedAtItsPosition) {
  auto errors = topic_errors(R"toml([[topic]]
name = "t"
[[topic.concept]]
name = "a"
regex = ['ok', '(unclosed']
)toml");
  EXPECT_TRUE(has_error(errors, 5, 16, "invalid regex '(unclosed'"));
  EXPECT_EQ(errors.size(), 1u);
}

TEST(TopicConfig, UnknownKeysAndFieldsAreErrors) {
  auto errors = topic_errors(R"toml([[topic]]
name = "t"
colour = "red"
[topic.weights]
title = 2
body = 1
[[topic.concept]]
name = "a"
terms = [{ term = "x", wieght = 2 }]
synonyms = ["y"]
)toml");
  EXPECT_TRUE(has_error(errors, 3, 1, "unknown key 'topic[0].colour'"));
  EXPECT_TRUE(has_error(errors, 6, 1, "unknown key 'topic[0].weights.body'"));
  EXPECT_TRUE(has_error(errors, 9, 24, "unknown key 'topic[0].concept[0].terms[0].wieght'"));
  EXPECT_TRUE(has_error(errors, 10, 1, "unknown key 'topic[0].concept[0].synonyms'"));
}

TEST(TopicConfig, UnknownKeysGetTheSameHintAsEveryOtherSection) {
  auto errors = topic_errors(R"toml([[topic]]
name = "t"
threshhold = 2
any = ["a"]
[topic.weights]
titel = 2
[[topic.concept]]
name = "a"
wieght = 2
terms = ["x", { term = "y", wieght = 2 }]
regex = [{ regex = "z", lable = "zed" }]
[[topic.sense]]
contxt = ["w"]
name = "s"
hides = ["x"]
[[topic.prior]]
scor = 1
tag = "film"
concept = "a"
)toml");
  EXPECT_TRUE(
      has_error(errors, 3, 1, "unknown key 'topic[0].threshhold' (did you mean 'threshold'?)"));
  EXPECT_TRUE(
      has_error(errors, 6, 1, "unknown key 'topic[0].weights.titel' (did you mean 'title'?)"));
  EXPECT_TRUE(
      has_error(errors, 10, 29,
                "unknown key 'topic[0].concept[0].terms[1].wieght' (did you mean 'weight'?)"));
  EXPECT_TRUE(has_error(
      errors, 11, 25, "unknown key 'topic[0].concept[0].regex[0].lable' (did you mean 'label'?)"));
  EXPECT_TRUE(
      has_error(errors, 9, 1, "unknown key 'topic[0].concept[0].wieght' (did you mean 'weight'?)"));
  EXPECT_TRUE(
      has_error(errors, 13, 1, "unknown key 'topic[0].sense[0].contxt' (did you mean 'context'?)"));
  EXPECT_TRUE(
      has_error(errors, 17, 1, "unknown key 'topic[0].prior[0].scor' (did you mean 'score'?)"));
}

TEST(TopicConfig, EmptyTopicAndEmptyConceptAreErrors) {
  auto errors = topic_errors(R"toml([[topic]]
name = "empty"

[[topic]]
name = "t"
[[topic.concept]]
name = "a"
terms = []
)toml");
  EXPECT_TRUE(has_error(errors, 1, 1, "topic 'empty' has no concepts"));
  EXPECT_TRUE(has_error(errors, 6, 1, "concept 'a' has no terms"));
}

TEST(TopicConfig, UnknownConceptReferencesAreErrors) {
  auto errors = topic_errors(R"toml([[topic]]
name = "t"
all = ["a", "b"]
[[topic.prior]]
tag = "entertainment"
concept = "ent"
score = 1
[[topic.concept]]
name = "a"
terms = ["x"]

[[topic]]
name = "u"
when = "a & (c | !d)"
[[topic.concept]]
name = "a"
terms = ["x"]

[[topic]]
name = "v"
when = "a &"
[[topic.concept]]
name = "a"
terms = ["x"]
)toml");
  EXPECT_TRUE(has_error(errors, 3, 7, "unknown concept 'b' in topic 't'"));
  EXPECT_TRUE(has_error(errors, 6, 11, "unknown concept 'ent'"));
  EXPECT_TRUE(has_error(errors, 14, 8, "unknown concept 'c' in topic 'u'"));
  EXPECT_TRUE(has_error(errors, 14, 8, "unknown concept 'd' in topic 'u'"));
  EXPECT_TRUE(has_error(errors, 21, 12, "invalid 'when' expression: expected a concept name"));
}

TEST(TopicConfig, BadTypesNamesAndDuplicates) {
  auto errors = topic_errors(R"toml([[topic]]
name = "Bad Name"
threshold = "high"
[[topic.concept]]
name = "a"
terms = ["x", 3, "--"]
min_score = -1
[[topic.concept]]
name = "a"
terms = [{ term = "y", case_sensitive = "yes" }]

[[topic]]
name = "t"
[[topic.concept]]
name = "a"
terms = ["x"]
[[topic]]
name = "t"
[[topic.concept]]
name = "a"
terms = ["x"]
)toml");
  EXPECT_TRUE(has_error(errors, 2, 8, "must be lowercase letters"));
  EXPECT_TRUE(has_error(errors, 3, 13, "topic[0].threshold: expected a number, got a string"));
  EXPECT_TRUE(has_error(errors, 6, 15, "must be strings or tables"));
  EXPECT_TRUE(has_error(errors, 6, 18, "has no letters or digits"));
  EXPECT_TRUE(
      has_error(errors, 7, 13, "topic[0].concept[0].min_score: must be at least 0, got -1"));
  EXPECT_TRUE(has_error(errors, 8, 1, "duplicate concept 'a'"));
  EXPECT_TRUE(has_error(errors, 10, 41,
                        "topic[0].concept[1].terms[0].case_sensitive: expected true or false, "
                        "got a string"));
  EXPECT_TRUE(has_error(errors, 18, 8, "duplicate topic 't'"));
}

TEST(TopicConfig, SenseErrors) {
  auto errors = topic_errors(R"toml([[topic]]
name = "t"
[[topic.concept]]
name = "a"
terms = ["x"]
[[topic.sense]]
name = "a"
hides = ["x"]
context = ["y"]
[[topic.sense]]
name = "s"
context_regex = ['[z-a]']
colour = 1
[[topic.sense]]
name = "u"
hides = [{ regex = "x" }]
[[topic.sense]]
hides = ["x"]
context = ["y"]
)toml");
  EXPECT_TRUE(has_error(errors, 6, 1, "sense 'a' has the name of another concept or sense"));
  EXPECT_TRUE(has_error(errors, 10, 1, "sense 's' hides no terms"));
  EXPECT_TRUE(has_error(errors, 12, 18, "invalid regex '[z-a]'"));
  EXPECT_TRUE(has_error(errors, 13, 1, "unknown key 'topic[0].sense[1].colour'"));
  EXPECT_TRUE(has_error(errors, 16, 12, "unknown key 'topic[0].sense[2].hides[0].regex'"));
  EXPECT_TRUE(has_error(errors, 14, 1, "sense 'u' has no 'context' or 'context_regex'"));
  EXPECT_TRUE(has_error(errors, 17, 1, "topic[0].sense[3].name: missing"));
}

TEST(TopicConfig, LabelAppliesToRegexesOnly) {
  auto errors = topic_errors(R"toml([[topic]]
name = "t"
[[topic.concept]]
name = "a"
terms = [{ term = "x", label = "ex" }]
regex = [{ regex = 'y+', label = "why" }, { regex = 'z', label = 3 }]
)toml");
  EXPECT_TRUE(has_error(errors, 5, 32, "'label' applies to regexes only"));
  EXPECT_TRUE(has_error(errors, 6, 66,
                        "topic[0].concept[0].regex[1].label: expected a string, got an integer"));
  EXPECT_EQ(errors.size(), 2u);
}

TEST(TopicConfig, LoaderReportsTopicErrorsAsFileLineCol) {
  auto r = load_string(R"toml(
[[source]]
name = "x"
url = "file:///dev/null"

[[topic]]
name = "t"
[[topic.concept]]
name = "a"
regex = ['[z-a]']
)toml",
                       "reelfeed.toml", ".");
  ASSERT_FALSE(r.config.has_value());
  ASSERT_FALSE(r.errors.empty());
  bool found = false;
  for (const auto& e : r.errors)
    found = found ||
            e.str().rfind("reelfeed.toml:10:10: topic[0].concept[0].regex: invalid regex", 0) == 0;
  EXPECT_TRUE(found) << r.errors.front().str();
}

TEST(TopicConfig, DefaultRulesFileLoadsAndCompiles) {
  auto tbl =
      toml::parse_file(std::string(REELFEED_SOURCE_DIR) + "/config/topics/ai-hollywood.toml");
  std::vector<TopicConfig> out;
  std::vector<Error> errors;
  parse_topics(tbl.get("topic"), "ai-hollywood.toml", out, errors);
  for (const auto& e : errors)
    ADD_FAILURE() << e.str();
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "ai-hollywood");
  filter::Rules rules(out);
  EXPECT_EQ(rules.topic_names(), std::vector<std::string>{"ai-hollywood"});
}

} // namespace
} // namespace reelfeed::config
