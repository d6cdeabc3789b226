#pragma once
// Topic rules as written in the config (the [[topic]] tables), before compilation.
// Parsed by parse_topics (topics_toml.hpp) with positions so that errors read FILE:LINE:COL;
// compiled into matchers by filter/. Plain values: copyable, no behaviour beyond the small
// boolean-expression parser that both config/ (validation) and filter/ (evaluation) need.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reelfeed::config {

struct Position {
  int line = 0;
  int column = 0;
};

/// One pattern of a concept: a term/phrase (word-boundary, plural/possessive aware)
/// or an RE2 regex (run on the case-folded, HTML-stripped field text).
struct PatternConfig {
  std::string text;
  bool is_regex = false;
  bool case_sensitive = false; ///< terms only: "AI" must be written in capitals
  double weight = 1.0;
  std::string label; ///< regexes only: what explanations show instead of the regex
  Position pos;
};

struct ConceptConfig {
  std::string name;
  std::vector<PatternConfig> patterns;
  std::vector<PatternConfig> negative; ///< matches here subtract their weight
  /// Terms whose matches hide overlapping matches of every concept of the topic, e.g.
  /// "ai weiwei" hides "AI", "hollywood florida" hides "hollywood".
  std::vector<PatternConfig> ignore;
  double min_score = 1.0; ///< the concept "fires" at this score
  Position pos;
};

/// A reading of an ambiguous word that its context decides for the whole story: when any
/// `context` pattern matches anywhere in the story (any field of any outlet), every concept
/// match that covers one of the `hides` terms is hidden, in every field. "Hollywood" is the
/// Florida city in a story that also names Broward County, whichever field says so.
struct SenseConfig {
  std::string name;
  std::vector<PatternConfig> hides;   ///< terms
  std::vector<PatternConfig> context; ///< terms and regexes
  Position pos;
};

/// Boolean combination of concept names: `ai & entertainment & !review | video-gen`.
/// `!` binds tightest, then `&`, then `|`; parentheses group.
struct Expr {
  enum class Kind { Concept, Not, And, Or };
  Kind kind = Kind::Concept;
  std::string name;           ///< Kind::Concept: the concept name
  std::vector<Expr> children; ///< Not: one; And/Or: two or more
};

/// Parses `text`; on error returns nullopt and sets `error` (with the 0-based offset of the
/// problem in `error_offset`).
[[nodiscard]] std::optional<Expr>
parse_expr(std::string_view text, std::string& error, std::size_t& error_offset);
/// Concept names referenced by `e`, each once, in order of appearance.
[[nodiscard]] std::vector<std::string> expr_concepts(const Expr& e);
/// Canonical text form, e.g. "(ai & entertainment) | video-gen".
[[nodiscard]] std::string expr_str(const Expr& e);

struct TopicConfig {
  std::string name;  ///< e.g. "ai-hollywood"; served at /topics/NAME.atom
  std::string title; ///< output feed title (default: [output] title)
  std::vector<ConceptConfig> concepts;
  /// `when` expression (empty: built from require_all/require_any/exclude; if those are
  /// empty too, every concept must fire).
  std::string when;
  Position when_pos;
  std::vector<std::string> require_all; ///< concept names that must all fire
  std::vector<std::string> require_any; ///< at least one must fire (if non-empty)
  std::vector<std::string> exclude;     ///< none of these may fire
  double threshold = 0;                 ///< minimum total score of the non-negated concepts
  double weight_title = 3.0;
  double weight_summary = 1.5;
  double weight_content = 1.0;
  double weight_categories = 1.0;
  /// Per-source-tag priors: a source tagged "entertainment" adds this score to a concept.
  struct Prior {
    std::string tag;
    std::string concept_name;
    double score = 0;
  };
  std::vector<Prior> priors;
  std::vector<SenseConfig> senses; ///< at most 32
  Position pos;
};

/// The effective rule of a topic: `when` if set, else all/any/not, else all concepts.
/// Precondition: the topic validated (parse_topics reported no errors).
[[nodiscard]] Expr topic_rule(const TopicConfig& topic);

} // namespace reelfeed::config
