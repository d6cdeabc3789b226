#pragma once
// Private to src/store: the in-memory side of event clustering (independent coverage of one
// news event by several outlets).
//
// - TermStats: how many stored entries use each term (document frequency, for IDF), in a
//   fixed-size counter table: a collision can only make a term look commoner, which lowers
//   its weight (a missed join, never a wrong one). Loaded from the newest stored entries'
//   lsh rows, then kept up by every insert and delete.
// - EventBucket: one 4-day time bucket of entries with their terms, and postings of each
//   entry's most distinctive terms, for candidate look-ups that never scan a bucket.
// - event_score(): how alike two entries are as reports of one event.
//
// Like the LSH index, it may hold more than the database (a rolled-back entry), never less
// for a loaded bucket; Store::Impl clears it after a failed ingest, a prune or another
// connection's commit. Not thread-safe (the Store's thread only).

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "dedup/event_terms.hpp"
#include "store/newest_buckets.hpp"

namespace reelfeed::store {

/// An entry's terms as stored: actions, then (hash, weight x 16) pairs (see terms_to_blob).
std::string terms_to_blob(const dedup::EventTerms& terms);
std::optional<dedup::EventTerms> terms_from_blob(const void* data, int size);

class TermStats {
public:
  TermStats() : m_counts(k_slots, 0) {}
  void add(const dedup::EventTerms& t);
  void remove(const dedup::EventTerms& t);
  /// Inverse document frequency with a prior: a term no stored entry uses weighs as if
  /// k_prior_docs imaginary entries had used it at rate k_prior_rate, so a new or small
  /// store still gives every term a sensible, similar weight (and the beat's own words a
  /// low one).
  [[nodiscard]] double idf(std::uint32_t hash) const { return weigh(hash).idf; }
  struct Weight {
    double idf = 0;
    /// idf, or less once the store holds more entries than the prior imagines: -ln of
    /// the share of them that use the term when that is larger. The prior makes a word
    /// every entry of a young store uses look rarer than it is, and reports sharing such
    /// words alike by more than chance; with fewer entries, the share is noise (two
    /// reports of one event are all the entries that name its company).
    double surprise = 0;
  };
  [[nodiscard]] Weight weigh(std::uint32_t hash) const;
  [[nodiscard]] std::uint64_t documents() const { return m_docs; }
  [[nodiscard]] std::size_t bytes() const { return m_counts.capacity() * sizeof(std::uint32_t); }
  /// The beat's own words (sorted hashes), whose prior rate is k_prior_beat_rate.
  void set_beat_terms(std::vector<std::uint32_t> sorted) { m_beat = std::move(sorted); }
  void clear() {
    std::fill(m_counts.begin(), m_counts.end(), 0);
    m_docs = 0;
  }

  static constexpr double k_prior_docs = 50;
  static constexpr double k_prior_rate = 0.02;
  static constexpr double k_prior_beat_rate = 0.1;

private:
  static constexpr std::size_t k_slots = std::size_t{1} << 18; // 1 MiB of counters
  std::vector<std::uint32_t> m_counts;
  std::uint64_t m_docs = 0;
  std::vector<std::uint32_t> m_beat;
};

/// A term's surprise (its IDF, -ln of the share of entries that use it) is kept in steps
/// of this many nats, one byte per term.
inline constexpr double k_surprise_step = 0.25;

/// An entry's normalised TF-IDF vector, in hash order, with each term's surprise.
struct EventVector {
  std::vector<std::pair<std::uint32_t, float>> w;
  std::vector<std::uint8_t> surprise; ///< parallel to w, in k_surprise_step (or empty)
  std::uint16_t actions = 0;
  std::uint32_t title_numbers = 0;
};
/// Whether vectorize() also records each term's surprise: the sighting that looks up needs
/// it (Coincidence, event_score), the vectors a bucket stores do not.
enum class Surprise { keep, skip };
[[nodiscard]] EventVector
vectorize(const dedup::EventTerms& t, const TermStats& stats, Surprise surprise = Surprise::keep);

/// How likely an unrelated report is to share, by coincidence, terms of one report whose
/// surprise adds up to at least a given amount. Each term of the report is taken to occur
/// in an unrelated one independently, at the rate its IDF implies (e^-idf), and the
/// distribution of the shared surprise is computed exactly (one convolution step per term).
/// Two random texts over a small vocabulary share several words; two reports of one event
/// share names, figures and rare words that unrelated reports almost never do together.
class Coincidence {
public:
  explicit Coincidence(const EventVector& v);
  /// P(shared surprise >= `surprise` steps) for one unrelated report.
  [[nodiscard]] double tail(int surprise) const {
    return surprise <= 0                                        ? 1.0
           : static_cast<std::size_t>(surprise) < m_tail.size() ? m_tail[surprise]
                                                                : 0.0;
  }

private:
  std::vector<double> m_tail;
};

/// A stored entry's vector where its bucket keeps it (no copy): hashes in order, weights.
struct EventView {
  std::span<const std::uint32_t> hash;
  std::span<const std::uint16_t> weight; ///< in units of 1 / k_view_weight_scale
  std::uint16_t actions = 0;
  std::uint32_t title_numbers = 0;
};

/// A stored vector's normalised weights (at most 1) are kept in 16 bits: 2 bytes a term
/// less than a float, and 1.5e-5 of precision against thresholds of a few hundredths.
inline constexpr float k_view_weight_scale = 65535.0F;

/// The tuning of event_score() and of the join rule (ClusterOptions carries the user's).
struct EventRule {
  double threshold = 0.11; ///< a story joins at this score or more...
  /// ...and when the shared terms are no coincidence: fewer than this many unrelated
  /// reports of the window are expected to share as much (window size x Coincidence::tail).
  double coincidences = 0.03;
  double margin = 0.04;            ///< ...when the next story scores this much less,
  double sure = 0.25;              ///< or at this score whatever the next one scores
  std::int64_t window = 3 * 86400; ///< seconds; the score falls to 0 at this distance
};

/// How one report (a) matches another (b) as coverage of one event, in [0, 1]:
///   (cosine - half the largest single term's share)      no one word makes a match
///   x time factor: 1 within window/6, then falling linearly to 0 at the window
///   x 0.5 when both titles name actions and none in common (a deal vs a vote)
///   x 0.25 when both titles give figures and none in common.
struct EventScore {
  double score = 0;
  double cosine = 0;
  std::uint32_t top_term = 0; ///< the term that carried most of the cosine
  int surprise = 0;           ///< of the shared terms (a's), in k_surprise_step
};
[[nodiscard]] EventScore event_score(const EventVector& a,
                                     const EventVector& b,
                                     std::int64_t seconds_apart,
                                     const EventRule& rule);
[[nodiscard]] EventScore event_score(const EventVector& a,
                                     const EventView& b,
                                     std::int64_t seconds_apart,
                                     const EventRule& rule);
/// The shared terms of a and b, largest contribution first (for `explain`).
[[nodiscard]] std::vector<std::pair<std::uint32_t, double>> shared_terms(const EventVector& a,
                                                                         const EventVector& b);

/// An entry as the clustering sees it.
struct EventDoc {
  std::int64_t entry_id = 0;
  std::int64_t t = 0;
  std::int64_t story_id = 0;
  std::int64_t source_id = 0;
  dedup::EventTerms terms;
};

/// One time bucket: its entries' terms in flat arrays (48 bytes per entry plus 6 per term),
/// and postings of each entry's k_posted most distinctive terms in an open-addressing
/// table (8 bytes per posting), for candidate look-ups that never scan the bucket.
class EventBucket {
public:
  static constexpr std::size_t k_posted = 12;
  /// A term posted by more entries than this in one bucket is not used to find
  /// candidates: it says too little, and scanning it would cost per item what the bucket
  /// holds (a feed whose every item says "Daily update").
  static constexpr std::uint32_t k_max_postings = 64;

  struct Doc {
    std::int64_t entry_id = 0;
    std::int64_t t = 0;
    std::int64_t story_id = 0;
    std::int64_t source_id = 0;
    std::uint32_t first = 0; ///< index of its first term in the term arrays
    std::uint32_t title_numbers = 0;
    std::uint16_t count = 0; ///< number of terms
    std::uint16_t actions = 0;
  };

  void add(const EventDoc& d, const TermStats& stats);
  /// Gives back the arrays' spare capacity: a loaded bucket grows by doubling, and without
  /// this up to half of what it holds would be slack for its whole life in the index.
  void shrink();
  /// Calls f(doc index) for each entry that posted `hash` (none when the term is too common
  /// in this bucket).
  template <typename F> void find(std::uint32_t hash, F&& f) const {
    const Slot* s = slot(hash);
    if (s == nullptr || s->count > k_max_postings)
      return;
    for (auto p = s->head; p != k_none; p = m_postings[p].next)
      f(m_postings[p].doc);
  }
  [[nodiscard]] const Doc& doc(std::uint32_t i) const { return m_docs[i]; }
  /// The vector of doc i, weighted when it was added.
  [[nodiscard]] EventView view(std::uint32_t i) const {
    const Doc& d = m_docs[i];
    return {{m_term_hash.data() + d.first, d.count},
            {m_term_weight.data() + d.first, d.count},
            d.actions,
            d.title_numbers};
  }
  /// A story folded into another: its entries now belong to `into`.
  void move_story(std::int64_t from, std::int64_t into);
  [[nodiscard]] std::size_t size() const { return m_docs.size(); }
  /// Bytes held (for the memory accounting of benchmarks).
  [[nodiscard]] std::size_t bytes() const;

private:
  static constexpr std::uint32_t k_none = UINT32_MAX;
  struct Slot {
    std::uint32_t hash = 0; ///< 0: empty
    std::uint32_t head = k_none;
    std::uint32_t count = 0;
  };
  struct Posting {
    std::uint32_t doc = 0;
    std::uint32_t next = k_none;
  };
  [[nodiscard]] const Slot* slot(std::uint32_t hash) const;
  Slot& slot_for_insert(std::uint32_t hash);

  std::vector<Doc> m_docs;
  std::vector<std::uint32_t> m_term_hash;
  std::vector<std::uint16_t> m_term_weight; ///< normalised TF-IDF weight (see EventView)
  std::vector<Slot> m_slots;
  std::vector<Posting> m_postings;
  std::size_t m_used = 0;
};

/// The loaded event buckets: about 16,384 entries (300-450 bytes each, about 7 MB) besides
/// the buckets of the look-up under way (see newest_buckets.hpp). A sighting whose window
/// lies before every loaded bucket is not clustered by event; copies and URLs still fold
/// it.
class EventIndex : public NewestBuckets<EventBucket, std::size_t{1} << 14> {
public:
  /// A story folded into another: its entries now belong to `into`.
  void move_story(std::int64_t from, std::int64_t into) {
    for_each([&](EventBucket& b) { b.move_story(from, into); });
  }
};

} // namespace reelfeed::store
