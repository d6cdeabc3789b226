#pragma once
// One topic compiled for matching: every term of every concept in one hash of first words
// (so a field is scanned once, whatever the number of terms), every regex in one RE2::Set.
// Internal to filter/. Immutable after construction; match() is thread-safe.

#include <re2/set.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "config/topics.hpp"
#include "filter/text.hpp"
#include "model/decision.hpp"

namespace reelfeed::filter {

enum class PatternRole { Positive, Negative, Ignore };

struct CompiledPattern {
  std::size_t concept_idx = 0;
  PatternRole role = PatternRole::Positive;
  std::string text;               ///< as written, for explanations
  std::vector<std::string> words; ///< stems (terms only)
  bool case_sensitive = false;
  bool is_regex = false;
  double weight = 1.0;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

class TopicMatcher {
public:
  explicit TopicMatcher(const config::TopicConfig& topic); ///< throws std::invalid_argument
  TopicMatcher(const TopicMatcher&) = delete;
  TopicMatcher& operator=(const TopicMatcher&) = delete;

  /// Appends the hits of one field (HTML-stripped `text`, or `segments` for categories)
  /// with the field's weight applied. Negative hits carry a negative weight.
  void match_field(const std::vector<std::string_view>& segments,
                   const char* field,
                   double field_weight,
                   std::vector<RuleHit>& hits) const;

  [[nodiscard]] const std::vector<CompiledPattern>& patterns() const { return m_patterns; }

private:
  using WordIndex =
      std::unordered_map<std::string, std::vector<std::uint32_t>, StringHash, std::equal_to<>>;
  void add(const config::PatternConfig& p, std::size_t concept_idx, PatternRole role);

  std::vector<std::string> m_concepts;
  std::vector<CompiledPattern> m_patterns;
  WordIndex m_by_folded; ///< first word (folded stem) -> patterns
  WordIndex m_by_cased;  ///< first word (case-kept stem) -> case-sensitive patterns
  std::unique_ptr<RE2::Set> m_regexes;
  std::vector<std::uint32_t> m_regex_patterns; ///< RE2::Set index -> pattern
};

} // namespace reelfeed::filter
