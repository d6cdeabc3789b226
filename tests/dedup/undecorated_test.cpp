#include <gtest/gtest.h>

#include <string>

#include "dedup/dedup.hpp"

namespace reelfeed::dedup {
namespace {

constexpr const char* k_plain = "SAG-AFTRA Reaches Deal With Studios on AI";

TEST(Undecorated, RemovesOutletDecorationsKeepingCaseAndPunctuation) {
  EXPECT_EQ(undecorated("EXCLUSIVE: SAG-AFTRA Reaches Deal With Studios on AI | Variety"), k_plain);
  EXPECT_EQ(undecorated("UPDATED: SAG-AFTRA Reaches Deal With Studios on AI - Deadline"), k_plain);
  EXPECT_EQ(undecorated("[UPDATED] SAG-AFTRA Reaches Deal With Studios on AI — The Wrap"), k_plain);
  EXPECT_EQ(undecorated("SAG-AFTRA Reaches Deal With Studios on AI (UPDATED)"), k_plain);
  EXPECT_EQ(undecorated("Breaking News: Update: SAG-AFTRA Reaches Deal With Studios on AI"),
            k_plain);
  EXPECT_EQ(undecorated("Variety: SAG-AFTRA Reaches Deal With Studios on AI"), k_plain);
  EXPECT_EQ(undecorated("\xC2\xA0 Exclusive:  SAG-AFTRA Reaches Deal With Studios on AI \t"),
            k_plain);
}

TEST(Undecorated, KeepsMeaningfulSeparatorsAndUndecoratedTitles) {
  EXPECT_EQ(undecorated("Dune: Part Three Sets Release Date"),
            "Dune: Part Three Sets Release Date");
  EXPECT_EQ(undecorated("Spider-Man - Across the Spider-Verse Review"),
            "Spider-Man - Across the Spider-Verse Review");
  EXPECT_EQ(undecorated("  Pedro Almodóvar’s ‘AI’ Film  "), "Pedro Almodóvar’s ‘AI’ Film");
}

TEST(Undecorated, AgreesWithNormaliseTitle) {
  for (const std::string t :
       {"EXCLUSIVE: Actors Union, Studios Reach AI Replica Deal | Variety",
        "(Video) Netflix’s AI Trailer Draws Fire – Deadline Hollywood",
        "Watch: 'Dune' Director on AI [Updated]", "Box Office Weekend: Dune Wins Again"}) {
    SCOPED_TRACE(t);
    EXPECT_EQ(normalise_title(undecorated(t)), normalise_title(t));
  }
}

TEST(Undecorated, ReturnsAViewIntoTheTitle) {
  const std::string title = "EXCLUSIVE: Studio Bets on AI Dubbing | Variety";
  const std::string_view v = undecorated(title);
  EXPECT_EQ(v, "Studio Bets on AI Dubbing");
  EXPECT_GE(v.data(), title.data());
  EXPECT_LE(v.data() + v.size(), title.data() + title.size());
}

TEST(Undecorated, AllDecorationOrTooShortKeepsTheWholeTitle) {
  EXPECT_EQ(undecorated("  UPDATED: "), "UPDATED:");
  EXPECT_EQ(undecorated("Exclusive: AI | Variety"), "Exclusive: AI | Variety");
  EXPECT_EQ(undecorated(""), "");
  EXPECT_EQ(undecorated("Exclusive: Her | Variety"), "Her");
}

TEST(Undecorated, NeverSplitsAUtf8Character) {
  // "à" ends in the byte A0, which is also NBSP's second byte.
  EXPECT_EQ(undecorated("Le cinéma français dit non à"), "Le cinéma français dit non à");
  EXPECT_EQ(normalise_title("Le cinéma français dit non à"), "le cinema francais dit non a");
}

} // namespace
} // namespace reelfeed::dedup
