// Senses: an ambiguous word read one way for the whole story when its context appears in
// any field of any outlet ("Hollywood" the Florida city, "A.I." a nickname).

#include <gtest/gtest.h>

#include "config/topics_toml.hpp"
#include "filter/filter.hpp"
#include "topics_text.hpp"

namespace reelfeed::filter {
namespace {

using test::topics;

Story story(std::string title, std::string summary = "", std::vector<std::string> cats = {}) {
  Story s;
  s.title = std::move(title);
  s.summary = std::move(summary);
  s.categories = std::move(cats);
  return s;
}

constexpr std::string_view k_rules = R"toml(
[[topic]]
name = "t"
all = ["ai", "ent"]
[[topic.concept]]
name = "ai"
terms = [{ term = "AI", case_sensitive = true }, "machine learning"]
[[topic.concept]]
name = "ent"
terms = ["Hollywood", "Hollywood studios", "documentary"]
ignore = ["Hollywood, Florida"]
[[topic.sense]]
name = "hollywood-place"
hides = ["Hollywood"]
context = ["Broward County", "Hollywood, Florida", "city of Hollywood"]
[[topic.sense]]
name = "ai-nickname"
hides = [{ term = "AI", case_sensitive = true }]
context_regex = ['''\bnicknamed\s+["“'‘]?a\.i\.''']
)toml";

TEST(Sense, AContextInOneFieldHidesTheWordInEveryField) {
  const Rules r(topics(k_rules));
  EXPECT_TRUE(r.evaluate(0, story("Hollywood tests AI cameras")).published);
  const Decision d =
      r.evaluate(0, story("Hollywood tests AI cameras", "The Broward County city voted 5-0."));
  EXPECT_FALSE(d.published) << format_decision(d);
  // Every hit the sense hides is still shown, at weight 0, and so is its context.
  const std::string text = format_decision(d);
  EXPECT_NE(text.find("ent +0.00 title: Hollywood (hidden: hollywood-place)"), std::string::npos)
      << text;
  EXPECT_NE(text.find("hollywood-place +0.00 summary: Broward County"), std::string::npos) << text;
  EXPECT_NE(d.reason.find("sense hollywood-place"), std::string::npos) << d.reason;
  EXPECT_EQ(d.concepts_matched, std::vector<std::string>{"ai"});
}

TEST(Sense, AContextInAnotherOutletCountsToo) {
  const Rules r(topics(k_rules));
  Story s = story("Hollywood tests AI cameras");
  s.outlets.push_back(Outlet{1, "A", s.title, "", {}, "", {}});
  s.outlets.push_back(
      Outlet{2, "B", "City tests AI cameras", "", {}, "In the city of Hollywood.", {}});
  EXPECT_FALSE(r.evaluate(0, s).published) << format_decision(r.evaluate(0, s));
}

TEST(Sense, ItHidesLongerTermsThatContainTheWordAndNotOtherWords) {
  const Rules r(topics(k_rules));
  // "Hollywood studios" covers the hidden word; "documentary" does not.
  EXPECT_FALSE(r.evaluate(0, story("Hollywood studios and AI", "Broward County news")).published);
  EXPECT_TRUE(r.evaluate(0, story("AI documentary", "Made in Broward County")).published);
}

TEST(Sense, AnIgnoreTermDoesNotHideAContext) {
  const Rules r(topics(k_rules));
  // "Hollywood, Florida" is both an ignore term (in its field) and a context (everywhere).
  const Decision d =
      r.evaluate(0, story("Hollywood adds AI to its 911 calls", "Hollywood, Florida, officials"));
  EXPECT_FALSE(d.published) << format_decision(d);
}

TEST(Sense, CaseSensitiveHiddenTermsAndRegexContexts) {
  const Rules r(topics(k_rules));
  const Decision d = r.evaluate(
      0, story("Allen Iverson documentary premieres",
               "The guard, nicknamed \"A.I.\", tells his story; AI is all anyone called him."));
  EXPECT_FALSE(d.published) << format_decision(d);
  EXPECT_NE(format_decision(d).find("ai-nickname +0.00 summary: /"), std::string::npos)
      << format_decision(d);
  // Other AI words are not the nickname.
  EXPECT_TRUE(r.evaluate(0, story("Allen Iverson documentary uses machine learning",
                                  "The guard, nicknamed \"A.I.\", tells his story."))
                  .published);
}

} // namespace
} // namespace reelfeed::filter
