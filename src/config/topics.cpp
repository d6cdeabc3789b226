// The [[topic]] tables -> TopicConfig, with every problem reported at its FILE:LINE:COL.
// Validation is complete here (RE2 compiles, concept references resolve), so filter/ can
// compile a validated config without failing.

#include <re2/re2.h>

#include <cctype>
#include <set>

#include "config/reader.hpp"
#include "config/topics_toml.hpp"

namespace reelfeed::config {
namespace {

Position pos_of(const toml::node& n) {
  const auto& s = n.source();
  return {static_cast<int>(s.begin.line), static_cast<int>(s.begin.column)};
}

class TopicParser {
public:
  TopicParser(const std::string& file, std::vector<Error>& errors)
      : m_file(file), m_errors(errors) {}

  void error(const toml::node& n, std::string msg) { error(pos_of(n), std::move(msg)); }
  void error(Position p, std::string msg) {
    m_errors.push_back(Error{m_file, p.line, p.column, std::move(msg)});
  }

  bool check_keys(const toml::table& t,
                  std::initializer_list<std::string_view> allowed,
                  std::string_view where) {
    const auto unknown = detail::unknown_keys(t, std::span(allowed.begin(), allowed.size()));
    for (const detail::UnknownKey& u : unknown) {
      error(*u.value, "unknown key '" + std::string(u.key->str()) + "' in " + std::string(where) +
                          detail::did_you_mean(u.hint));
    }
    return unknown.empty();
  }

  std::optional<std::string> get_string(const toml::node& n, std::string_view key) {
    if (auto s = n.value<std::string>(); s && n.is_string()) {
      return s;
    }
    error(n, "'" + std::string(key) + "' must be a string");
    return std::nullopt;
  }

  std::optional<double> get_number(const toml::node& n, std::string_view key, bool non_negative) {
    if (n.is_integer() || n.is_floating_point()) {
      double d = *n.value<double>();
      if (non_negative && d < 0) {
        error(n, "'" + std::string(key) + "' must not be negative");
        return std::nullopt;
      }
      return d;
    }
    error(n, "'" + std::string(key) + "' must be a number");
    return std::nullopt;
  }

  std::vector<std::string> get_names(const toml::node& n, std::string_view key) {
    std::vector<std::string> out;
    const auto* arr = n.as_array();
    if (!arr) {
      error(n, "'" + std::string(key) + "' must be an array of concept names");
      return out;
    }
    for (const auto& e : *arr) {
      if (auto s = get_string(e, key)) {
        out.push_back(*s);
      }
    }
    return out;
  }

  /// A term must contain a word character: punctuation-only terms can never match.
  static bool has_word_char(std::string_view s) {
    for (unsigned char c : s) {
      if (std::isalnum(c) || c >= 0x80) {
        return true;
      }
    }
    return false;
  }

  void check_regex(const PatternConfig& p) {
    RE2::Options opt;
    opt.set_log_errors(false);
    RE2 re(p.text, opt);
    if (!re.ok()) {
      error(p.pos, "invalid regex '" + p.text + "': " + re.error());
    }
  }

  /// `terms`/`weak`/`negative`/`ignore`: strings or {term=, weight=, case_sensitive=} tables;
  /// regexes: strings or {regex=, weight=, label=} tables.
  void parse_patterns(const toml::node& n,
                      std::string_view key,
                      bool is_regex,
                      double weight,
                      std::vector<PatternConfig>& out) {
    const auto* arr = n.as_array();
    if (!arr) {
      error(n, "'" + std::string(key) + "' must be an array");
      return;
    }
    for (const auto& e : *arr) {
      PatternConfig p;
      p.is_regex = is_regex;
      p.weight = weight;
      p.pos = pos_of(e);
      if (e.is_string()) {
        p.text = *e.value<std::string>();
      } else if (const auto* t = e.as_table()) {
        const std::string_view text_key = is_regex ? "regex" : "term";
        if (!check_keys(*t, {text_key, "weight", "case_sensitive", "label"},
                        std::string(key) + " entry")) {
          continue;
        }
        const auto* tn = t->get(text_key);
        if (!tn) {
          error(e, "missing '" + std::string(text_key) + "' in " + std::string(key) + " entry");
          continue;
        }
        auto s = get_string(*tn, text_key);
        if (!s) {
          continue;
        }
        p.text = *s;
        p.pos = pos_of(*tn);
        if (const auto* w = t->get("weight")) {
          auto d = get_number(*w, "weight", true);
          if (!d) {
            continue;
          }
          p.weight = *d;
        }
        if (const auto* l = t->get("label")) {
          auto v = get_string(*l, "label");
          if (!v) {
            continue;
          }
          if (!is_regex) {
            error(*l, "'label' applies to regexes only (a term shows itself)");
            continue;
          }
          p.label = *v;
        }
        if (const auto* cs = t->get("case_sensitive")) {
          if (!cs->is_boolean() || is_regex) {
            error(*cs, is_regex ? "'case_sensitive' applies to terms only (use (?-i) in regex)"
                                : "'case_sensitive' must be true or false");
            continue;
          }
          p.case_sensitive = *cs->value<bool>();
        }
      } else {
        error(e, "entries of '" + std::string(key) + "' must be strings or tables");
        continue;
      }
      if (is_regex) {
        check_regex(p);
      } else if (!has_word_char(p.text)) {
        error(p.pos, "term '" + p.text + "' has no letters or digits");
        continue;
      }
      out.push_back(std::move(p));
    }
  }

  void parse_concept(const toml::node& n, std::vector<ConceptConfig>& out) {
    const auto* t = n.as_table();
    if (!t) {
      error(n, "'concept' entries must be tables");
      return;
    }
    check_keys(*t,
               {"name", "min_score", "weight", "weak_weight", "terms", "weak", "regex", "negative",
                "negative_regex", "ignore"},
               "[[topic.concept]]");
    ConceptConfig c;
    c.pos = pos_of(n);
    if (const auto* nm = t->get("name")) {
      if (auto s = get_string(*nm, "name")) {
        c.name = *s;
      }
    } else {
      error(n, "concept needs a 'name'");
    }
    double weight = 1.0;
    double weak_weight = 0.5;
    if (const auto* v = t->get("min_score")) {
      c.min_score = get_number(*v, "min_score", true).value_or(c.min_score);
    }
    if (const auto* v = t->get("weight")) {
      weight = get_number(*v, "weight", true).value_or(weight);
    }
    if (const auto* v = t->get("weak_weight")) {
      weak_weight = get_number(*v, "weak_weight", true).value_or(weak_weight);
    }
    if (const auto* v = t->get("terms")) {
      parse_patterns(*v, "terms", false, weight, c.patterns);
    }
    if (const auto* v = t->get("weak")) {
      parse_patterns(*v, "weak", false, weak_weight, c.patterns);
    }
    if (const auto* v = t->get("regex")) {
      parse_patterns(*v, "regex", true, weight, c.patterns);
    }
    if (const auto* v = t->get("negative")) {
      parse_patterns(*v, "negative", false, weight, c.negative);
    }
    if (const auto* v = t->get("negative_regex")) {
      parse_patterns(*v, "negative_regex", true, weight, c.negative);
    }
    if (const auto* v = t->get("ignore")) {
      parse_patterns(*v, "ignore", false, weight, c.ignore);
    }
    if (c.patterns.empty() && !c.name.empty()) {
      error(n, "concept '" + c.name + "' has no terms or regexes");
    }
    out.push_back(std::move(c));
  }

  void parse_sense(const toml::node& n, std::vector<SenseConfig>& out) {
    const auto* t = n.as_table();
    if (!t) {
      error(n, "'sense' entries must be tables");
      return;
    }
    check_keys(*t, {"name", "hides", "context", "context_regex"}, "[[topic.sense]]");
    SenseConfig s;
    s.pos = pos_of(n);
    if (const auto* nm = t->get("name")) {
      if (auto v = get_string(*nm, "name")) {
        s.name = *v;
      }
    } else {
      error(n, "sense needs a 'name'");
    }
    if (const auto* v = t->get("hides")) {
      parse_patterns(*v, "hides", false, 1.0, s.hides);
    }
    if (const auto* v = t->get("context")) {
      parse_patterns(*v, "context", false, 1.0, s.context);
    }
    if (const auto* v = t->get("context_regex")) {
      parse_patterns(*v, "context_regex", true, 1.0, s.context);
    }
    if (s.hides.empty() && !s.name.empty()) {
      error(n, "sense '" + s.name + "' hides no terms ('hides')");
    }
    if (s.context.empty() && !s.name.empty()) {
      error(n, "sense '" + s.name + "' has no 'context' or 'context_regex'");
    }
    out.push_back(std::move(s));
  }

  void parse_weights(const toml::node& n, TopicConfig& topic) {
    const auto* t = n.as_table();
    if (!t) {
      error(n, "'weights' must be a table of field = weight");
      return;
    }
    for (auto&& [k, v] : *t) {
      auto d = get_number(v, k.str(), true);
      if (!d) {
        continue;
      }
      if (k.str() == "title") {
        topic.weight_title = *d;
      } else if (k.str() == "summary") {
        topic.weight_summary = *d;
      } else if (k.str() == "content") {
        topic.weight_content = *d;
      } else if (k.str() == "categories") {
        topic.weight_categories = *d;
      } else {
        error(v, "unknown field '" + std::string(k.str()) +
                     "' in weights (fields: title, summary, content, categories)");
      }
    }
  }

  void parse_prior(const toml::node& n, TopicConfig& topic) {
    const auto* t = n.as_table();
    if (!t) {
      error(n, "'prior' entries must be tables");
      return;
    }
    check_keys(*t, {"tag", "concept", "score"}, "[[topic.prior]]");
    TopicConfig::Prior p;
    bool ok = true;
    for (std::string_view key : {"tag", "concept"}) {
      const auto* v = t->get(key);
      if (!v) {
        error(n, "prior needs '" + std::string(key) + "'");
        ok = false;
        continue;
      }
      if (auto s = get_string(*v, key)) {
        (key == "tag" ? p.tag : p.concept_name) = *s;
      } else {
        ok = false;
      }
    }
    if (const auto* v = t->get("score")) {
      p.score = get_number(*v, "score", false).value_or(0);
    } else {
      error(n, "prior needs 'score'");
      ok = false;
    }
    if (ok) {
      topic.priors.push_back(std::move(p));
    }
  }

  void check_references(const toml::table& t, const TopicConfig& topic) {
    std::set<std::string> names;
    for (const auto& c : topic.concepts) {
      if (!c.name.empty() && !names.insert(c.name).second) {
        error(c.pos, "duplicate concept '" + c.name + "'");
      }
    }
    // A sense is named in explanations beside the concepts: its name must be its own.
    std::set<std::string> senses;
    for (const auto& s : topic.senses) {
      if (names.count(s.name) || !senses.insert(s.name).second) {
        error(s.pos, "sense '" + s.name + "' has the name of another concept or sense");
      }
    }
    if (topic.senses.size() > 32) {
      error(topic.senses[32].pos, "a topic has at most 32 senses");
    }
    auto check = [&](const std::string& name, const toml::node& where) {
      if (!names.count(name)) {
        error(where, "unknown concept '" + name + "' in topic '" + topic.name + "'");
      }
    };
    for (std::string_view key : {"all", "any", "not"}) {
      if (const auto* v = t.get(key)) {
        for (const auto& nm : get_names_quiet(*v)) {
          check(nm, *v);
        }
      }
    }
    if (const auto* v = t.get("prior"); v && v->is_array()) {
      for (const auto& p : *v->as_array()) {
        if (const auto* pt = p.as_table(); pt && pt->get("concept")) {
          if (auto s = pt->get("concept")->value<std::string>()) {
            check(*s, *pt->get("concept"));
          }
        }
      }
    }
    if (!topic.when.empty()) {
      std::string err;
      std::size_t off = 0;
      auto e = parse_expr(topic.when, err, off);
      if (!e) {
        error(Position{topic.when_pos.line, topic.when_pos.column + 1 + static_cast<int>(off)},
              "invalid 'when' expression: " + err);
      } else {
        for (const auto& nm : expr_concepts(*e)) {
          check(nm, *t.get("when"));
        }
      }
    }
  }

  static std::vector<std::string> get_names_quiet(const toml::node& n) {
    std::vector<std::string> out;
    if (const auto* arr = n.as_array()) {
      for (const auto& e : *arr) {
        if (auto s = e.value<std::string>()) {
          out.push_back(*s);
        }
      }
    }
    return out;
  }

  void
  parse_topic(const toml::node& n, std::vector<TopicConfig>& out, std::set<std::string>& seen) {
    const auto* t = n.as_table();
    if (!t) {
      error(n, "'topic' entries must be tables ([[topic]])");
      return;
    }
    check_keys(*t,
               {"name", "title", "when", "all", "any", "not", "threshold", "weights", "prior",
                "concept", "sense"},
               "[[topic]]");
    TopicConfig topic;
    topic.pos = pos_of(n);
    if (const auto* v = t->get("name")) {
      if (auto s = get_string(*v, "name")) {
        topic.name = *s;
        if (topic.name.empty() ||
            topic.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-_") !=
                std::string::npos) {
          error(*v, "topic name '" + topic.name + "' must be lowercase letters, digits, - or _");
        } else if (!seen.insert(topic.name).second) {
          error(*v, "duplicate topic '" + topic.name + "'");
        }
      }
    } else {
      error(n, "topic needs a 'name'");
    }
    if (const auto* v = t->get("title")) {
      topic.title = get_string(*v, "title").value_or("");
    }
    if (const auto* v = t->get("when")) {
      topic.when = get_string(*v, "when").value_or("");
      topic.when_pos = pos_of(*v);
    }
    if (const auto* v = t->get("all")) {
      topic.require_all = get_names(*v, "all");
    }
    if (const auto* v = t->get("any")) {
      topic.require_any = get_names(*v, "any");
    }
    if (const auto* v = t->get("not")) {
      topic.exclude = get_names(*v, "not");
    }
    if (!topic.when.empty() &&
        !(topic.require_all.empty() && topic.require_any.empty() && topic.exclude.empty())) {
      error(*t->get("when"), "use either 'when' or all/any/not, not both");
    }
    if (const auto* v = t->get("threshold")) {
      topic.threshold = get_number(*v, "threshold", true).value_or(0);
    }
    if (const auto* v = t->get("weights")) {
      parse_weights(*v, topic);
    }
    if (const auto* v = t->get("concept")) {
      if (const auto* arr = v->as_array()) {
        for (const auto& c : *arr) {
          parse_concept(c, topic.concepts);
        }
      } else {
        error(*v, "'concept' must be an array of tables ([[topic.concept]])");
      }
    }
    if (topic.concepts.empty()) {
      error(n, "topic '" + topic.name + "' has no concepts ([[topic.concept]])");
    }
    if (const auto* v = t->get("sense")) {
      if (const auto* arr = v->as_array()) {
        for (const auto& s : *arr) {
          parse_sense(s, topic.senses);
        }
      } else {
        error(*v, "'sense' must be an array of tables ([[topic.sense]])");
      }
    }
    if (const auto* v = t->get("prior")) {
      if (const auto* arr = v->as_array()) {
        for (const auto& p : *arr) {
          parse_prior(p, topic);
        }
      } else {
        error(*v, "'prior' must be an array of tables ([[topic.prior]])");
      }
    }
    check_references(*t, topic);
    out.push_back(std::move(topic));
  }

private:
  const std::string& m_file;
  std::vector<Error>& m_errors;
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
  if (!node) {
    return;
  }
  TopicParser p(file, errors);
  const auto* arr = node->as_array();
  if (!arr) {
    p.error(*node, "'topic' must be an array of tables ([[topic]])");
    return;
  }
  std::set<std::string> seen;
  for (const auto& t : *arr) {
    p.parse_topic(t, out, seen);
  }
}

} // namespace reelfeed::config
