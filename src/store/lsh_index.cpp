// In-memory LSH buckets: open addressing over packed 64-bit slots (8 bytes per band per
// entry, at a load of 0.375-0.75) and 8-byte entries: 115-220 bytes per entry, so a
// bucket of 100k entries costs ~15 MB, not the ~50 MB of a node-based map.

#include "store/lsh_index.hpp"

#include <stdexcept>

namespace reelfeed::store {

void LshBucket::add(std::int64_t entry_id,
                    std::int64_t t,
                    const std::uint32_t* bands,
                    std::size_t n) {
  if (m_entries.size() >= k_idx_mask)
    throw std::length_error("LSH bucket full");
  if (m_entries.empty())
    m_base = t;
  const std::int64_t offset = t - m_base + k_time_bias;
  if (entry_id <= 0 || entry_id >= (std::int64_t{1} << 40) || offset < 0 ||
      offset > static_cast<std::int64_t>(k_time_mask))
    throw std::out_of_range("LSH bucket: entry id or time out of range");
  const auto idx = static_cast<std::uint64_t>(m_entries.size());
  m_entries.push_back((static_cast<std::uint64_t>(entry_id) << k_time_bits) |
                      static_cast<std::uint64_t>(offset));
  // Load factor <= 0.75: linear probing stays a few slots long (most look-ups miss, and
  // a miss reads the run up to an empty slot), at 80 bytes of slots per entry or fewer.
  while ((m_used + n) * 4 > m_slots.size() * 3)
    grow();
  for (std::size_t b = 0; b < n; ++b) // (overlaps the cache misses, see prefetch())
    __builtin_prefetch(&m_slots[slot_of(pack_key(b, bands[b]))], 1);
  for (std::size_t b = 0; b < n; ++b)
    insert_capped((pack_key(b, bands[b]) << k_idx_bits) | idx);
}

void LshBucket::insert_capped(std::uint64_t slot) {
  const std::uint64_t key = slot >> k_idx_bits;
  std::size_t same = 0;
  std::size_t i = slot_of(key);
  for (; m_slots[i] != 0; i = (i + 1) & (m_slots.size() - 1))
    if ((m_slots[i] >> k_idx_bits) == key && ++same >= k_max_per_key)
      return; // a band every item shares says nothing: the entry is found by its others
  m_slots[i] = slot;
  ++m_used;
}

void LshBucket::insert_slot(std::uint64_t slot) {
  std::size_t i = slot_of(slot >> k_idx_bits);
  while (m_slots[i] != 0)
    i = (i + 1) & (m_slots.size() - 1);
  m_slots[i] = slot;
  ++m_used;
}

void LshBucket::grow() {
  std::vector<std::uint64_t> old;
  old.swap(m_slots);
  const std::size_t size = old.empty() ? 64 : old.size() * 2;
  m_slots.assign(size, 0);
  m_shift = 64;
  for (std::size_t s = size; s > 1; s >>= 1)
    --m_shift;
  m_used = 0;
  for (const auto s : old)
    if (s != 0)
      insert_slot(s);
}

} // namespace reelfeed::store
