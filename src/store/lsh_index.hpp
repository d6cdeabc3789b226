#pragma once
// Private to src/store: the in-memory side of the LSH band index. The database keeps one
// small row per entry (time bucket, entry id, time, band hashes), appended in time order,
// so a commit dirties a page or two instead of ten random B-tree pages per entry. Look-ups
// go to this index, which loads a time bucket from those rows the first time a look-up
// needs it and then follows every insert. Not thread-safe (the Store's thread only).
//
// Consistency: the index may only hold more than the database (an entry of a rolled-back
// transaction), never less for a loaded bucket, except for the cap below; every candidate
// is re-checked against the stored signature, so an extra one costs a look-up, not a wrong
// join.
//
// Bounded cost: a band hash keeps at most k_max_per_key entries of a bucket; later entries
// are not indexed under it. Near-identical titles ("Local bakery note number N about
// bread") share most bands, and without the cap every new item would find every earlier
// one as a candidate (ingest quadratic in the feed's size). Such a band tells nothing
// apart; the entries stay findable by the bands where they differ. Store::Impl clears
// it after a failed ingest, a prune, or another connection's commit.

#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

namespace reelfeed::store {

class LshBucket {
public:
  /// Adds an entry; `bands` has one 32-bit hash per band.
  void add(std::int64_t entry_id, std::int64_t t, const std::uint32_t* bands, std::size_t n);
  /// Calls f(entry_id, t) for every entry sharing band b's hash (an entry may come twice).
  template <typename F> void find(std::size_t band, std::uint32_t hash, F&& f) const {
    if (m_slots.empty())
      return;
    const std::uint64_t key = pack_key(band, hash);
    for (std::size_t i = slot_of(key);; i = (i + 1) & (m_slots.size() - 1)) {
      const auto s = m_slots[i];
      if (s == 0)
        return;
      if ((s >> k_idx_bits) == key) {
        const std::uint64_t e = m_entries[s & k_idx_mask];
        f(static_cast<std::int64_t>(e >> k_time_bits),
          m_base + static_cast<std::int64_t>(e & k_time_mask) - k_time_bias);
      }
    }
  }
  [[nodiscard]] std::size_t size() const { return m_entries.size(); }
  /// Bytes held (benchmarks, the memory budget in ARCHITECTURE.md).
  [[nodiscard]] std::size_t bytes() const {
    return (m_entries.capacity() + m_slots.capacity()) * sizeof(std::uint64_t);
  }
  /// Starts loading the slot find(band, hash) probes first. A large bucket's slots are
  /// random cache misses: prefetching all bands before probing any overlaps them.
  void prefetch(std::size_t band, std::uint32_t hash) const {
    if (!m_slots.empty())
      __builtin_prefetch(&m_slots[slot_of(pack_key(band, hash))]);
  }

private:
  static constexpr std::size_t k_max_per_key = 32;
  static constexpr unsigned k_idx_bits = 27;
  static constexpr std::uint64_t k_idx_mask = (std::uint64_t{1} << k_idx_bits) - 1;
  // 4 bits of band + 1 (never 0: an empty slot is 0) and 32 bits of hash.
  static std::uint64_t pack_key(std::size_t band, std::uint32_t hash) {
    return (static_cast<std::uint64_t>(band + 1) << 32) | hash;
  }
  [[nodiscard]] std::size_t slot_of(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> m_shift);
  }
  void insert_slot(std::uint64_t slot);
  /// insert_slot(), unless the slot's key already has k_max_per_key entries.
  void insert_capped(std::uint64_t slot);
  void grow();

  // An entry packs its id (40 bits) and its time as an offset from the bucket's first
  // entry's (24 bits, +-97 days; a bucket spans 4): 8 bytes.
  static constexpr unsigned k_time_bits = 24;
  static constexpr std::uint64_t k_time_mask = (std::uint64_t{1} << k_time_bits) - 1;
  static constexpr std::int64_t k_time_bias = std::int64_t{1} << (k_time_bits - 1);
  std::vector<std::uint64_t> m_entries; ///< id << k_time_bits | (time - m_base + bias)
  std::int64_t m_base = 0;              ///< the first entry's time
  std::vector<std::uint64_t> m_slots;   ///< open addressing: key << k_idx_bits | index
  unsigned m_shift = 64;
  std::size_t m_used = 0;
};

/// Loaded time buckets, keyed by bucket number.
class LshIndex {
public:
  [[nodiscard]] LshBucket* loaded(std::int64_t bucket) {
    const auto it = m_buckets.find(bucket);
    return it == m_buckets.end() ? nullptr : &it->second;
  }
  LshBucket& create(std::int64_t bucket) {
    // Bounded memory: a store touching many distant buckets starts over (they reload).
    if (m_buckets.size() >= k_max_buckets)
      m_buckets.clear();
    return m_buckets[bucket];
  }
  void forget(std::int64_t bucket) { m_buckets.erase(bucket); }
  void clear() { m_buckets.clear(); }

private:
  static constexpr std::size_t k_max_buckets = 32;
  std::unordered_map<std::int64_t, LshBucket> m_buckets;
};

} // namespace reelfeed::store
