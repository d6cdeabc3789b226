#pragma once
// Topic rules as written in the config (the [[topic]] tables), before compilation.
// Parsed here with positions so that filter/ can report errors as FILE:LINE:COL.
// Owned by the filter work: filter/ compiles these into matchers.

#include <string>
#include <vector>

namespace reelfeed::config {

struct Position {
  int line = 0;
  int column = 0;
};

/// One pattern of a concept: a term/phrase (word-boundary, plural/possessive aware)
/// or an RE2 regex.
struct PatternConfig {
  std::string text;
  bool is_regex = false;
  double weight = 1.0;
  Position pos;
};

struct ConceptConfig {
  std::string name;
  std::vector<PatternConfig> patterns;
  std::vector<PatternConfig> negative;   ///< matches here subtract / veto
  double min_score = 1.0;                ///< the concept "fires" at this score
  Position pos;
};

struct TopicConfig {
  std::string name;                      ///< e.g. "ai-hollywood"; served at /topics/NAME.atom
  std::string title;                     ///< output feed title (default: [output] title)
  std::vector<ConceptConfig> concepts;
  /// Extra fields for the filter's own design (all/any/not combinations, field weights,
  /// source priors, threshold) live here; see filter/ and README "Writing rules".
  std::vector<std::string> require_all;  ///< concept names that must all fire
  std::vector<std::string> require_any;  ///< at least one must fire (if non-empty)
  std::vector<std::string> exclude;      ///< none of these may fire
  double threshold = 0;                  ///< minimum total score
  double weight_title = 3.0;
  double weight_summary = 1.5;
  double weight_content = 1.0;
  double weight_categories = 1.0;
  /// Per-source-tag priors: a source tagged "entertainment" adds this score to a concept.
  struct Prior {
    std::string tag;
    std::string concept;
    double score = 0;
  };
  std::vector<Prior> priors;
  Position pos;
};

} // namespace reelfeed::config
