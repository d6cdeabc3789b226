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
#include <memory>
#include <utility>
#include <vector>

#include "store/newest_buckets.hpp"

namespace reelfeed::store {

class LshBucket {
public:
  /// Adds an entry; `bands` has one 32-bit hash per band (the same count for every entry).
  void add(std::int64_t entry_id, std::int64_t t, const std::uint32_t* bands, std::size_t n);
  /// Calls f(entry_id, t) for every entry sharing band b's hash (an entry may come twice).
  template <typename F> void find(std::size_t band, std::uint32_t hash, F&& f) const {
    if (m_slots.empty() || band >= m_bands)
      return;
    const std::uint64_t h = mix(band, hash);
    const auto tag = static_cast<std::uint32_t>(h & k_tag_mask);
    for (std::size_t i = slot_of(h);; i = next(i)) {
      const std::uint32_t s = m_slots[i];
      if (s == 0)
        return;
      if ((s & k_tag_mask) != tag)
        continue;
      const std::size_t idx = (s >> k_tag_bits) - 1;
      if (band_of(idx, band) == hash)
        f(id_of(idx), time_of(idx));
    }
  }
  [[nodiscard]] std::size_t size() const { return m_size; }
  /// Bytes held (benchmarks, the memory budget in ARCHITECTURE.md).
  [[nodiscard]] std::size_t bytes() const {
    return m_chunks.size() * k_chunk * (sizeof(std::uint64_t) + m_bands * sizeof(std::uint32_t)) +
           m_slots.capacity() * sizeof(std::uint32_t);
  }
  /// Starts loading the slot find(band, hash) probes first. A large bucket's slots are
  /// random cache misses: prefetching all bands before probing any overlaps them.
  void prefetch(std::size_t band, std::uint32_t hash) const {
    if (!m_slots.empty())
      __builtin_prefetch(&m_slots[slot_of(mix(band, hash))]);
  }

private:
  static constexpr std::size_t k_max_per_key = 32;
  // A slot is 4 bytes: the entry's index + 1 (0 = empty) and 8 bits of the key's hash, so
  // that a probe reads an entry's bands only for one slot in 256 of other keys.
  static constexpr unsigned k_tag_bits = 8;
  static constexpr std::uint32_t k_tag_mask = (1U << k_tag_bits) - 1;
  static constexpr std::size_t k_max_entries = (std::size_t{1} << (32 - k_tag_bits)) - 2;
  // Entries and their bands live in fixed chunks: growing never copies them, and at most
  // one chunk is partly empty (a doubling vector keeps up to half its capacity unused).
  static constexpr std::size_t k_chunk_bits = 10;
  static constexpr std::size_t k_chunk = std::size_t{1} << k_chunk_bits;

  static std::uint64_t mix(std::size_t band, std::uint32_t hash) {
    const std::uint64_t key = (static_cast<std::uint64_t>(band + 1) << 32) | hash;
    return (key ^ (key >> 29)) * 0x9E3779B97F4A7C15ULL;
  }
  /// The home slot: the high bits of the hash scaled to the table (any size, not only
  /// powers of two, so the table grows by half, not by double).
  [[nodiscard]] std::size_t slot_of(std::uint64_t h) const {
    return static_cast<std::size_t>(((h >> 32) * m_slots.size()) >> 32); // (size < 2^32)
  }
  [[nodiscard]] std::size_t next(std::size_t i) const {
    return i + 1 == m_slots.size() ? 0 : i + 1;
  }
  [[nodiscard]] std::uint64_t packed(std::size_t idx) const {
    return m_chunks[idx >> k_chunk_bits].entries[idx & (k_chunk - 1)];
  }
  [[nodiscard]] std::int64_t id_of(std::size_t idx) const {
    return static_cast<std::int64_t>(packed(idx) >> k_time_bits);
  }
  [[nodiscard]] std::int64_t time_of(std::size_t idx) const {
    return m_base + static_cast<std::int64_t>(packed(idx) & k_time_mask) - k_time_bias;
  }
  [[nodiscard]] std::uint32_t band_of(std::size_t idx, std::size_t band) const {
    return m_chunks[idx >> k_chunk_bits].bands[(idx & (k_chunk - 1)) * m_bands + band];
  }
  /// Indexes entry `idx` under `band`, unless that key already has k_max_per_key entries.
  void insert_capped(std::size_t idx, std::size_t band);
  /// Rebuilds the slots, larger, from the entries (in their order: the same caps apply).
  void grow(std::size_t needed);

  // An entry packs its id (40 bits) and its time as an offset from the bucket's first
  // entry's (24 bits, +-97 days; a bucket spans 4): 8 bytes, then 4 per band.
  static constexpr unsigned k_time_bits = 24;
  static constexpr std::uint64_t k_time_mask = (std::uint64_t{1} << k_time_bits) - 1;
  static constexpr std::int64_t k_time_bias = std::int64_t{1} << (k_time_bits - 1);
  struct Chunk {
    std::unique_ptr<std::uint64_t[]> entries; ///< id << k_time_bits | (time - m_base + bias)
    std::unique_ptr<std::uint32_t[]> bands;   ///< m_bands per entry
  };
  std::vector<Chunk> m_chunks;
  std::size_t m_size = 0;
  std::size_t m_bands = 0;            ///< bands per entry, set by the first add
  std::int64_t m_base = 0;            ///< the first entry's time
  std::vector<std::uint32_t> m_slots; ///< open addressing, linear probing
  std::size_t m_used = 0;
};

/// The loaded LSH buckets: about 131,072 entries (98-124 bytes each, about 14 MB) besides
/// the bucket of the look-up under way (see newest_buckets.hpp). A sighting whose window
/// lies before every loaded bucket is compared with no earlier near-copy; its URL and
/// identity still fold it.
using LshIndex = NewestBuckets<LshBucket, std::size_t{1} << 17>;

} // namespace reelfeed::store
