// A story is judged on the evidence of all its sightings, whichever of them founded it:
// titles, summaries and categories of every outlet, each term once per field.

#include <gtest/gtest.h>

#include <algorithm>

#include "config/topics_toml.hpp"
#include "eval_support.hpp"
#include "filter/filter.hpp"
#include "topics_text.hpp"

namespace reelfeed::filter {
namespace {

struct Sighting {
  std::string source;
  std::string title;
  std::string summary;
  std::vector<std::string> categories;
};

/// The story as the store assembles it when `sightings[founder]` came first: the
/// representative's fields on the story, every sighting an outlet, the founder first.
Story story_founded_by(const std::vector<Sighting>& sightings, std::size_t founder) {
  Story s;
  const Sighting& rep = sightings.at(founder);
  s.title = rep.title;
  s.summary = rep.summary;
  s.categories = rep.categories;
  auto outlet = [](const Sighting& x, std::int64_t id) {
    return Outlet{id, x.source,  x.title,     "https://example.com/" + std::to_string(id),
                  {}, x.summary, x.categories};
  };
  s.outlets.push_back(outlet(rep, static_cast<std::int64_t>(founder)));
  for (std::size_t i = 0; i < sightings.size(); ++i)
    if (i != founder)
      s.outlets.push_back(outlet(sightings[i], static_cast<std::int64_t>(i)));
  return s;
}

Rules default_rules() {
  return Rules(
      eval::load_rules(std::string(REELFEED_SOURCE_DIR) + "/config/topics/ai-hollywood.toml"));
}

using test::topics;

TEST(StoryEvidence, TheDecisionIsTheSameWhicheverSightingFoundedTheStory) {
  // The aggregator's copy lacks the word that makes the original outlet's headline a
  // video-model story: alone it is not published, as part of the story it is.
  const std::vector<Sighting> sightings = {
      {"Aggregator",
       "Startup's new model edits existing footage from a text prompt",
       "The tool changes lighting, weather and props in shots that were already filmed.",
       {"Tech"}},
      {"Original",
       "Startup unveils a video model that edits existing footage from a prompt",
       "<p>Filmmakers can restyle a shot without a reshoot, the company says.</p>",
       {"AI", "Film"}},
      {"Wire", "Startup shows text-prompt editing of filmed footage", "", {}}};
  const Rules rules = default_rules();

  Story alone;
  alone.title = sightings[0].title;
  alone.summary = sightings[0].summary;
  alone.categories = sightings[0].categories;
  EXPECT_FALSE(rules.evaluate(0, alone).published) << format_decision(rules.evaluate(0, alone));

  const Decision first = rules.evaluate(0, story_founded_by(sightings, 0));
  EXPECT_TRUE(first.published) << format_decision(first);
  for (std::size_t founder = 1; founder < sightings.size(); ++founder) {
    // Any order of the other outlets, too.
    Story s = story_founded_by(sightings, founder);
    std::reverse(s.outlets.begin() + 1, s.outlets.end());
    const Decision d = rules.evaluate(0, s);
    EXPECT_EQ(d.published, first.published) << founder;
    EXPECT_EQ(d.score, first.score) << founder;
    EXPECT_EQ(format_decision(d), format_decision(first)) << founder;
  }
}

constexpr std::string_view k_weak = R"toml(
[[topic]]
name = "t"
all = ["ai", "ent"]
[[topic.concept]]
name = "ai"
min_score = 1.5
weak_weight = 0.4
terms = ["machine learning"]
weak = ["algorithm"]
[[topic.concept]]
name = "ent"
min_score = 1.0
terms = ["studio"]
negative = ["browser"]
)toml";

TEST(StoryEvidence, RepeatedEvidenceCountsOncePerFieldHoweverManyOutletsCarryIt) {
  const Rules rules(topics(k_weak));
  std::vector<Sighting> five;
  for (int i = 0; i < 5; ++i)
    five.push_back({"S" + std::to_string(i),
                    "Studio algorithm update no. " + std::to_string(i),
                    "",
                    {"Studio"}});
  const Decision d = rules.evaluate(0, story_founded_by(five, 2));
  // One weak title mention (3 x 0.4 < 1.5), not five of them (6.0).
  EXPECT_FALSE(d.published) << format_decision(d);
  const auto ai_hits = std::count_if(d.hits.begin(), d.hits.end(),
                                     [](const RuleHit& h) { return h.concept_name == "ai"; });
  EXPECT_EQ(ai_hits, 1) << format_decision(d);
  EXPECT_NEAR(d.score, 3 * 0.4 + 3 + 1, 1e-9) << format_decision(d);

  // A negative term that one outlet carries subtracts once too.
  five[4].summary = "Works in any browser.";
  const Decision neg = rules.evaluate(0, story_founded_by(five, 0));
  EXPECT_NEAR(neg.score, d.score - 1.5, 1e-9) << format_decision(neg);
}

TEST(StoryEvidence, EveryOutletsSummaryAndCategoriesCountWithTheirFieldWeights) {
  const Rules rules(topics(k_weak));
  const std::vector<Sighting> two = {
      {"A", "Studio news", "", {}},
      {"B", "Studio news roundup", "Built with machine learning.", {"Machine Learning"}}};
  const Decision d = rules.evaluate(0, story_founded_by(two, 0));
  EXPECT_TRUE(d.published) << format_decision(d);
  std::vector<std::string> fields;
  for (const RuleHit& h : d.hits)
    if (h.concept_name == "ai")
      fields.push_back(h.field + " " + std::to_string(h.weight));
  EXPECT_EQ(fields, (std::vector<std::string>{"summary 1.500000", "categories 1.000000"}));

  // A story with no outlets (a labelled item, a test) is its own fields.
  Story bare;
  bare.title = "Studio news";
  bare.summary = "Built with machine learning.";
  EXPECT_TRUE(rules.evaluate(0, bare).published);
}

} // namespace
} // namespace reelfeed::filter
