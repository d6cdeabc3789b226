#include <gtest/gtest.h>

#include "dedup/dedup.hpp"

namespace reelfeed::dedup {
namespace {

Entry entry(std::string title, std::string summary = "") {
  Entry e;
  e.title = std::move(title);
  e.summary = std::move(summary);
  return e;
}

TEST(NormaliseTitle, RemovesOutletDecorations) {
  const std::string plain = normalise_title("SAG-AFTRA Reaches Deal With Studios on AI");
  EXPECT_EQ(plain, "sag aftra reaches deal with studios on ai");
  EXPECT_EQ(normalise_title("EXCLUSIVE: SAG-AFTRA Reaches Deal With Studios on AI | Variety"),
            plain);
  EXPECT_EQ(normalise_title("UPDATED: SAG-AFTRA Reaches Deal With Studios on AI - Deadline"),
            plain);
  EXPECT_EQ(normalise_title("[Updated] SAG-AFTRA reaches deal with studios on AI — The Wrap"),
            plain);
  EXPECT_EQ(normalise_title("SAG-AFTRA Reaches Deal With Studios on AI (UPDATED)"), plain);
  EXPECT_EQ(normalise_title("Breaking News: Update: SAG-AFTRA Reaches Deal With Studios on AI"),
            plain);
}

TEST(NormaliseTitle, KeepsMeaningfulSeparators) {
  // "Dune: Part Three" is part of the title, not a decoration.
  EXPECT_EQ(normalise_title("Dune: Part Three Sets Release Date"),
            "dune part three sets release date");
  EXPECT_EQ(normalise_title("Spider-Man - Across the Spider-Verse Review"),
            "spider man across the spider verse review");
}

TEST(NormaliseTitle, FoldsCaseAccentsAndQuotes) {
  EXPECT_EQ(normalise_title("Pedro Almodóvar’s ‘AI’ Film"), "pedro almodovars ai film");
  EXPECT_EQ(normalise_title("  Déjà   VU  "), "deja vu");
}

TEST(Signature, WireCopiesWithDecorationsAreNearDuplicates) {
  const std::string lede =
      "<p>The actors union and the studios reached a tentative agreement on Tuesday covering "
      "the use of artificial intelligence to create digital replicas of performers.</p>";
  const auto a =
      signature(entry("EXCLUSIVE: Actors Union, Studios Reach AI Replica Deal | Variety", lede));
  const auto b = signature(entry("Actors Union, Studios Reach AI Replica Deal - Deadline", lede));
  EXPECT_GE(similarity(a, b), 0.9);
}

TEST(Signature, EditedTitleOverSameLedeStaysSimilar) {
  const std::string lede =
      "The Screen Actors Guild said members would vote on the contract next month after a "
      "deal that sets consent and compensation rules for digital replicas created with AI.";
  const auto a = signature(entry("SAG-AFTRA Reaches Tentative Deal on AI", lede));
  const auto b =
      signature(entry("SAG-AFTRA Reaches Tentative Deal on AI Protections, Vote Set", lede));
  EXPECT_GE(similarity(a, b), 0.6);
}

TEST(Signature, DifferentStoriesWithSimilarWordsStayApart) {
  const auto a = signature(
      entry("SAG-AFTRA Reaches Deal With Studios on AI",
            "The union's board approved the television and theatrical agreement, which now goes to "
            "members for ratification."));
  const auto b = signature(entry(
      "SAG-AFTRA Calls Strike Against Video Game Companies Over AI",
      "Voice actors and performance-capture artists will walk out after talks with Activision "
      "and other publishers broke down."));
  EXPECT_LT(similarity(a, b), 0.4);
}

TEST(Signature, RecurringColumnsWithOneWordChangedStayApart) {
  const auto a = signature(entry("Box Office Weekend: Dune Wins Again"));
  const auto b = signature(entry("Box Office Weekend: Wicked Wins Again"));
  EXPECT_LT(similarity(a, b), 0.6);
}

TEST(Signature, EmptyTextIsNeverADuplicate) {
  EXPECT_EQ(similarity(signature(entry("")), signature(entry(""))), 0.0);
  const auto a = signature(entry("Same"));
  EXPECT_EQ(similarity(a, a), 1.0);
}

} // namespace
} // namespace reelfeed::dedup
