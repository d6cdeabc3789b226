#pragma once
// What an item says, as weighted terms for event clustering: the words of its title and
// lede, case-folded, stop words dropped, stemmed (Snowball English), variants of one news
// action or role mapped to one concept ("pact", "accord", "agreement" -> deal), with names
// and numbers weighted up. The store turns these raw weights into TF-IDF vectors (it knows
// how common each term is) and compares items by cosine similarity. Pure.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/entry.hpp"

namespace reelfeed::dedup {

/// One term of an item: a hash of its stem or concept, and its raw weight (occurrences
/// times field weight times kind boost).
struct EventTerm {
  std::uint32_t hash = 0; ///< never 0
  float weight = 0;
  friend bool operator==(const EventTerm&, const EventTerm&) = default;
};

/// Classes of news action a title names (bit set). Two reports whose titles name actions
/// of different classes, and none in common, are most likely of different events (a
/// tentative deal and the vote that ratifies it; a lawsuit and a launch).
enum EventAction : std::uint16_t {
  action_deal = 1 << 0,
  action_legal = 1 << 1,
  action_strike = 1 << 2,
  action_vote = 1 << 3,
  action_launch = 1 << 4,
  action_invest = 1 << 5,
  action_acquire = 1 << 6,
  action_hire = 1 << 7,
  action_ruling = 1 << 8,
  action_law = 1 << 9,
  action_award = 1 << 10,
  action_ban = 1 << 11,
};

struct EventTerms {
  std::vector<EventTerm> terms; ///< distinct hashes in hash order, at most k_max_terms
  std::uint16_t actions = 0;    ///< EventAction bits named in the title
  /// The numbers of the title, one bit each (bit = hash % 32): two reports whose titles
  /// both give figures and share none are of different items ("part 1", "part 2").
  std::uint32_t title_numbers = 0;
  static constexpr std::size_t k_max_terms = 32;
  friend bool operator==(const EventTerms&, const EventTerms&) = default;
};

/// Extracts EventTerms. Holds a Snowball stemmer, which is not thread-safe: one extractor
/// per thread (or per batch of items). Construction costs a few microseconds.
class EventTermizer {
public:
  EventTermizer();
  ~EventTermizer();
  EventTermizer(const EventTermizer&) = delete;
  EventTermizer& operator=(const EventTermizer&) = delete;

  /// The terms of title + lede (summary, else the start of the content), HTML stripped.
  [[nodiscard]] EventTerms terms(const Entry& entry);
  /// The same terms as readable words (the stem, or the concept as "@deal"), for
  /// `reelfeed explain`: (hash, word) pairs.
  [[nodiscard]] std::vector<std::pair<std::uint32_t, std::string>> words(const Entry& entry);
  /// The hashes of the beat's own words (AI, actor, studio...), which nearly every story
  /// of the store says: sorted.
  [[nodiscard]] std::vector<std::uint32_t> beat_terms();

private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

/// The hash a term word gets (exposed for tests).
[[nodiscard]] std::uint32_t event_term_hash(std::string_view word);

} // namespace reelfeed::dedup
