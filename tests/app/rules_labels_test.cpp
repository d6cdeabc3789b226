// `rules test --labels`: reading a labelled JSONL file (tags, errors) and scoring rules on it.
#include <sstream>

#include <gtest/gtest.h>

#include "app/rules_labels.hpp"
#include "config/topics_toml.hpp"

namespace reelfeed::app {
namespace {

std::vector<config::TopicConfig> small_topic() {
  const auto tbl = toml::parse(R"toml(
[[topic]]
name = "ai-film"
[[topic.prior]]
tag = "cinema"
concept = "film"
score = 1.0
[[topic.concept]]
name = "ai"
terms = [{ term = "AI", case_sensitive = true }]
[[topic.concept]]
name = "film"
terms = ["film"]
)toml");
  std::vector<config::TopicConfig> out;
  std::vector<config::Error> errors;
  config::parse_topics(tbl.get("topic"), "rules.toml", out, errors);
  EXPECT_TRUE(errors.empty());
  return out;
}

TEST(RulesLabels, ReadsItemsAndTakesTagsFromTheItemOrItsOutletsSource) {
  std::istringstream in(
      R"({"id": "a", "title": "AI film", "relevant": true, "tags": ["x"], "outlet": "Src"})"
      "\n\n"
      R"({"title": "AI", "summary": "<p>s</p>", "categories": ["Film"], "relevant": false, "outlet": "Src"})"
      "\n");
  config::SourceConfig src;
  src.name = "Src";
  src.tags = {"cinema"};
  const LabelsRead read = read_labels(in, "l.jsonl", {src});
  ASSERT_TRUE(read.errors.empty()) << read.errors.front();
  ASSERT_EQ(read.items.size(), 2u);
  EXPECT_EQ(read.items[0].id, "a");
  EXPECT_EQ(read.items[0].story.source_tags, std::vector<std::string>{"x"});
  EXPECT_EQ(read.items[1].id, "line 3");
  EXPECT_FALSE(read.items[1].relevant);
  EXPECT_EQ(read.items[1].story.source_tags, std::vector<std::string>{"cinema"});
  EXPECT_EQ(read.items[1].story.categories, std::vector<std::string>{"Film"});
  ASSERT_EQ(read.items[1].story.outlets.size(), 1u);
  EXPECT_EQ(read.items[1].story.outlets[0].summary, "<p>s</p>");
}

TEST(RulesLabels, EveryBadLineIsAnErrorWithItsLineAndTheRestIsKept) {
  std::istringstream in("{\"title\": \"ok\", \"relevant\": true}\n"
                        "not json\n"
                        "{\"title\": \"t\", \"relevant\": \"yes\"}\n"
                        "{\"title\": \"t\", \"relevant\": true, \"categories\": \"Film\"}\n"
                        "{\"relevant\": true}\n"
                        "[1]\n");
  const LabelsRead read = read_labels(in, "l.jsonl", {});
  EXPECT_EQ(read.items.size(), 1u);
  ASSERT_EQ(read.errors.size(), 5u);
  EXPECT_EQ(read.errors[0], "l.jsonl:2: not valid JSON");
  EXPECT_EQ(read.errors[1], "l.jsonl:3: \"relevant\" must be true or false");
  EXPECT_EQ(read.errors[2], "l.jsonl:4: \"categories\" is not an array of strings");
  EXPECT_EQ(read.errors[3], "l.jsonl:5: no \"title\"");
  EXPECT_EQ(read.errors[4], "l.jsonl:6: not a JSON object");
}

TEST(RulesLabels, CountsEachDecisionAgainstItsLabelAndListsTheWrongOnesWithReasons) {
  std::istringstream in(
      R"({"id": "tp", "title": "AI film deal", "relevant": true})"
      "\n"
      R"({"id": "fp", "title": "AI in a film review", "relevant": false, "outlet": "Critic"})"
      "\n"
      R"({"id": "fn", "title": "Studio clones an actor's voice", "relevant": true})"
      "\n"
      R"({"id": "tn", "title": "Box office", "relevant": false})"
      "\n"
      R"({"id": "prior", "title": "AI premiere", "relevant": true, "tags": ["cinema"]})"
      "\n");
  const LabelsRead read = read_labels(in, "l.jsonl", {});
  ASSERT_TRUE(read.errors.empty());
  const filter::Rules rules(small_topic());
  const LabelsReport r = score_labels(rules, 0, read.items);
  EXPECT_EQ(r.tp, 2u);
  EXPECT_EQ(r.fp, 1u);
  EXPECT_EQ(r.fn, 1u);
  EXPECT_EQ(r.tn, 1u);
  EXPECT_DOUBLE_EQ(r.precision(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r.recall(), 2.0 / 3.0);
  ASSERT_EQ(r.wrong.size(), 2u);
  EXPECT_EQ(r.wrong[0].item->id, "fp");
  EXPECT_EQ(r.wrong[1].item->id, "fn");

  const std::string text = format_labels_report(r, "c.toml", "l.jsonl");
  EXPECT_NE(text.find("topic ai-film, against l.jsonl (5 labelled items)\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("precision 0.667 recall 0.667 (tp 2 fp 1 fn 1 tn 1)\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("FP fp [Critic] AI in a film review\n  ai-film: published"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("    ai +3.00 title: AI\n"), std::string::npos) << text;
  EXPECT_NE(text.find("FN fn Studio clones an actor's voice\n  ai-film: not published"),
            std::string::npos)
      << text;
}

} // namespace
} // namespace reelfeed::app
