// Event terms: what a report says, as the clustering sees it.

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "dedup/event_terms.hpp"

namespace reelfeed::dedup {
namespace {

Entry entry(std::string title, std::string summary = "") {
  Entry e;
  e.title = std::move(title);
  e.summary = std::move(summary);
  return e;
}

/// word -> weight
std::map<std::string, float> words_of(EventTermizer& tz, const Entry& e) {
  const EventTerms t = tz.terms(e);
  std::map<std::string, float> out;
  for (const auto& [hash, word] : tz.words(e)) {
    const auto it = std::find_if(t.terms.begin(), t.terms.end(),
                                 [&](const EventTerm& x) { return x.hash == hash; });
    if (it != t.terms.end())
      out[word] = it->weight;
  }
  return out;
}

TEST(EventTerms, StemsDropStopWordsAndMapNewsVariantsToOneConcept) {
  EventTermizer tz;
  const auto a = words_of(tz, entry("Studios Sue AI Startup Over Training Data"));
  const auto b = words_of(tz, entry("The studios' lawsuit against an AI startup"));
  EXPECT_TRUE(a.count("studio")) << "plural and possessive stem alike";
  EXPECT_TRUE(b.count("studio"));
  EXPECT_TRUE(a.count("@legal")) << "sue and lawsuit are one action";
  EXPECT_TRUE(b.count("@legal"));
  EXPECT_FALSE(b.count("the"));
  EXPECT_FALSE(b.count("against"));
  EXPECT_EQ(tz.terms(entry("Studios Sue AI Startup")).actions, action_legal);
  EXPECT_EQ(tz.terms(entry("Writers Ratify Their New Pact")).actions, action_vote | action_deal);
  // Summaries name actions too, but only a title's actions classify the report.
  EXPECT_EQ(tz.terms(entry("Writers guild news", "The members voted to ratify.")).actions, 0);
}

TEST(EventTerms, TitleWordsNamesAndNumbersWeighMore) {
  EventTermizer tz;
  const auto w = words_of(tz, entry("Guild reaches agreement",
                                    "Negotiators for the guild met Friday. Talks with "
                                    "Paramount ended after 118 days and a $1 billion offer."));
  // "guild" (a union, to the lexicon): once in the title (2) and once in the lede (1).
  EXPECT_FLOAT_EQ(w.at("union"), 3.0F);
  // A capitalised word inside a sentence is a name; the word starting a sentence is not.
  EXPECT_FLOAT_EQ(w.at("paramount"), 1.5F);
  EXPECT_FLOAT_EQ(w.at("negoti"), 1.0F);
  EXPECT_FLOAT_EQ(w.at("118"), 1.5F);
  EXPECT_FLOAT_EQ(w.at("1"), 1.5F);
  // In a Title Case headline capitals say nothing; acronyms still do.
  const auto t = words_of(tz, entry("SAG-AFTRA Members Ratify Contract With Studios"));
  EXPECT_FLOAT_EQ(t.at("sag-aftra"), 3.0F);
  EXPECT_FLOAT_EQ(t.at("member"), 2.0F);
}

TEST(EventTerms, CompoundsAndDigitGroupsStayWhole) {
  EventTermizer tz;
  const auto w = words_of(tz, entry("Text-to-video model costs $1,500 a month",
                                    "Its feature, don't miss it, is 2.5 times faster."));
  EXPECT_TRUE(w.count("text-to-video"));
  EXPECT_TRUE(w.count("1,500"));
  EXPECT_TRUE(w.count("2.5"));
  EXPECT_FALSE(w.count("don't")) << "a stop word, checked before the apostrophe goes";
}

TEST(EventTerms, HtmlLedeAndAccentsAreText) {
  EventTermizer tz;
  const auto w = words_of(tz, entry("Zürich festival", "<p>The <b>Zurich</b> jury&amp;press</p>"));
  EXPECT_TRUE(w.count("zurich"));
  EXPECT_FLOAT_EQ(w.at("zurich"), 2.0F + 1.5F) << "accented and plain spellings are one word";
  EXPECT_FALSE(w.count("b")) << "tags are not words";
}

TEST(EventTerms, EmptyOneWordAndForeignTitlesGiveFewOrOwnTerms) {
  EventTermizer tz;
  EXPECT_TRUE(tz.terms(entry("")).terms.empty());
  EXPECT_TRUE(tz.terms(entry("The")).terms.empty());
  EXPECT_EQ(tz.terms(entry("Update")).terms.size(), 1u);
  // Text with no spaces between words (Japanese) is one long token per run: never
  // shared by chance with another report's.
  const auto ja = tz.terms(entry("東京で新しい映画祭が開幕", "人工知能を使った作品が上映された"));
  EXPECT_FALSE(ja.terms.empty());
  const auto ja2 = tz.terms(entry("大阪の音楽賞が発表された"));
  for (const auto& x : ja2.terms)
    for (const auto& y : ja.terms)
      EXPECT_NE(x.hash, y.hash);
  // Invalid UTF-8 is never fatal.
  EXPECT_NO_THROW((void)tz.terms(entry(std::string("bad \xff\xfe bytes") + char(0xC3))));
}

TEST(EventTerms, AtMostTheStrongestTermsInHashOrder) {
  EventTermizer tz;
  std::string lede;
  for (int i = 0; i < 80; ++i)
    lede += "word" + std::string(1, static_cast<char>('a' + i % 26)) +
            std::string(1, static_cast<char>('a' + i / 26)) + " ";
  const auto t = tz.terms(entry("Title words win", lede));
  EXPECT_EQ(t.terms.size(), EventTerms::k_max_terms);
  EXPECT_TRUE(
      std::is_sorted(t.terms.begin(), t.terms.end(),
                     [](const EventTerm& a, const EventTerm& b) { return a.hash < b.hash; }));
  EXPECT_TRUE(std::any_of(t.terms.begin(), t.terms.end(),
                          [](const EventTerm& x) { return x.hash == event_term_hash("titl"); }));
  // Deterministic: the same item gives the same terms every time, on any extractor.
  EventTermizer other;
  EXPECT_EQ(other.terms(entry("Title words win", lede)), t);
}

} // namespace
} // namespace reelfeed::dedup
