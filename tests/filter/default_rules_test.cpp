// The default rules on hand-written hard cases (tests/data/filter/traps.jsonl): substring
// and name traps, places, idioms, fiction reviews, games used as AI benchmarks, consumer
// hardware, and relevant stories phrased without the obvious words. Written independently
// of filter-eval, to keep the rules general.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "eval_support.hpp"
#include "filter/filter.hpp"

namespace reelfeed::filter {
namespace {

TEST(DefaultRules, HardCases) {
  Rules rules(
      eval::load_rules(std::string(REELFEED_SOURCE_DIR) + "/config/topics/ai-hollywood.toml"));
  std::ifstream in(std::string(REELFEED_TEST_DATA) + "/filter/traps.jsonl");
  ASSERT_TRUE(in);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    auto j = nlohmann::json::parse(line);
    Story s;
    s.title = j.at("title").get<std::string>();
    s.summary = j.at("summary").get<std::string>();
    s.categories = j.at("categories").get<std::vector<std::string>>();
    s.source_tags = j.at("tags").get<std::vector<std::string>>();
    auto d = rules.evaluate(0, s);
    EXPECT_EQ(d.published, j.at("relevant").get<bool>())
        << j.at("id").get<std::string>() << " " << s.title << "\n"
        << format_decision(d);
    ++n;
  }
  EXPECT_GE(n, 40);
}

} // namespace
} // namespace reelfeed::filter
