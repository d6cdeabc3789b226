// Scoring: each concept sums the weights of its terms that fired (once per field, times the
// field's weight), minus its negative terms, plus the priors of the story's source tags.
// A concept fires at its min_score; the topic's rule (all/any/not or `when`) says which
// concepts must fire, and the summed score of its non-negated concepts must reach the
// threshold.

#include "filter/filter.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "filter/matcher.hpp"
#include "filter/text.hpp"

namespace reelfeed::filter {
namespace {

std::string num(double d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2g", d);
  if (d >= 10 || d <= -10)
    std::snprintf(buf, sizeof buf, "%.1f", d);
  else
    std::snprintf(buf, sizeof buf, "%.1f", d);
  return buf;
}

/// Concepts reached without a negation count towards the score; those under one negation
/// exclude; those under two (`!(review & !industry)`) only qualify an exclusion.
void positive_concepts(const config::Expr& e,
                       int negations,
                       std::vector<std::string>& pos,
                       std::vector<std::string>& neg) {
  if (e.kind == config::Expr::Kind::Concept) {
    if (negations > 1)
      return;
    auto& list = negations == 1 ? neg : pos;
    for (const auto& s : list)
      if (s == e.name)
        return;
    list.push_back(e.name);
    return;
  }
  for (const auto& c : e.children)
    positive_concepts(c, negations + (e.kind == config::Expr::Kind::Not ? 1 : 0), pos, neg);
}

/// The distinct texts of one field over a story's sightings, HTML-stripped for matching.
class FieldTexts {
public:
  void clear() { m_raw.clear(); }
  [[nodiscard]] bool empty() const { return m_raw.empty(); }
  [[nodiscard]] bool contains(std::string_view text) const {
    return std::find(m_raw.begin(), m_raw.end(), text) != m_raw.end();
  }
  void add(std::string_view text) {
    if (!text.empty() && !contains(text))
      m_raw.push_back(text);
  }
  /// Sorted, stripped; valid until the next call.
  const std::vector<std::string_view>& segments() {
    std::sort(m_raw.begin(), m_raw.end());
    if (m_stripped.size() < m_raw.size())
      m_stripped.resize(m_raw.size());
    m_segments.clear();
    for (std::size_t i = 0; i < m_raw.size(); ++i) {
      // Most titles and many summaries carry no markup: skip the copy.
      if (m_raw[i].find_first_of("<&") == std::string_view::npos) {
        m_segments.push_back(m_raw[i]);
      } else {
        m_stripped[i] = strip_html(m_raw[i]);
        m_segments.push_back(m_stripped[i]);
      }
    }
    return m_segments;
  }

private:
  std::vector<std::string_view> m_raw;
  std::vector<std::string> m_stripped;
  std::vector<std::string_view> m_segments;
};

} // namespace

struct CompiledTopic {
  config::TopicConfig config;
  config::Expr rule;
  std::string rule_text;
  std::vector<std::size_t> positive; ///< concept indices
  std::vector<std::size_t> negated;
  std::unique_ptr<TopicMatcher> matcher;

  [[nodiscard]] std::size_t concept_index(const std::string& name) const {
    for (std::size_t i = 0; i < config.concepts.size(); ++i)
      if (config.concepts[i].name == name)
        return i;
    throw std::invalid_argument("topic '" + config.name + "': unknown concept '" + name + "'");
  }

  [[nodiscard]] bool eval(const config::Expr& e, const std::vector<char>& fired) const {
    switch (e.kind) {
    case config::Expr::Kind::Concept:
      return fired[concept_index(e.name)] != 0;
    case config::Expr::Kind::Not:
      return !eval(e.children.front(), fired);
    case config::Expr::Kind::And:
      for (const auto& c : e.children)
        if (!eval(c, fired))
          return false;
      return true;
    case config::Expr::Kind::Or:
      for (const auto& c : e.children)
        if (eval(c, fired))
          return true;
      return false;
    }
    return false;
  }
};

class Rules::Impl {
public:
  std::vector<CompiledTopic> topics;
};

Rules::Rules(const std::vector<config::TopicConfig>& topics) : m_impl(std::make_unique<Impl>()) {
  for (const auto& t : topics) {
    CompiledTopic ct;
    ct.config = t;
    ct.rule = config::topic_rule(t);
    ct.rule_text = config::expr_str(ct.rule);
    std::vector<std::string> pos;
    std::vector<std::string> neg;
    positive_concepts(ct.rule, 0, pos, neg);
    for (const auto& n : pos)
      ct.positive.push_back(ct.concept_index(n));
    for (const auto& n : neg)
      ct.negated.push_back(ct.concept_index(n));
    for (const auto& p : t.priors)
      (void)ct.concept_index(p.concept_name);
    ct.matcher = std::make_unique<TopicMatcher>(t);
    m_impl->topics.push_back(std::move(ct));
  }
}

Rules::~Rules() = default;
Rules::Rules(Rules&&) noexcept = default;
Rules& Rules::operator=(Rules&&) noexcept = default;

std::vector<std::string> Rules::topic_names() const {
  std::vector<std::string> out;
  for (const auto& t : m_impl->topics)
    out.push_back(t.config.name);
  return out;
}

std::optional<std::size_t> Rules::find_topic(std::string_view name) const {
  for (std::size_t i = 0; i < m_impl->topics.size(); ++i)
    if (m_impl->topics[i].config.name == name)
      return i;
  return std::nullopt;
}

Decision Rules::evaluate(std::size_t topic, const Story& story) const {
  const auto& t = m_impl->topics.at(topic);
  const auto& cfg = t.config;
  Decision d;
  d.topic = cfg.name;
  d.threshold = cfg.threshold;

  // A story is judged on the evidence of every sighting: a field is read as the distinct
  // texts of that field over all its outlets, each its own segment (no phrase spans two),
  // in sorted order so that the outlets' order cannot change a score or an explanation.
  // Each term still counts once per field, so five outlets' weak mentions weigh what one
  // does, while a word only one outlet's headline has still counts.
  thread_local FieldTexts texts;
  thread_local std::vector<RawHit> raw;
  raw.clear();
  auto field = [&](const char* name, double weight) {
    if (weight > 0 && !texts.empty())
      t.matcher->match_field(texts.segments(), name, weight, raw);
  };
  texts.clear();
  texts.add(story.title);
  for (const auto& o : story.outlets)
    texts.add(o.title);
  field("title", cfg.weight_title);
  texts.clear();
  texts.add(story.summary);
  for (const auto& o : story.outlets)
    texts.add(o.summary);
  field("summary", cfg.weight_summary);
  // Only the representative's full text is at hand; many feeds repeat the summary there.
  const bool content_repeats = texts.contains(story.content);
  texts.clear();
  if (!content_repeats)
    texts.add(story.content);
  field("content", cfg.weight_content);
  texts.clear();
  for (const auto& c : story.categories)
    texts.add(c);
  for (const auto& o : story.outlets)
    for (const auto& c : o.categories)
      texts.add(c);
  field("categories", cfg.weight_categories);
  // Priors do not stack: a source tagged both "entertainment" and "music" gives the
  // entertainment concept the larger of the two, never the sum.
  std::vector<const config::TopicConfig::Prior*> best(cfg.concepts.size(), nullptr);
  for (const auto& p : cfg.priors)
    for (const auto& tag : story.source_tags)
      if (tag == p.tag) {
        auto& b = best[t.concept_index(p.concept_name)];
        if (!b || std::abs(p.score) > std::abs(b->score))
          b = &p;
      }
  for (const auto* p : best)
    if (p)
      raw.push_back({{p->concept_name, "tag:" + p->tag, "source", p->score},
                     t.concept_index(p->concept_name),
                     false,
                     0});

  // A sense applies to the whole story once its context matched in any field; it then hides
  // the hits its terms cover everywhere. Both show in the explanation, at weight 0.
  std::uint32_t active = 0;
  for (const auto& h : raw)
    if (h.context)
      active |= std::uint32_t{1} << h.index;
  const auto n = cfg.concepts.size();
  std::vector<double> score(n, 0.0);
  d.hits.reserve(raw.size());
  for (auto& h : raw) {
    if (const std::uint32_t hiding = h.covers & active; hiding != 0 && !h.context) {
      std::size_t sense = 0;
      while ((hiding >> sense & 1u) == 0)
        ++sense;
      h.hit.term += " (hidden: " + t.matcher->sense_name(sense) + ")";
      h.hit.weight = 0;
    } else if (!h.context) {
      score[h.index] += h.hit.weight;
    }
    d.hits.push_back(std::move(h.hit));
  }
  std::vector<char> fired(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    fired[i] = score[i] > 0 && score[i] >= cfg.concepts[i].min_score;
    if (fired[i])
      d.concepts_matched.push_back(cfg.concepts[i].name);
  }
  for (auto i : t.positive)
    d.score += score[i];
  const bool rule_ok = t.eval(t.rule, fired);
  d.published = rule_ok && d.score >= cfg.threshold;

  std::string scores;
  for (auto i : t.positive) {
    if (!scores.empty())
      scores += ", ";
    scores += cfg.concepts[i].name + " " + num(score[i]) + "/" + num(cfg.concepts[i].min_score);
  }
  for (std::size_t i = 0; i < cfg.senses.size(); ++i)
    if (active >> i & 1u)
      scores += "; sense " + cfg.senses[i].name;
  if (d.published) {
    d.reason = "published: " + scores + "; score " + num(d.score) + " >= " + num(cfg.threshold);
  } else if (!rule_ok) {
    std::string why;
    for (auto i : t.negated)
      if (fired[i])
        why += (why.empty() ? "" : "; ") + std::string("excluded by ") + cfg.concepts[i].name +
               " " + num(score[i]) + "/" + num(cfg.concepts[i].min_score);
    for (auto i : t.positive)
      if (!fired[i])
        why += (why.empty() ? "" : "; ") + std::string("missing ") + cfg.concepts[i].name + " " +
               num(score[i]) + "/" + num(cfg.concepts[i].min_score);
    d.reason = "not published: " + why + " (rule " + t.rule_text + "; " + scores + ")";
  } else {
    d.reason = "not published: score " + num(d.score) + " < threshold " + num(cfg.threshold) +
               " (" + scores + ")";
  }
  return d;
}

std::vector<Decision> Rules::evaluate_all(const Story& story) const {
  std::vector<Decision> out;
  for (std::size_t i = 0; i < m_impl->topics.size(); ++i)
    out.push_back(evaluate(i, story));
  return out;
}

std::string format_decision(const Decision& d) {
  std::string out = d.topic + ": " + (d.published ? "published" : "not published") + ", score " +
                    num(d.score) + (d.score >= d.threshold ? " >= " : " < ") + "threshold " +
                    num(d.threshold) + "\n  " + d.reason + "\n";
  if (!d.concepts_matched.empty()) {
    out += "  concepts:";
    for (const auto& c : d.concepts_matched)
      out += " " + c;
    out += "\n";
  }
  for (const auto& h : d.hits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%+.2f", h.weight);
    out += "  " + h.concept_name + " " + buf + " " + h.field + ": " + h.term + "\n";
  }
  return out;
}

} // namespace reelfeed::filter
