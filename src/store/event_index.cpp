// Event clustering's in-memory index and its score (see event_index.hpp). The score and its
// constants were chosen on half of the coverage-eval set (events of 2023-2024), measured on
// the other half, and checked for chaining on the whole set packed into a few days with
// the filter-eval stories as distractors; ARCHITECTURE.md gives the figures.

#include "store/event_index.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>

namespace reelfeed::store {
namespace {

constexpr float k_weight_scale = 16.0F; // stored weights: raw weight x 16 in a uint16
constexpr int k_blob_header = 6;        // actions (2 bytes), title numbers (4)
/// Share of the largest single term's contribution taken off the cosine.
constexpr double k_single_term_discount = 0.5;
/// Two short reports that share one word ("Café Noir", "Noir") are not one event, however
/// rare the word.
constexpr int k_min_shared_terms = 2;
/// Actions of different classes in both titles: the score is multiplied by this.
constexpr double k_action_conflict = 0.5;
/// Figures in both titles and none in common ("Part 3" and "Part 4", "up 3%" and "down 2%"):
/// almost surely two items, so the score is multiplied by this.
constexpr double k_figure_conflict = 0.25;

std::uint16_t quantise(float w) {
  return static_cast<std::uint16_t>(std::clamp(std::lround(w * k_weight_scale), 1L, 65535L));
}

std::size_t counter_of(std::uint32_t hash, std::size_t slots) {
  return static_cast<std::size_t>((hash * 0x9E3779B1U) >> 14) & (slots - 1);
}

/// Sub-linear in repetition: a word said three times is not three times the evidence.
double damped(double raw) {
  return raw >= 1.0 ? 1.0 + std::log(raw) : raw;
}

} // namespace

std::string terms_to_blob(const dedup::EventTerms& terms) {
  std::string out(k_blob_header + terms.terms.size() * 6, '\0');
  std::memcpy(out.data(), &terms.actions, 2);
  std::memcpy(out.data() + 2, &terms.title_numbers, 4);
  char* p = out.data() + k_blob_header;
  for (const auto& t : terms.terms) {
    const std::uint16_t w = quantise(t.weight);
    std::memcpy(p, &t.hash, 4);
    std::memcpy(p + 4, &w, 2);
    p += 6;
  }
  return out;
}

std::optional<dedup::EventTerms> terms_from_blob(const void* data, int size) {
  if (data == nullptr || size < k_blob_header || (size - k_blob_header) % 6 != 0) {
    return std::nullopt;
  }
  dedup::EventTerms t;
  const auto* p = static_cast<const char*>(data);
  std::memcpy(&t.actions, p, 2);
  std::memcpy(&t.title_numbers, p + 2, 4);
  const auto n = static_cast<std::size_t>(size - k_blob_header) / 6;
  t.terms.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    dedup::EventTerm x;
    std::uint16_t w = 0;
    std::memcpy(&x.hash, p + k_blob_header + 6 * i, 4);
    std::memcpy(&w, p + k_blob_header + 4 + 6 * i, 2);
    x.weight = static_cast<float>(w) / k_weight_scale;
    t.terms.push_back(x);
  }
  return t;
}

void TermStats::add(const dedup::EventTerms& t) {
  for (const auto& x : t.terms) {
    ++m_counts[counter_of(x.hash, k_slots)];
  }
  ++m_docs;
}

void TermStats::remove(const dedup::EventTerms& t) {
  for (const auto& x : t.terms) {
    auto& c = m_counts[counter_of(x.hash, k_slots)];
    c = c > 0 ? c - 1 : 0;
  }
  m_docs = m_docs > 0 ? m_docs - 1 : 0;
}

TermStats::Weight TermStats::weigh(std::uint32_t hash) const {
  const double df = m_counts[counter_of(hash, k_slots)];
  const double rate =
      std::binary_search(m_beat.begin(), m_beat.end(), hash) ? k_prior_beat_rate : k_prior_rate;
  const auto docs = static_cast<double>(m_docs);
  Weight w;
  w.idf = std::log((docs + k_prior_docs) / (df + k_prior_docs * rate + 0.5));
  w.surprise = df > 0 && docs >= k_prior_docs ? std::min(w.idf, std::log(docs / df)) : w.idf;
  return w;
}

EventVector vectorize(const dedup::EventTerms& t, const TermStats& stats, Surprise surprise) {
  EventVector v;
  v.actions = t.actions;
  v.title_numbers = t.title_numbers;
  v.w.reserve(t.terms.size());
  const bool keep = surprise == Surprise::keep;
  if (keep) {
    v.surprise.reserve(t.terms.size());
  }
  double norm = 0;
  for (const auto& x : t.terms) {
    const auto weight = stats.weigh(x.hash);
    const double w = damped(x.weight) * std::max(0.0, weight.idf);
    if (w <= 0) {
      continue;
    }
    v.w.emplace_back(x.hash, static_cast<float>(w));
    if (keep) {
      v.surprise.push_back(static_cast<std::uint8_t>(
          std::clamp(std::lround(weight.surprise / k_surprise_step), 0L, 255L)));
    }
    norm += w * w;
  }
  if (norm > 0) {
    const auto inv = static_cast<float>(1.0 / std::sqrt(norm));
    for (auto& [h, w] : v.w) {
      w *= inv;
    }
  }
  return v;
}

namespace {

/// Term k of a vector, whichever way it is held.
std::uint32_t hash_at(const EventVector& v, std::size_t k) {
  return v.w[k].first;
}
float weight_at(const EventVector& v, std::size_t k) {
  return v.w[k].second;
}
std::size_t size_of(const EventVector& v) {
  return v.w.size();
}
std::uint32_t hash_at(const EventView& v, std::size_t k) {
  return v.hash[k];
}
float weight_at(const EventView& v, std::size_t k) {
  return static_cast<float>(v.weight[k]) * (1.0F / k_view_weight_scale);
}
std::size_t size_of(const EventView& v) {
  return v.hash.size();
}

/// Calls f(hash, contribution, index in a) for each term of both vectors (both are in hash
/// order).
template <typename A, typename B, typename F> void for_each_shared(const A& a, const B& b, F&& f) {
  std::size_t i = 0;
  std::size_t j = 0;
  const std::size_t na = size_of(a);
  const std::size_t nb = size_of(b);
  while (i < na && j < nb) {
    const std::uint32_t x = hash_at(a, i);
    const std::uint32_t y = hash_at(b, j);
    if (x < y) {
      ++i;
    } else if (y < x) {
      ++j;
    } else {
      f(x, static_cast<double>(weight_at(a, i)) * weight_at(b, j), i);
      ++i;
      ++j;
    }
  }
}

template <typename B>
EventScore
score(const EventVector& a, const B& b, std::int64_t seconds_apart, const EventRule& rule) {
  EventScore s;
  double top = 0;
  int shared = 0;
  for_each_shared(a, b, [&](std::uint32_t h, double c, std::size_t i) {
    s.cosine += c;
    s.surprise += i < a.surprise.size() ? a.surprise[i] : 0;
    ++shared;
    if (c > top) {
      top = c;
      s.top_term = h;
    }
  });
  if (shared < k_min_shared_terms) {
    return s;
  }
  const auto dt = static_cast<double>(std::llabs(seconds_apart));
  const auto window = static_cast<double>(std::max<std::int64_t>(rule.window, 1));
  const double flat = window / 6;
  double time = 1.0;
  if (dt > flat) {
    time = std::max(0.0, 1.0 - (dt - flat) / (window - flat));
  }
  double score = std::max(0.0, s.cosine - k_single_term_discount * top) * time;
  if (a.actions != 0 && b.actions != 0 && (a.actions & b.actions) == 0) {
    score *= k_action_conflict;
  }
  if (a.title_numbers != 0 && b.title_numbers != 0 && (a.title_numbers & b.title_numbers) == 0) {
    score *= k_figure_conflict;
  }
  s.score = score;
  return s;
}

} // namespace

std::vector<std::pair<std::uint32_t, double>> shared_terms(const EventVector& a,
                                                           const EventVector& b) {
  std::vector<std::pair<std::uint32_t, double>> out;
  for_each_shared(a, b, [&](std::uint32_t h, double c, std::size_t) { out.emplace_back(h, c); });
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return x.second != y.second ? x.second > y.second : x.first < y.first;
  });
  return out;
}

EventScore event_score(const EventVector& a,
                       const EventVector& b,
                       std::int64_t seconds_apart,
                       const EventRule& rule) {
  return score(a, b, seconds_apart, rule);
}

EventScore event_score(const EventVector& a,
                       const EventView& b,
                       std::int64_t seconds_apart,
                       const EventRule& rule) {
  return score(a, b, seconds_apart, rule);
}

Coincidence::Coincidence(const EventVector& v) {
  // Beyond this much shared surprise (128 nats) a coincidence is taken as impossible.
  constexpr int k_max = 512;
  int total = 0;
  for (const auto s : v.surprise) {
    total += s;
  }
  total = std::min(total, k_max);
  // dist[x]: the probability that an unrelated report shares terms of surprise x.
  std::vector<double> dist(static_cast<std::size_t>(total) + 1, 0.0);
  dist[0] = 1.0;
  int reach = 0;
  for (const auto s : v.surprise) {
    const double p = std::exp(-k_surprise_step * s);
    reach = std::min(reach + s, total);
    for (int x = reach; x >= 0; --x) {
      const double from = x >= s ? dist[static_cast<std::size_t>(x - s)] : 0.0;
      dist[static_cast<std::size_t>(x)] = dist[static_cast<std::size_t>(x)] * (1 - p) + from * p;
    }
  }
  m_tail.assign(dist.size(), 0.0);
  double sum = 0;
  for (std::size_t x = dist.size(); x-- > 0;) {
    sum += dist[x];
    m_tail[x] = sum;
  }
}

// ----- EventBucket ------------------------------------------------------------------------

const EventBucket::Slot* EventBucket::slot(std::uint32_t hash) const {
  if (m_slots.empty()) {
    return nullptr;
  }
  const std::size_t mask = m_slots.size() - 1;
  for (std::size_t i = static_cast<std::size_t>(hash * 0x9E3779B1U) & mask;; i = (i + 1) & mask) {
    const Slot& s = m_slots[i];
    if (s.hash == 0) {
      return nullptr;
    }
    if (s.hash == hash) {
      return &s;
    }
  }
}

EventBucket::Slot& EventBucket::slot_for_insert(std::uint32_t hash) {
  if ((m_used + 1) * 2 > m_slots.size()) {
    std::vector<Slot> old = std::move(m_slots);
    m_slots.assign(std::max<std::size_t>(64, old.size() * 2), Slot{});
    for (const Slot& s : old) {
      if (s.hash == 0) {
        continue;
      }
      const std::size_t mask = m_slots.size() - 1;
      std::size_t i = static_cast<std::size_t>(s.hash * 0x9E3779B1U) & mask;
      while (m_slots[i].hash != 0) {
        i = (i + 1) & mask;
      }
      m_slots[i] = s;
    }
  }
  const std::size_t mask = m_slots.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash * 0x9E3779B1U) & mask;
  while (m_slots[i].hash != 0 && m_slots[i].hash != hash) {
    i = (i + 1) & mask;
  }
  if (m_slots[i].hash == 0) {
    m_slots[i].hash = hash;
    ++m_used;
  }
  return m_slots[i];
}

void EventBucket::add(const EventDoc& d, const TermStats& stats) {
  const auto index = static_cast<std::uint32_t>(m_docs.size());
  // Weighted once, with the statistics of the moment it is indexed: a look-up then scores
  // candidates without recomputing anyone's IDF.
  const EventVector v = vectorize(d.terms, stats, Surprise::skip);
  Doc doc;
  doc.entry_id = d.entry_id;
  doc.t = d.t;
  doc.story_id = d.story_id;
  doc.source_id = d.source_id;
  doc.first = static_cast<std::uint32_t>(m_term_hash.size());
  doc.count = static_cast<std::uint16_t>(std::min<std::size_t>(v.w.size(), 65535));
  doc.actions = v.actions;
  doc.title_numbers = v.title_numbers;
  m_docs.push_back(doc);
  std::vector<std::pair<float, std::uint32_t>> rank;
  rank.reserve(doc.count);
  for (std::size_t k = 0; k < doc.count; ++k) {
    m_term_hash.push_back(v.w[k].first);
    m_term_weight.push_back(static_cast<std::uint16_t>(
        std::lround(std::clamp(v.w[k].second, 0.0F, 1.0F) * k_view_weight_scale)));
    rank.emplace_back(v.w[k].second, v.w[k].first);
  }
  const auto posted = std::min(rank.size(), k_posted);
  std::partial_sort(rank.begin(), rank.begin() + static_cast<std::ptrdiff_t>(posted), rank.end(),
                    [](const auto& a, const auto& b) {
                      return a.first != b.first ? a.first > b.first : a.second < b.second;
                    });
  for (std::size_t k = 0; k < posted; ++k) {
    Slot& s = slot_for_insert(rank[k].second);
    m_postings.push_back({index, s.head});
    s.head = static_cast<std::uint32_t>(m_postings.size() - 1);
    ++s.count;
  }
}

void EventBucket::shrink() {
  m_docs.shrink_to_fit();
  m_term_hash.shrink_to_fit();
  m_term_weight.shrink_to_fit();
  m_postings.shrink_to_fit();
}

void EventBucket::move_story(std::int64_t from, std::int64_t into) {
  for (Doc& d : m_docs) {
    if (d.story_id == from) {
      d.story_id = into;
    }
  }
}

std::size_t EventBucket::bytes() const {
  return m_docs.capacity() * sizeof(Doc) + m_term_hash.capacity() * 4 +
         m_term_weight.capacity() * sizeof(std::uint16_t) + m_slots.capacity() * sizeof(Slot) +
         m_postings.capacity() * sizeof(Posting);
}

} // namespace reelfeed::store
