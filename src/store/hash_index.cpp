// Open addressing with linear probing over (key, id) pairs: 32 bytes per entry at the
// maximum load of 0.5, so 100k stored entries cost ~4 MB.

#include "store/hash_index.hpp"

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
  if ((m_used + 1) * 2 > m_slots.size())
    rehash(m_slots.empty()                     ? 1024
           : (m_live + 1) * 4 > m_slots.size() ? m_slots.size() * 2
                                               : m_slots.size());
  std::size_t i = slot_of(key);
  for (;; i = (i + 1) & (m_slots.size() - 1)) {
    Slot& s = m_slots[i];
    if (s.key == 0)
      break;
    if (s.key == key && s.id == entry_id)
      return; // already there (a re-indexed entry)
  }
  m_slots[i] = {key, entry_id};
  ++m_used;
  ++m_live;
}

void HashIndex::remove(std::uint64_t key, std::int64_t entry_id) {
  if (m_slots.empty())
    return;
  for (std::size_t i = slot_of(key);; i = (i + 1) & (m_slots.size() - 1)) {
    Slot& s = m_slots[i];
    if (s.key == 0)
      return;
    if (s.key == key && s.id == entry_id) {
      s.id = k_removed;
      --m_live;
      return;
    }
  }
}

void HashIndex::rehash(std::size_t size) {
  // Same size when removed slots are most of the load: this drops them.
  std::vector<Slot> old;
  old.swap(m_slots);
  m_slots.assign(size, Slot{});
  m_shift = 64;
  for (std::size_t s = size; s > 1; s >>= 1)
    --m_shift;
  m_used = 0;
  m_live = 0;
  for (const Slot& s : old)
    if (s.key != 0 && s.id != k_removed)
      add(s.key, s.id);
}

} // namespace reelfeed::store
