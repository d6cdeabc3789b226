#include <gtest/gtest.h>

#include <array>
#include <cstdint>

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

namespace reelfeed::dedup {
namespace {

// Stored signatures are compared with new ones: the hash family must never change
// silently (any CPU-specific code path must give these exact values).
TEST(Signature, ValuesAreStableAcrossBuildsAndCpus) {
  const auto s = signature(
      entry("EXCLUSIVE: Actors Union, Studios Reach AI Replica Deal | Variety",
            "<p>The actors union and the studios reached a tentative agreement on Tuesday.</p>"));
  const std::array<std::uint32_t, Signature::k_size> expected = {
      412824557u, 164368022u, 331559909u, 103381677u, 292399740u, 34981364u,  7286754u,
      113406515u, 277467046u, 97194592u,  67910703u,  207813909u, 239649150u, 310097721u,
      169625965u, 219486625u, 486662131u, 270948342u, 206286676u, 100973844u, 40433080u,
      177893516u, 441222221u, 606820610u, 79151395u,  56908939u,  319078088u, 25017131u,
      429392303u, 21553130u,  138472643u, 47097693u,
  };
  EXPECT_EQ(s.minhash, expected);
}

} // namespace
} // namespace reelfeed::dedup

namespace reelfeed::dedup {
namespace {

TEST(NormaliseTitle, AsciiFastPathMatchesTheUnicodePath) {
  // A trailing bullet (non-ASCII punctuation) sends the same text down the utf8proc path.
  for (const std::string t : {"Box-Office: 'Dune' Earns $82M!! Again", "  A.I. -- 2026's   Top 10 ",
                              "R2-D2 vs. C-3PO (Z_z) [x]", "''--''", "Zz09 aZ@[`{"}) {
    SCOPED_TRACE(t);
    EXPECT_EQ(normalise_title(t), normalise_title(t + " \xE2\x80\xA2"));
  }
  EXPECT_EQ(normalise_title("Box-Office: 'Dune' Earns $82M!! Again"),
            "box office dune earns 82m again");
}

} // namespace
} // namespace reelfeed::dedup
