// The default rules' named signals on hand-written stories of every trap class that the
// labelled sets' README names (tests/data/filter/signals.jsonl): a review of fiction about
// an AI, "Hollywood" the Florida city, "A.I." as a nickname, a denial of AI, AI research
// that only uses games or films as data, a streamer's recommender engineering and an AI
// agent's stunt, each with on-topic stories that look like the trap but are the industry's
// business. Every off-topic story must be dropped *by its signal*, so `explain` names it.
// The p* and q* stories were written after the signals, as a probe: the first run of the
// rules on them dropped all 16 traps and missed 2 of 10 on-topic stories (a sports
// broadcast's AI commentary, an unnamed prompt-to-video model), which the rules now cover.
// The x* and y* stories were a second probe, written after that: first run, all 13 on-topic
// stories kept and 4 of 22 traps let through (an "AI horror film" with no review word, a
// season finale guide, whale songs, a chatbot's wrong answer about a halftime show); the
// first three are covered now, the last is a known miss and is not in the file.
// The z* and w* stories were a third probe: first run, all 10 on-topic stories kept and 3 of
// 20 traps let through; a critics' round-up is covered now; an episode whose plot is an
// AI-generated film and a consumer music-search feature are known misses, not in the file.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <string>

#include "eval_support.hpp"
#include "filter/filter.hpp"
#include "topics_text.hpp"

namespace reelfeed::filter {
namespace {

struct SignalItem {
  eval::Labelled item;
  std::string signal; ///< the concept or sense that must fire; empty for none
};

std::vector<SignalItem> load_signal_items() {
  const std::string path = std::string(REELFEED_TEST_DATA) + "/filter/signals.jsonl";
  auto items = eval::load_labelled(path, {});
  std::map<std::string, std::string> signal_of;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) {
      auto j = nlohmann::json::parse(line);
      signal_of[j.at("id").get<std::string>()] = j.value("signal", "");
    }
  std::vector<SignalItem> out;
  for (auto& it : items)
    out.push_back({it, signal_of[it.id]});
  return out;
}

bool signal_fired(const Decision& d, const std::string& signal) {
  for (const auto& c : d.concepts_matched)
    if (c == signal)
      return true;
  return d.reason.find("sense " + signal) != std::string::npos;
}

Rules default_rules() {
  return Rules(
      eval::load_rules(std::string(REELFEED_SOURCE_DIR) + "/config/topics/ai-hollywood.toml"));
}

TEST(Signals, EveryTrapIsDroppedByItsNamedSignal) {
  const Rules rules = default_rules();
  const auto topic = rules.find_topic("ai-hollywood");
  ASSERT_TRUE(topic.has_value());
  const auto items = load_signal_items();
  ASSERT_GE(items.size(), 30u);
  std::map<std::string, int> traps_per_signal;
  for (const auto& [it, signal] : items) {
    if (it.relevant || signal.empty())
      continue;
    const Decision d = rules.evaluate(*topic, it.story);
    EXPECT_FALSE(d.published) << it.id << " " << it.story.title << "\n" << format_decision(d);
    // A trap that is about AI and entertainment must be dropped by its signal, not by luck;
    // one that lacks either is dropped by that already.
    if (signal_fired(d, "ai") && signal_fired(d, "entertainment") && !signal_fired(d, signal))
      ADD_FAILURE() << it.id << " is about AI and entertainment: only " << signal
                    << " may drop it, and it did not fire\n"
                    << format_decision(d);
    if (signal_fired(d, signal))
      ++traps_per_signal[signal];
  }
  // Every class of the README drops at least two stories, written differently.
  for (const char* s : {"fiction-review", "hollywood-place", "ai-nickname", "ai-denial",
                        "ai-research", "recsys-engineering", "agent-stunt"})
    EXPECT_GE(traps_per_signal[s], 2) << s;
}

TEST(Signals, TheIndustrysOwnBusinessStaysOnTopicDespiteTheTrap) {
  const Rules rules = default_rules();
  const auto topic = rules.find_topic("ai-hollywood");
  ASSERT_TRUE(topic.has_value());
  int with_trap = 0;
  for (const auto& [it, signal] : load_signal_items()) {
    if (!it.relevant)
      continue;
    const Decision d = rules.evaluate(*topic, it.story);
    EXPECT_TRUE(d.published) << it.id << " " << it.story.title << "\n" << format_decision(d);
    // A story labelled with a trap looks like it: the trap's signal fires, and the
    // industry's stake in the story is what publishes it anyway.
    if (!signal.empty() && signal_fired(d, signal))
      ++with_trap;
  }
  EXPECT_GE(with_trap, 5);
}

TEST(Signals, ADenialIsOnTopicFromTheIndustryAndOffTopicFromAProductMaker) {
  const Rules rules = default_rules();
  const auto topic = rules.find_topic("ai-hollywood");
  ASSERT_TRUE(topic.has_value());
  Story industry;
  industry.title = "Animation studio says no AI was used on its new feature";
  industry.summary = "The directors said every frame was drawn by hand.";
  Story product;
  product.title = "Toy maker says its talking robot is not AI";
  product.summary = "The company said the robot plays prerecorded phrases.";
  const Decision on = rules.evaluate(*topic, industry);
  const Decision off = rules.evaluate(*topic, product);
  EXPECT_TRUE(on.published) << format_decision(on);
  EXPECT_TRUE(signal_fired(on, "ai-denial")) << format_decision(on);
  EXPECT_TRUE(signal_fired(on, "industry-voice")) << format_decision(on);
  EXPECT_FALSE(off.published) << format_decision(off);
  EXPECT_TRUE(signal_fired(off, "ai-denial")) << format_decision(off);
  // "Not AI" is no evidence of AI: the ai concept does not fire on the product's denial.
  EXPECT_FALSE(signal_fired(off, "ai")) << format_decision(off);
}

TEST(Signals, ARegexHitShowsItsLabel) {
  const Rules r(test::topics(R"toml(
[[topic]]
name = "t"
all = ["review"]
[[topic.concept]]
name = "review"
regex = [{ regex = '[★☆]', label = "star rating" }, '\bs\d+e\d+\b']
)toml"));
  Story s;
  s.title = "The Electric State ★★☆☆☆";
  s.summary = "S01E02 is the best one.";
  const std::string text = format_decision(r.evaluate(0, s));
  EXPECT_NE(text.find("review +3.00 title: star rating"), std::string::npos) << text;
  // Without a label, the regex shows itself between slashes.
  EXPECT_NE(text.find("summary: /\\bs\\d+e\\d+\\b/"), std::string::npos) << text;
  EXPECT_EQ(text.find("[★☆]"), std::string::npos) << text;
}

} // namespace
} // namespace reelfeed::filter
