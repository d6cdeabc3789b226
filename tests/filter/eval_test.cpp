// Quality of the default rules on the shared labelled set: precision and recall of the
// ai-hollywood topic against the labels (goal: precision >= 0.95, recall >= 0.90).
// The set is a development sample; the rules must not special-case its stories.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>

#include "eval_support.hpp"
#include "filter/filter.hpp"

namespace reelfeed::filter {
namespace {

TEST(FilterEval, DefaultRulesMeetPrecisionAndRecallOnLabelledSet) {
  const std::string jsonl = std::string(REELFEED_SHARED_DIR) + "/filter-eval/labeled.jsonl";
  if (!std::filesystem::exists(jsonl))
    GTEST_SKIP() << "no " << jsonl;
  Rules rules(
      eval::load_rules(std::string(REELFEED_SOURCE_DIR) + "/config/topics/ai-hollywood.toml"));
  auto tags = eval::load_outlet_tags(std::string(REELFEED_TEST_DATA) + "/filter/eval-outlets.toml");
  auto items = eval::load_labelled(jsonl, tags);
  ASSERT_GT(items.size(), 200u);
  auto topic = rules.find_topic("ai-hollywood");
  ASSERT_TRUE(topic.has_value());

  const bool verbose = std::getenv("REELFEED_EVAL_VERBOSE") != nullptr;
  const char* explain = std::getenv("REELFEED_EVAL_EXPLAIN"); // comma-separated ids
  int tp = 0, fp = 0, tn = 0, fn = 0;
  for (const auto& it : items) {
    auto d = rules.evaluate(*topic, it.story);
    if (d.published && it.relevant)
      ++tp;
    else if (d.published)
      ++fp;
    else if (it.relevant)
      ++fn;
    else
      ++tn;
    if (d.published != it.relevant || verbose)
      std::printf("%s %s %s | %s\n  %s\n", d.published != it.relevant ? "MISS" : "ok  ",
                  it.relevant ? "FN" : "FP", it.id.c_str(), it.story.title.c_str(),
                  d.reason.c_str());
    if (explain && ("," + std::string(explain) + ",").find("," + it.id + ",") != std::string::npos)
      std::printf("%s %s\n%s", it.id.c_str(), it.story.title.c_str(), format_decision(d).c_str());
  }
  const double precision = tp + fp ? double(tp) / (tp + fp) : 0;
  const double recall = tp + fn ? double(tp) / (tp + fn) : 0;
  std::printf("confusion: tp=%d fp=%d fn=%d tn=%d  precision=%.3f recall=%.3f\n", tp, fp, fn, tn,
              precision, recall);
  EXPECT_GE(precision, 0.95);
  EXPECT_GE(recall, 0.90);
}

} // namespace
} // namespace reelfeed::filter
