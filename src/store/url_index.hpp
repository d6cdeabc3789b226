#pragma once
// Private to src/store: the in-memory index of canonical URLs (64-bit hash -> entry ids),
// in place of a B-tree index on entries.canonical_url. URLs are random keys: that index
// took a random leaf page per new entry, 45% of the pages a feed's commit wrote
// (store_bench). The hashes live in each entry's lsh row (appended in time order), and
// this index is loaded from them once per Store, then follows every insert.
//
// Consistency: like the LSH index it may hold more than the database (ids of rolled-back
// or pruned entries, a hash collision), never less once loaded; every hit is re-checked
// against the entry's stored canonical_url. Not thread-safe (the Store's thread only).

#include <cstdint>
#include <vector>

namespace reelfeed::store {

class UrlIndex {
public:
  /// The key of a canonical URL; never 0 (an empty slot).
  static std::uint64_t key_of(const void* data, std::size_t size);

  void add(std::uint64_t key, std::int64_t entry_id);
  /// Forgets one (key, id) pair, if present (a pruned entry).
  void remove(std::uint64_t key, std::int64_t entry_id);
  /// Calls f(entry_id) for every id stored under `key`, in no particular order.
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
