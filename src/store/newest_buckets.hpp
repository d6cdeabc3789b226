#pragma once
// Private to src/store: loaded time buckets of an in-memory index (the LSH bands, the event
// terms), keyed by bucket number, within a budget of entries.
//
// The newest buckets are kept, not the most recently used: a cold poll's feeds each walk
// back in time across many buckets, and evicting the farthest or least recently used
// bucket made feed after feed reload the same ones (300 feeds of gen_corpus --recent: 1,500
// loads, re-reading 49 rows per new entry). Past the budget the oldest go, after an insert
// as after a load (a cold poll fills buckets by inserts into buckets it created empty).
// Once a bucket has been evicted, the index only moves forward in time (admitted_from()): a
// look-up searches its window from the oldest loaded bucket on, and one whose window lies
// before every loaded bucket searches nothing. Such a sighting is older than what the store
// is folding now; letting it reload an evicted bucket would evict it again at the next
// insert, feed after feed.

#include <algorithm>
#include <cstdint>
#include <limits>
#include <optional>
#include <unordered_map>

namespace reelfeed::store {

/// Bucket needs size() (entries) and bytes().
template <typename Bucket, std::size_t MaxEntries> class NewestBuckets {
public:
  static constexpr std::size_t k_max_entries = MaxEntries;
  static constexpr std::size_t k_hard_entries = 3 * MaxEntries;

  [[nodiscard]] Bucket* loaded(std::int64_t bucket) {
    const auto it = m_buckets.find(bucket);
    return it == m_buckets.end() ? nullptr : &it->second;
  }
  /// The first bucket of [first, last] a look-up may load or use: `first` when they are
  /// all loaded, or nothing was evicted yet and the budget is not spent, or the window
  /// begins at or after the oldest loaded bucket; else the oldest loaded bucket when the
  /// window reaches it (the rest of the window was evicted: its oldest part is not
  /// searched); none when the window lies before every loaded bucket.
  [[nodiscard]] std::optional<std::int64_t> admitted_from(std::int64_t first,
                                                          std::int64_t last) const {
    bool all = true;
    for (auto b = first; b <= last && all; ++b)
      all = m_buckets.count(b) != 0;
    if (all || m_buckets.empty() || (!m_evicted && entries() < k_max_entries))
      return first;
    const auto oldest =
        std::min_element(m_buckets.begin(), m_buckets.end(), [](const auto& x, const auto& y) {
          return x.first < y.first;
        })->first;
    if (oldest <= first)
      return first;
    if (oldest <= last)
      return oldest;
    return std::nullopt;
  }
  Bucket& create(std::int64_t bucket) { return m_buckets[bucket]; }
  /// Evicts the oldest buckets outside [keep_first, keep_last] (a look-up holds references
  /// into its window's buckets) while the budget is exceeded, never the newest that holds
  /// entries: news arrives there, and a newest bucket larger than the budget on its own,
  /// evicted, would leave nothing loaded and every look-up free to reload it. (Newer, empty
  /// buckets are a look-up's window reaching into the future: they do not count.) The one
  /// before it goes only past k_hard_entries: news of the first hours of a bucket is
  /// coverage of what the last hours of the one before reported.
  void trim(std::int64_t keep_first, std::int64_t keep_last) {
    for (auto n = entries(); n > k_max_entries;) {
      std::int64_t newest = std::numeric_limits<std::int64_t>::min();
      for (const auto& kv : m_buckets)
        if (kv.second.size() > 0)
          newest = std::max(newest, kv.first);
      const bool keep_previous = n <= k_hard_entries;
      auto oldest = m_buckets.end();
      for (auto it = m_buckets.begin(); it != m_buckets.end(); ++it)
        if ((it->first < keep_first || it->first > keep_last) && it->first != newest &&
            !(keep_previous && it->first == newest - 1) &&
            (oldest == m_buckets.end() || it->first < oldest->first))
          oldest = it;
      if (oldest == m_buckets.end())
        return;
      n -= oldest->second.size();
      m_buckets.erase(oldest);
      m_evicted = true;
    }
  }
  /// After an insert (no look-up holds a bucket): the oldest go, the inserted one too when
  /// it is the oldest and not the newest.
  void trim() { trim(std::numeric_limits<std::int64_t>::max(), 0); }
  [[nodiscard]] std::size_t entries() const {
    std::size_t n = 0;
    for (const auto& [k, b] : m_buckets)
      n += b.size();
    return n;
  }
  [[nodiscard]] std::size_t bytes() const {
    std::size_t n = 0;
    for (const auto& [k, b] : m_buckets)
      n += b.bytes();
    return n;
  }
  void forget(std::int64_t bucket) { m_buckets.erase(bucket); }
  void clear() {
    m_buckets.clear();
    m_evicted = false;
  }
  template <typename F> void for_each(F&& f) {
    for (auto& [k, b] : m_buckets)
      f(b);
  }

private:
  std::unordered_map<std::int64_t, Bucket> m_buckets;
  bool m_evicted = false; ///< since the last clear()
};

} // namespace reelfeed::store
