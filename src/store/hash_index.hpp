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

  void add(std::uint64_t key, std::int64_t entry_id);
  /// Forgets one (key, id) pair, if present (a pruned entry).
  void remove(std::uint64_t key, std::int64_t entry_id);
  /// Calls f(entry_id) for every id stored under `key`, in no particular order.
  /// Starts loading the slot find(key) probes first: a large index's slots are cache
  /// misses, and prefetching a feed's keys before probing any overlaps them.
  void prefetch(std::uint64_t key) const {
    if (!m_slots.empty())
      __builtin_prefetch(&m_slots[slot_of(key)]);
  }
  template <typename F> void find(std::uint64_t key, F&& f) const {
    if (m_slots.empty())
      return;
    for (std::size_t i = slot_of(key);; i = (i + 1) & (m_slots.size() - 1)) {
      const Slot& s = m_slots[i];
      if (s.key == 0)
        return;
      if (s.key == key && s.id != k_removed)
        f(s.id);
    }
  }
  void clear() {
    m_slots.clear();
    m_used = 0;
    m_live = 0;
    m_shift = 64;
  }
  [[nodiscard]] std::size_t size() const { return m_live; }

private:
  struct Slot {
    std::uint64_t key = 0;
    std::int64_t id = 0;
  };
  /// A removed pair keeps its slot (linear probing must step over it) until the next grow.
  static constexpr std::int64_t k_removed = INT64_MIN;
  [[nodiscard]] std::size_t slot_of(std::uint64_t key) const {
    return static_cast<std::size_t>((key * 0x9E3779B97F4A7C15ULL) >> m_shift);
  }
  void rehash(std::size_t size);

  std::vector<Slot> m_slots;
  unsigned m_shift = 64;
  std::size_t m_used = 0; ///< occupied slots, removed ones included
  std::size_t m_live = 0;
};

} // namespace reelfeed::store
