#include "filter/matcher.hpp"

#include <re2/re2.h>

#include <algorithm>
#include <stdexcept>

namespace reelfeed::filter {

std::vector<std::uint32_t>& WordIndex::operator[](std::string_view key) {
  for (std::size_t i = 0; i < m_keys.size(); ++i) {
    if (m_keys[i] == key) {
      return m_values[i];
    }
  }
  m_keys.emplace_back(key);
  m_max_len = std::max(m_max_len, key.size());
  return m_values.emplace_back();
}

void WordIndex::freeze() {
  std::size_t size = 16;
  while (size < m_keys.size() * 4) {
    size *= 2;
  }
  m_mask = size - 1;
  m_slots.assign(size, 0);
  for (std::size_t i = 0; i < m_keys.size(); ++i) {
    auto h = hash(m_keys[i]) & m_mask;
    while (m_slots[h] != 0) {
      h = (h + 1) & m_mask;
    }
    m_slots[h] = static_cast<std::uint32_t>(i + 1);
  }
}

const std::vector<std::uint32_t>* WordIndex::find(std::string_view key) const {
  if (key.size() > m_max_len || m_slots.empty()) {
    return nullptr;
  }
  for (auto h = hash(key) & m_mask;; h = (h + 1) & m_mask) {
    auto slot = m_slots[h];
    if (slot == 0) {
      return nullptr;
    }
    if (m_keys[slot - 1] == key) {
      return &m_values[slot - 1];
    }
  }
}

TopicMatcher::TopicMatcher(const config::TopicConfig& topic) {
  RE2::Options opt;
  opt.set_log_errors(false);
  opt.set_case_sensitive(false);
  m_regexes = std::make_unique<RE2::Set>(opt, RE2::UNANCHORED);
  for (std::size_t c = 0; c < topic.concepts.size(); ++c) {
    const auto& cc = topic.concepts[c];
    m_concepts.push_back(cc.name);
    for (const auto& p : cc.patterns) {
      add(p, c, PatternRole::Positive);
    }
    for (const auto& p : cc.negative) {
      add(p, c, PatternRole::Negative);
    }
    for (const auto& p : cc.ignore) {
      add(p, c, PatternRole::Ignore);
    }
  }
  for (std::size_t i = 0; i < topic.senses.size(); ++i) {
    const auto& sense = topic.senses[i];
    m_senses.push_back(sense.name);
    for (const auto& p : sense.hides) {
      add(p, i, PatternRole::Hide);
    }
    for (const auto& p : sense.context) {
      add(p, i, PatternRole::Context);
    }
  }
  m_by_first.freeze();
  if (m_regex_patterns.empty()) {
    m_regexes.reset();
  } else if (!m_regexes->Compile()) {
    throw std::invalid_argument("topic '" + topic.name + "': regexes do not compile together");
  }
}

void TopicMatcher::add(const config::PatternConfig& p, std::size_t concept_idx, PatternRole role) {
  CompiledPattern cp;
  cp.concept_idx = concept_idx;
  cp.role = role;
  // A regex hit shows its label, or the regex between slashes.
  cp.text = !p.is_regex ? p.text : !p.label.empty() ? p.label : "/" + p.text + "/";
  cp.case_sensitive = p.case_sensitive;
  cp.is_regex = p.is_regex;
  cp.weight = p.weight;
  auto id = static_cast<std::uint32_t>(m_patterns.size());
  if (p.is_regex) {
    if (role == PatternRole::Ignore || role == PatternRole::Hide) {
      throw std::invalid_argument("ignore and hides patterns must be terms: " + p.text);
    }
    std::string err;
    if (m_regexes->Add(p.text, &err) < 0) {
      throw std::invalid_argument("invalid regex '" + p.text + "': " + err);
    }
    m_regex_patterns.push_back(id);
  } else {
    cp.words = term_words(p.text, p.case_sensitive);
    if (cp.words.empty()) {
      throw std::invalid_argument("term without words: '" + p.text + "'");
    }
    // "actor" and "actors" stem alike: the same words in one concept count once.
    for (const auto& other : m_patterns) {
      if (!other.is_regex && other.concept_idx == concept_idx && other.role == role &&
          other.case_sensitive == cp.case_sensitive && other.words == cp.words) {
        return;
      }
    }
    m_by_first[fold(cp.words.front())].push_back(id);
  }
  m_patterns.push_back(std::move(cp));
}

namespace {

struct Match {
  std::uint32_t pattern;
  std::uint32_t start;
  std::uint32_t len;
};

} // namespace

void TopicMatcher::match_regexes(const std::vector<std::string_view>& segments,
                                 const char* field,
                                 double field_weight,
                                 std::vector<char>& seen,
                                 std::vector<RawHit>& hits) const {
  if (!m_regexes) {
    return;
  }
  thread_local std::vector<int> found;
  for (auto seg : segments) {
    found.clear();
    auto folded = fold(seg);
    if (m_regexes->Match(folded, &found)) {
      for (int idx : found) {
        auto id = m_regex_patterns[static_cast<std::size_t>(idx)];
        if (seen[id]) {
          continue;
        }
        seen[id] = 1;
        const auto& p = m_patterns[id];
        if (p.role == PatternRole::Context) {
          hits.push_back({{m_senses[p.concept_idx], p.text, field, 0.0}, p.concept_idx, true, 0});
          continue;
        }
        double w = p.weight * field_weight;
        hits.push_back(
            {{m_concepts[p.concept_idx], p.text, field, p.role == PatternRole::Negative ? -w : w},
             p.concept_idx,
             false,
             0});
      }
    }
  }
}

void TopicMatcher::match_field(const std::vector<std::string_view>& segments,
                               const char* field,
                               double field_weight,
                               std::vector<RawHit>& hits) const {
  // Per-thread scratch: evaluate() is called for every stored story, so no allocation churn.
  thread_local TokenList tokens;
  thread_local std::vector<Match> matches;
  thread_local std::vector<char> masked;
  thread_local std::vector<std::uint32_t> sense_bits; ///< per token: senses hiding it
  thread_local std::vector<char> seen;
  thread_local std::vector<std::uint32_t> covers; ///< per pattern, over its occurrences
  thread_local std::vector<std::uint32_t> order;  ///< patterns in order of first occurrence
  tokens.clear();
  matches.clear();
  for (auto seg : segments) {
    tokens.add_segment(seg);
  }
  const auto& toks = tokens.tokens();

  for (std::size_t i = 0; i < toks.size(); ++i) {
    const auto* ids = m_by_first.find(tokens.folded(toks[i]));
    if (!ids) {
      continue;
    }
    for (auto id : *ids) {
      const auto& p = m_patterns[id];
      if (i + p.words.size() > toks.size()) {
        continue;
      }
      bool ok = true;
      for (std::size_t k = 0; k < p.words.size() && ok; ++k) {
        const auto& t = toks[i + k];
        ok = t.segment == toks[i].segment &&
             (p.case_sensitive ? tokens.cased(t) : tokens.folded(t)) == p.words[k];
      }
      if (ok) {
        matches.push_back(
            {id, static_cast<std::uint32_t>(i), static_cast<std::uint32_t>(p.words.size())});
      }
    }
  }

  // "Ignore" terms hide what they cover, for every concept: "Ai Weiwei" is not "AI". A
  // sense's hidden terms only mark what they cover: whether the sense applies depends on
  // the whole story.
  masked.assign(toks.size(), 0);
  bool any_mask = false;
  bool any_sense = false;
  for (const auto& m : matches) {
    const auto role = m_patterns[m.pattern].role;
    if (role == PatternRole::Ignore) {
      any_mask = true;
      for (std::uint32_t k = m.start; k < m.start + m.len; ++k) {
        masked[k] = 1;
      }
    } else if (role == PatternRole::Hide) {
      if (!any_sense) {
        sense_bits.assign(toks.size(), 0);
      }
      any_sense = true;
      for (std::uint32_t k = m.start; k < m.start + m.len; ++k) {
        sense_bits[k] |= std::uint32_t{1} << m_patterns[m.pattern].concept_idx;
      }
    }
  }
  seen.assign(m_patterns.size(), 0);
  order.clear();
  for (const auto& m : matches) {
    const auto& p = m_patterns[m.pattern];
    if (p.role == PatternRole::Ignore || p.role == PatternRole::Hide) {
      continue;
    }
    if (p.role == PatternRole::Context) {
      if (!seen[m.pattern]) {
        seen[m.pattern] = 1;
        hits.push_back({{m_senses[p.concept_idx], p.text, field, 0.0}, p.concept_idx, true, 0});
      }
      continue;
    }
    bool hidden = false;
    for (std::uint32_t k = m.start; any_mask && k < m.start + m.len && !hidden; ++k) {
      hidden = masked[k] != 0;
    }
    if (hidden) {
      continue;
    }
    std::uint32_t cover = 0;
    for (std::uint32_t k = m.start; any_sense && k < m.start + m.len; ++k) {
      cover |= sense_bits[k];
    }
    // A term counts once per field; a sense hides it only if it hides every occurrence.
    if (!seen[m.pattern]) {
      seen[m.pattern] = 1;
      if (covers.size() < m_patterns.size()) {
        covers.resize(m_patterns.size());
      }
      covers[m.pattern] = cover;
      order.push_back(m.pattern);
    } else {
      covers[m.pattern] &= cover;
    }
  }
  for (auto id : order) {
    const auto& p = m_patterns[id];
    double w = p.weight * field_weight;
    hits.push_back(
        {{m_concepts[p.concept_idx], p.text, field, p.role == PatternRole::Negative ? -w : w},
         p.concept_idx,
         false,
         covers[id]});
  }

  match_regexes(segments, field, field_weight, seen, hits);
}

} // namespace reelfeed::filter
