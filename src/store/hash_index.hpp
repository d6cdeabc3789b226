#pragma once
// Private to src/store: an in-memory multimap from 64-bit hashes to entry ids, in place of
// B-tree indexes on entries' canonical_url and (source_id, identity). Both are random keys:
// each took a leaf page per new entry, and those pages were most of what a feed's commit
// wrote beyond the rows themselves (store_bench). The hashes live in each entry's lsh row
// (appended in time order); an index is loaded from them once per Store and then follows
// every insert.
//
// Consistency: like the LSH index it may hold more than the database (ids of rolled-back
// or pruned entries, a hash collision), never less once loaded; every hit is re-checked
// against the entry's stored row. Not thread-safe (the Store's thread only).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace reelfeed::store {

class HashIndex {
public:
  /// The key of a canonical URL; never 0 (an empty slot).
  static std::uint64_t key_of(const void* data, std::size_t size);
  /// The key of an identity within its source; never 0.
  static std::uint64_t key_of(std::int64_t source_id, const std::string& identity);

  /// Entry ids must be below k_max_id (lsh_key() assumes 2^40 too).
  static constexpr std::int64_t k_max_id = (std::int64_t{1} << 40) - 1;

  void add(std::uint64_t key, std::int64_t entry_id);
  /// Forgets one (key, id) pair, if present (a pruned entry).
  void remove(std::uint64_t key, std::int64_t entry_id);
  /// Starts loading the slot find(key) probes first: a large index's slots are cache
  /// misses, and prefetching a feed's keys before probing any overlaps them.
  void prefetch(std::uint64_t key) const {
    if (!m_slots.empty())
      __builtin_prefetch(&m_slots[slot_of(key)]);
  }
  /// Calls f(entry_id) for every id stored under `key`, in no particular order, and now
  /// and then an id of another key whose hash shares its top 24 bits (about one look-up
  /// in 2^24 / size()): callers check the row.
  template <typename F> void find(std::uint64_t key, F&& f) const {
    if (m_slots.empty())
      return;
    const std::uint64_t tag = mix(key) >> k_id_bits;
    for (std::size_t i = slot_of(key);; i = (i + 1) & (m_slots.size() - 1)) {
      const std::uint64_t s = m_slots[i];
      if (s == 0)
        return;
      if ((s >> k_id_bits) == tag && (s & k_id_mask) != k_removed)
        f(static_cast<std::int64_t>(s & k_id_mask));
    }
  }
  void clear() {
    m_slots.clear();
    m_slots.shrink_to_fit();
    m_used = 0;
    m_live = 0;
    m_shift = 64;
  }
  [[nodiscard]] std::size_t size() const { return m_live; }
  /// Bytes held (benchmarks, the memory budget in ARCHITECTURE.md).
  [[nodiscard]] std::size_t bytes() const { return m_slots.capacity() * sizeof(std::uint64_t); }

private:
  // A slot packs the top 24 bits of the key's hash (its tag) and a 40-bit entry id: 8
  // bytes per pair. The tag also holds the slot's home (the top bits of the hash), so the
  // table can grow without the keys, up to 2^24 slots.
  static constexpr unsigned k_id_bits = 40;
  static constexpr std::uint64_t k_id_mask = (std::uint64_t{1} << k_id_bits) - 1;
  static constexpr std::size_t k_max_slots = std::size_t{1} << 24;
  /// A removed pair keeps its slot (linear probing must step over it) until the next grow.
  static constexpr std::uint64_t k_removed = k_id_mask;
  static std::uint64_t mix(std::uint64_t key) { return key * 0x9E3779B97F4A7C15ULL; }
  [[nodiscard]] std::size_t slot_of(std::uint64_t key) const {
    return static_cast<std::size_t>(mix(key) >> m_shift);
  }
  /// Where a stored slot's probe run starts: its tag's top bits.
  [[nodiscard]] std::size_t home_of_slot(std::uint64_t slot) const {
    return static_cast<std::size_t>(slot >> m_shift);
  }
  void insert_slot(std::uint64_t slot);
  void rehash(std::size_t size);

  std::vector<std::uint64_t> m_slots;
  unsigned m_shift = 64;
  std::size_t m_used = 0; ///< occupied slots, removed ones included
  std::size_t m_live = 0;
};

} // namespace reelfeed::store
