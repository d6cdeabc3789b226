#pragma once
// One topic compiled for matching: every term of every concept in one hash of first words
// (so a field is scanned once, whatever the number of terms), every regex in one RE2::Set;
// the topic's senses too (their hidden terms and contexts).
// Internal to filter/. Immutable after construction; match() is thread-safe.

#include <re2/set.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "config/topics.hpp"
#include "filter/text.hpp"
#include "model/decision.hpp"

namespace reelfeed::filter {

/// Concept patterns (Positive, Negative, Ignore) and sense patterns (Hide, Context).
enum class PatternRole { Positive, Negative, Ignore, Hide, Context };

struct CompiledPattern {
  std::size_t concept_idx = 0; ///< the sense's index for Hide and Context
  PatternRole role = PatternRole::Positive;
  std::string text;               ///< as written, for explanations
  std::vector<std::string> words; ///< stems (terms only)
  bool case_sensitive = false;
  bool is_regex = false;
  double weight = 1.0;
};

/// First word -> pattern ids, as an open-addressing table (power-of-two size, linear
/// probing, FNV-1a): one lookup per word of every field is the filter's hot loop, and this
/// is about twice as fast as std::unordered_map there.
class WordIndex {
public:
  std::vector<std::uint32_t>& operator[](std::string_view key);
  /// Builds the probe table; call once after the last operator[].
  void freeze();
  [[nodiscard]] const std::vector<std::uint32_t>* find(std::string_view key) const;

private:
  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : s)
      h = (h ^ c) * 1099511628211ull;
    return h;
  }
  std::vector<std::string> m_keys;
  std::vector<std::vector<std::uint32_t>> m_values;
  std::vector<std::uint32_t> m_slots; ///< index + 1 into m_keys; 0 = empty
  std::uint64_t m_mask = 0;
  std::size_t m_max_len = 0;
};

/// A hit of one field before the story's senses are applied.
struct RawHit {
  RuleHit hit;
  std::size_t index = 0;    ///< concept, or sense for a context
  bool context = false;     ///< a sense's context matched (weight 0)
  std::uint32_t covers = 0; ///< senses whose `hides` terms cover every occurrence of the hit
};

class TopicMatcher {
public:
  explicit TopicMatcher(const config::TopicConfig& topic); ///< throws std::invalid_argument
  TopicMatcher(const TopicMatcher&) = delete;
  TopicMatcher& operator=(const TopicMatcher&) = delete;

  /// Appends the hits of one field (its HTML-stripped texts, one segment each) with the
  /// field's weight applied: negative hits carry a negative weight, sense contexts none.
  void match_field(const std::vector<std::string_view>& segments,
                   const char* field,
                   double field_weight,
                   std::vector<RawHit>& hits) const;

  [[nodiscard]] const std::string& sense_name(std::size_t i) const { return m_senses[i]; }

  [[nodiscard]] const std::vector<CompiledPattern>& patterns() const { return m_patterns; }

private:
  void add(const config::PatternConfig& p, std::size_t concept_idx, PatternRole role);
  /// The regex patterns' hits in `segments` (one set of all of them per segment), each
  /// pattern once per field: `seen` marks the patterns already counted in this field.
  void match_regexes(const std::vector<std::string_view>& segments,
                     const char* field,
                     double field_weight,
                     std::vector<char>& seen,
                     std::vector<RawHit>& hits) const;

  std::vector<std::string> m_concepts;
  std::vector<std::string> m_senses;
  std::vector<CompiledPattern> m_patterns;
  /// First word (folded stem) -> patterns; case-sensitive patterns are found through the
  /// folded form of their first word too and then compared with case kept, so that each
  /// word of a field costs one lookup.
  WordIndex m_by_first;
  std::unique_ptr<RE2::Set> m_regexes;
  std::vector<std::uint32_t> m_regex_patterns; ///< RE2::Set index -> pattern
};

} // namespace reelfeed::filter
