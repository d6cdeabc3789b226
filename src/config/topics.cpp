// The [[topic]] tables -> TopicConfig, read through detail::Reader like every other table, so
// every problem is reported at its FILE:LINE:COL with its key path. Validation is complete
// here (RE2 compiles, concept references resolve), so filter/ can compile a validated config
// without failing.

#include <re2/re2.h>

#include <cctype>
#include <set>

#include "config/reader.hpp"
#include "config/topics_toml.hpp"

namespace reelfeed::config {
namespace {

using detail::Reader;

Position pos_of(const toml::node& n) {
  const auto& s = n.source();
  return {static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)};
}

/// A term must contain a word character: punctuation-only terms can never match.
bool has_word_char(std::string_view s) {
  for (unsigned char c : s) {
    if (std::isalnum(c) || c >= 0x80) {
      return true;
    }
  }
  return false;
}

/// The text of a pattern (at `key` of `r`, node `at`) is usable: an error if not. An invalid
/// regex is still kept, so that its concept is not also reported as empty.
bool check_text(Reader& r, std::string_view key, const toml::node& at, const PatternConfig& p) {
  if (p.is_regex) {
    RE2::Options opt;
    opt.set_log_errors(false);
    const RE2 re(p.text, opt);
    if (!re.ok()) {
      r.error(at, key, "invalid regex '" + p.text + "': " + re.error());
    }
    return true;
  }
  if (!has_word_char(p.text)) {
    r.error(at, key, "term '" + p.text + "' has no letters or digits");
    return false;
  }
  return true;
}

/// A {term=, weight=, case_sensitive=} or {regex=, weight=, label=} entry into `p`.
bool parse_entry(Reader& r, PatternConfig& p) {
  const std::string_view text_key = p.is_regex ? "regex" : "term";
  if (!r.check_keys({text_key, "weight", "case_sensitive", "label"}) || !r.require(text_key) ||
      !r.get(text_key, p.text)) {
    return false;
  }
  p.pos = pos_of(*r.node(text_key));
  if (r.node("weight") != nullptr && !r.get_at_least("weight", p.weight, 0)) {
    return false;
  }
  if (const auto* label = r.node("label")) {
    if (!r.get("label", p.label)) {
      return false;
    }
    if (!p.is_regex) {
      r.error(*label, "label", "'label' applies to regexes only (a term shows itself)");
      return false;
    }
  }
  if (const auto* cs = r.node("case_sensitive")) {
    if (p.is_regex) {
      r.error(*cs, "case_sensitive", "'case_sensitive' applies to terms only (use (?-i) in regex)");
      return false;
    }
    if (!r.get("case_sensitive", p.case_sensitive)) {
      return false;
    }
  }
  return check_text(r, text_key, *r.node(text_key), p);
}

/// `terms`/`weak`/`negative`/`ignore`: strings or {term=, weight=, case_sensitive=} tables;
/// regexes: strings or {regex=, weight=, label=} tables.
void parse_patterns(Reader& r,
                    std::string_view key,
                    bool is_regex,
                    double weight,
                    std::vector<PatternConfig>& out) {
  const toml::array* arr = r.array(key);
  if (arr == nullptr) {
    return;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::node& e = *arr->get(i);
    PatternConfig p;
    p.is_regex = is_regex;
    p.weight = weight;
    p.pos = pos_of(e);
    bool keep = false;
    if (const auto* t = e.as_table()) {
      Reader entry = r.nested(*t, std::string(key) + "[" + std::to_string(i) + "]");
      keep = parse_entry(entry, p);
    } else if (const auto* s = e.as_string()) {
      p.text = s->get();
      keep = check_text(r, key, e, p);
    } else {
      r.error(e, key, "entries of '" + std::string(key) + "' must be strings or tables");
    }
    if (keep) {
      out.push_back(std::move(p));
    }
  }
}

class TopicParser {
public:
  explicit TopicParser(std::set<std::string>& seen) : m_seen(seen) {}

  void parse_topic(Reader& r, std::vector<TopicConfig>& out) {
    r.check_keys({"name", "title", "when", "all", "any", "not", "threshold", "weights", "prior",
                  "concept", "sense"});
    TopicConfig topic;
    topic.pos = pos_of(r.self());
    if (r.require("name", "every topic needs a unique name") && r.get("name", topic.name)) {
      const auto& at = *r.node("name");
      if (topic.name.empty() ||
          topic.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") !=
              std::string::npos) {
        r.error(at, "name",
                "topic name '" + topic.name + "' must be lowercase letters, digits, - or _");
      } else if (!m_seen.insert(topic.name).second) {
        r.error(at, "name", "duplicate topic '" + topic.name + "'");
      }
    }
    r.get("title", topic.title);
    if (r.get("when", topic.when)) {
      topic.when_pos = pos_of(*r.node("when"));
    }
    r.get("all", topic.require_all);
    r.get("any", topic.require_any);
    r.get("not", topic.exclude);
    if (!topic.when.empty() &&
        !(topic.require_all.empty() && topic.require_any.empty() && topic.exclude.empty())) {
      r.error(*r.node("when"), "when", "use either 'when' or all/any/not, not both");
    }
    r.get_at_least("threshold", topic.threshold, 0);
    if (auto weights = r.table("weights")) {
      weights->check_keys({"title", "summary", "content", "categories"});
      weights->get_at_least("title", topic.weight_title, 0);
      weights->get_at_least("summary", topic.weight_summary, 0);
      weights->get_at_least("content", topic.weight_content, 0);
      weights->get_at_least("categories", topic.weight_categories, 0);
    }
    std::set<std::string> concepts;
    for (Reader& c : r.tables("concept")) {
      parse_concept(c, concepts, topic.concepts);
    }
    if (topic.concepts.empty()) {
      r.error(r.self(), "", "topic '" + topic.name + "' has no concepts ([[topic.concept]])");
    }
    std::vector<Reader> senses = r.tables("sense");
    std::set<std::string> sense_names;
    for (Reader& s : senses) {
      parse_sense(s, concepts, sense_names, topic.senses);
    }
    if (senses.size() > 32) {
      senses[32].error(senses[32].self(), "", "a topic has at most 32 senses");
    }
    for (Reader& p : r.tables("prior")) {
      parse_prior(p, concepts, topic);
    }
    check_references(r, concepts, topic);
    out.push_back(std::move(topic));
  }

private:
  static void
  parse_concept(Reader& r, std::set<std::string>& names, std::vector<ConceptConfig>& out) {
    r.check_keys({"name", "min_score", "weight", "weak_weight", "terms", "weak", "regex",
                  "negative", "negative_regex", "ignore"});
    ConceptConfig c;
    c.pos = pos_of(r.self());
    if (r.require("name", "every concept needs a unique name") && r.get("name", c.name) &&
        !c.name.empty() && !names.insert(c.name).second) {
      r.error(r.self(), "", "duplicate concept '" + c.name + "'");
    }
    double weight = 1.0;
    double weak_weight = 0.5;
    r.get_at_least("min_score", c.min_score, 0);
    r.get_at_least("weight", weight, 0);
    r.get_at_least("weak_weight", weak_weight, 0);
    parse_patterns(r, "terms", false, weight, c.patterns);
    parse_patterns(r, "weak", false, weak_weight, c.patterns);
    parse_patterns(r, "regex", true, weight, c.patterns);
    parse_patterns(r, "negative", false, weight, c.negative);
    parse_patterns(r, "negative_regex", true, weight, c.negative);
    parse_patterns(r, "ignore", false, weight, c.ignore);
    if (c.patterns.empty() && !c.name.empty()) {
      r.error(r.self(), "", "concept '" + c.name + "' has no terms or regexes");
    }
    out.push_back(std::move(c));
  }

  // A sense is named in explanations beside the concepts: its name must be its own.
  static void parse_sense(Reader& r,
                          const std::set<std::string>& concepts,
                          std::set<std::string>& senses,
                          std::vector<SenseConfig>& out) {
    r.check_keys({"name", "hides", "context", "context_regex"});
    SenseConfig s;
    s.pos = pos_of(r.self());
    if (r.require("name", "every sense needs a unique name")) {
      r.get("name", s.name);
    }
    if (concepts.count(s.name) != 0 || !senses.insert(s.name).second) {
      r.error(r.self(), "", "sense '" + s.name + "' has the name of another concept or sense");
    }
    parse_patterns(r, "hides", false, 1.0, s.hides);
    parse_patterns(r, "context", false, 1.0, s.context);
    parse_patterns(r, "context_regex", true, 1.0, s.context);
    if (s.hides.empty() && !s.name.empty()) {
      r.error(r.self(), "", "sense '" + s.name + "' hides no terms ('hides')");
    }
    if (s.context.empty() && !s.name.empty()) {
      r.error(r.self(), "", "sense '" + s.name + "' has no 'context' or 'context_regex'");
    }
    out.push_back(std::move(s));
  }

  static void parse_prior(Reader& r, const std::set<std::string>& concepts, TopicConfig& topic) {
    r.check_keys({"tag", "concept", "score"});
    TopicConfig::Prior p;
    bool ok = r.require("tag") && r.get("tag", p.tag);
    if (r.require("concept") && r.get("concept", p.concept_name)) {
      if (concepts.count(p.concept_name) == 0) {
        r.error(*r.node("concept"), "concept",
                "unknown concept '" + p.concept_name + "' in topic '" + topic.name + "'");
      }
    } else {
      ok = false;
    }
    ok = r.require("score") && r.get("score", p.score) && ok;
    if (ok) {
      topic.priors.push_back(std::move(p));
    }
  }

  static void
  check_references(Reader& r, const std::set<std::string>& concepts, const TopicConfig& topic) {
    auto check = [&](const std::string& name, std::string_view key) {
      if (concepts.count(name) == 0) {
        r.error(*r.node(key), key, "unknown concept '" + name + "' in topic '" + topic.name + "'");
      }
    };
    for (const auto& [key, names] :
         {std::pair<std::string_view, const std::vector<std::string>*>{"all", &topic.require_all},
          {"any", &topic.require_any},
          {"not", &topic.exclude}}) {
      for (const auto& name : *names) {
        check(name, key);
      }
    }
    if (topic.when.empty()) {
      return;
    }
    std::string err;
    std::size_t off = 0;
    if (const auto e = parse_expr(topic.when, err, off)) {
      for (const auto& name : expr_concepts(*e)) {
        check(name, "when");
      }
    } else {
      // The column of the character the expression parser stopped at, past the opening quote.
      auto at = r.node("when")->source();
      at.begin.column += static_cast<toml::source_index>(1 + off);
      r.error(at, "when", "invalid 'when' expression: " + err);
    }
  }

  std::set<std::string>& m_seen;
};

// Recursive descent over: or := and ('|' and)*; and := unary ('&' unary)*;
// unary := '!' unary | '(' or ')' | NAME.
class ExprParser {
public:
  explicit ExprParser(std::string_view s) : m_s(s) {}

  std::optional<Expr> parse() {
    auto e = parse_or();
    skip_ws();
    if (e && m_pos < m_s.size()) {
      fail("unexpected '" + std::string(1, m_s[m_pos]) + "'");
    }
    if (!m_error.empty()) {
      return std::nullopt;
    }
    return e;
  }
  std::string m_error;
  std::size_t m_error_pos = 0;

private:
  void skip_ws() {
    while (m_pos < m_s.size() && std::isspace(static_cast<unsigned char>(m_s[m_pos]))) {
      ++m_pos;
    }
  }
  void fail(std::string msg) {
    if (m_error.empty()) {
      m_error = std::move(msg);
      m_error_pos = m_pos;
    }
  }
  static bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  }
  std::optional<Expr> parse_list(Expr::Kind kind, char op) {
    auto first = kind == Expr::Kind::Or ? parse_and() : parse_unary();
    if (!first) {
      return std::nullopt;
    }
    Expr e;
    e.kind = kind;
    e.children.push_back(std::move(*first));
    for (;;) {
      skip_ws();
      if (m_pos >= m_s.size() || m_s[m_pos] != op) {
        break;
      }
      ++m_pos;
      auto next = kind == Expr::Kind::Or ? parse_and() : parse_unary();
      if (!next) {
        return std::nullopt;
      }
      e.children.push_back(std::move(*next));
    }
    if (e.children.size() == 1) {
      return std::move(e.children.front());
    }
    return e;
  }
  std::optional<Expr> parse_or() { return parse_list(Expr::Kind::Or, '|'); }
  std::optional<Expr> parse_and() { return parse_list(Expr::Kind::And, '&'); }
  std::optional<Expr> parse_unary() {
    skip_ws();
    if (m_pos >= m_s.size()) {
      fail("expected a concept name");
      return std::nullopt;
    }
    if (m_s[m_pos] == '!') {
      ++m_pos;
      auto inner = parse_unary();
      if (!inner) {
        return std::nullopt;
      }
      Expr e;
      e.kind = Expr::Kind::Not;
      e.children.push_back(std::move(*inner));
      return e;
    }
    if (m_s[m_pos] == '(') {
      ++m_pos;
      auto inner = parse_or();
      skip_ws();
      if (!inner) {
        return std::nullopt;
      }
      if (m_pos >= m_s.size() || m_s[m_pos] != ')') {
        fail("expected ')'");
        return std::nullopt;
      }
      ++m_pos;
      return inner;
    }
    std::size_t start = m_pos;
    while (m_pos < m_s.size() && name_char(m_s[m_pos])) {
      ++m_pos;
    }
    if (start == m_pos) {
      fail("expected a concept name");
      return std::nullopt;
    }
    Expr e;
    e.name = std::string(m_s.substr(start, m_pos - start));
    return e;
  }

  std::string_view m_s;
  std::size_t m_pos = 0;
};

void collect(const Expr& e, std::vector<std::string>& out) {
  if (e.kind == Expr::Kind::Concept) {
    for (const auto& s : out) {
      if (s == e.name) {
        return;
      }
    }
    out.push_back(e.name);
  }
  for (const auto& c : e.children) {
    collect(c, out);
  }
}

Expr leaf(const std::string& name) {
  Expr e;
  e.name = name;
  return e;
}

} // namespace

std::optional<Expr>
parse_expr(std::string_view text, std::string& error, std::size_t& error_offset) {
  ExprParser p(text);
  auto e = p.parse();
  if (!e) {
    error = p.m_error;
    error_offset = p.m_error_pos;
  }
  return e;
}

std::vector<std::string> expr_concepts(const Expr& e) {
  std::vector<std::string> out;
  collect(e, out);
  return out;
}

std::string expr_str(const Expr& e) {
  switch (e.kind) {
  case Expr::Kind::Concept:
    return e.name;
  case Expr::Kind::Not: {
    const auto& c = e.children.front();
    auto inner = expr_str(c);
    return c.kind == Expr::Kind::Concept || c.kind == Expr::Kind::Not ? "!" + inner
                                                                      : "!(" + inner + ")";
  }
  case Expr::Kind::And:
  case Expr::Kind::Or: {
    std::string out;
    const char* sep = e.kind == Expr::Kind::And ? " & " : " | ";
    for (const auto& c : e.children) {
      if (!out.empty()) {
        out += sep;
      }
      bool paren =
          c.kind == Expr::Kind::Or || (c.kind == Expr::Kind::And && e.kind == Expr::Kind::Or);
      out += paren ? "(" + expr_str(c) + ")" : expr_str(c);
    }
    return out;
  }
  }
  return {};
}

Expr topic_rule(const TopicConfig& topic) {
  if (!topic.when.empty()) {
    std::string err;
    std::size_t off = 0;
    if (auto e = parse_expr(topic.when, err, off)) {
      return *e;
    }
  }
  Expr all;
  all.kind = Expr::Kind::And;
  for (const auto& n : topic.require_all) {
    all.children.push_back(leaf(n));
  }
  if (!topic.require_any.empty()) {
    Expr any;
    any.kind = Expr::Kind::Or;
    for (const auto& n : topic.require_any) {
      any.children.push_back(leaf(n));
    }
    all.children.push_back(any.children.size() == 1 ? any.children.front() : any);
  }
  if (topic.require_all.empty() && topic.require_any.empty()) {
    for (const auto& c : topic.concepts) {
      bool excluded = false;
      for (const auto& x : topic.exclude) {
        excluded = excluded || x == c.name;
      }
      if (!excluded) {
        all.children.push_back(leaf(c.name));
      }
    }
  }
  for (const auto& n : topic.exclude) {
    Expr no;
    no.kind = Expr::Kind::Not;
    no.children.push_back(leaf(n));
    all.children.push_back(no);
  }
  if (all.children.size() == 1) {
    return all.children.front();
  }
  return all;
}

void parse_topics(const toml::node* node,
                  const std::string& file,
                  std::vector<TopicConfig>& out,
                  std::vector<Error>& errors) {
  if (node == nullptr) {
    return;
  }
  std::set<std::string> seen;
  TopicParser parser(seen);
  for (Reader& topic : detail::array_of_tables(*node, "topic", file, errors)) {
    parser.parse_topic(topic, out);
  }
}

} // namespace reelfeed::config
