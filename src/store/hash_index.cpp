// Open addressing with linear probing over packed (tag, id) slots: 8 bytes per pair at a
// load between 0.35 and 0.7, so about 16 bytes per stored entry (1M entries: ~16 MB for
// both indexes).

#include "store/hash_index.hpp"

#include <stdexcept>

#include <xxhash.h>

namespace reelfeed::store {

std::uint64_t HashIndex::key_of(const void* data, std::size_t size) {
  const auto h = XXH3_64bits(data, size);
  return h == 0 ? 1 : h;
}

std::uint64_t HashIndex::key_of(std::int64_t source_id, const std::string& identity) {
  const auto h =
      XXH3_64bits_withSeed(identity.data(), identity.size(), static_cast<XXH64_hash_t>(source_id));
  return h == 0 ? 1 : h;
}

void HashIndex::add(std::uint64_t key, std::int64_t entry_id) {
  if (entry_id <= 0 || entry_id >= k_max_id)
    throw std::out_of_range("HashIndex: entry id out of range");
  // Load at most 0.7 (linear probing stays short); a rehash at the same size when removed
  // slots are most of the load drops them.
  if ((m_used + 1) * 10 > m_slots.size() * 7)
    rehash(m_slots.empty()                     ? 1024
           : (m_live + 1) * 2 > m_slots.size() ? m_slots.size() * 2
                                               : m_slots.size());
  const std::uint64_t slot = (mix(key) & ~k_id_mask) | static_cast<std::uint64_t>(entry_id);
  for (std::size_t i = slot_of(key);; i = (i + 1) & (m_slots.size() - 1)) {
    const std::uint64_t s = m_slots[i];
    if (s == slot)
      return; // already there (a re-indexed entry)
    if (s == 0) {
      m_slots[i] = slot;
      ++m_used;
      ++m_live;
      return;
    }
  }
}

void HashIndex::insert_slot(std::uint64_t slot) {
  std::size_t i = home_of_slot(slot);
  while (m_slots[i] != 0)
    i = (i + 1) & (m_slots.size() - 1);
  m_slots[i] = slot;
  ++m_used;
  ++m_live;
}

void HashIndex::remove(std::uint64_t key, std::int64_t entry_id) {
  if (m_slots.empty())
    return;
  const std::uint64_t slot = (mix(key) & ~k_id_mask) | static_cast<std::uint64_t>(entry_id);
  for (std::size_t i = slot_of(key);; i = (i + 1) & (m_slots.size() - 1)) {
    std::uint64_t& s = m_slots[i];
    if (s == 0)
      return;
    if (s == slot) {
      s = (slot & ~k_id_mask) | k_removed;
      --m_live;
      return;
    }
  }
}

void HashIndex::rehash(std::size_t size) {
  if (size > k_max_slots)
    throw std::length_error("HashIndex: more than 2^24 slots");
  std::vector<std::uint64_t> old;
  old.swap(m_slots);
  m_slots.assign(size, 0);
  m_shift = 64;
  for (std::size_t s = size; s > 1; s >>= 1)
    --m_shift;
  m_used = 0;
  m_live = 0;
  for (const std::uint64_t s : old)
    if (s != 0 && (s & k_id_mask) != k_removed)
      insert_slot(s);
}

} // namespace reelfeed::store
