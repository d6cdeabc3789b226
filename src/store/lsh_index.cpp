// In-memory LSH buckets: open addressing over 4-byte slots (one per band per entry, at a
// load of 0.53-0.8) and entries of 8 bytes plus 4 per band kept in chunks: with 10 bands,
// 98-124 bytes per entry, so a bucket of 100k entries costs ~11 MB.

#include "store/lsh_index.hpp"

#include <algorithm>
#include <stdexcept>

namespace reelfeed::store {

void LshBucket::add(std::int64_t entry_id,
                    std::int64_t t,
                    const std::uint32_t* bands,
                    std::size_t n) {
  if (m_size >= k_max_entries)
    throw std::length_error("LSH bucket full");
  if (m_size == 0) {
    m_base = t;
    m_bands = n;
  }
  if (n != m_bands || n == 0)
    throw std::invalid_argument("LSH bucket: every entry needs the same number of bands");
  const std::int64_t offset = t - m_base + k_time_bias;
  if (entry_id <= 0 || entry_id >= (std::int64_t{1} << 40) || offset < 0 ||
      offset > static_cast<std::int64_t>(k_time_mask))
    throw std::out_of_range("LSH bucket: entry id or time out of range");
  const std::size_t idx = m_size;
  if ((idx & (k_chunk - 1)) == 0)
    m_chunks.push_back({std::make_unique<std::uint64_t[]>(k_chunk),
                        std::make_unique<std::uint32_t[]>(k_chunk * m_bands)});
  Chunk& c = m_chunks.back();
  c.entries[idx & (k_chunk - 1)] =
      (static_cast<std::uint64_t>(entry_id) << k_time_bits) | static_cast<std::uint64_t>(offset);
  std::copy(bands, bands + n, &c.bands[(idx & (k_chunk - 1)) * m_bands]);
  ++m_size;
  // Load factor <= 0.8: linear probing stays a few slots long (most look-ups miss, and a
  // miss reads the run up to an empty slot: ~13 slots, two cache lines).
  if ((m_used + n) * 5 > m_slots.size() * 4) {
    grow(m_used + n);
    return; // the rebuild indexed this entry too
  }
  for (std::size_t b = 0; b < n; ++b) // (overlaps the cache misses, see prefetch())
    __builtin_prefetch(&m_slots[slot_of(mix(b, bands[b]))], 1);
  for (std::size_t b = 0; b < n; ++b)
    insert_capped(idx, b);
}

void LshBucket::insert_capped(std::size_t idx, std::size_t band) {
  const std::uint32_t hash = band_of(idx, band);
  const std::uint64_t h = mix(band, hash);
  const auto tag = static_cast<std::uint32_t>(h & k_tag_mask);
  std::size_t same = 0;
  std::size_t i = slot_of(h);
  for (; m_slots[i] != 0; i = next(i)) {
    const std::uint32_t s = m_slots[i];
    if ((s & k_tag_mask) == tag && band_of((s >> k_tag_bits) - 1, band) == hash &&
        ++same >= k_max_per_key)
      return; // a band every item shares says nothing: the entry is found by its others
  }
  m_slots[i] = static_cast<std::uint32_t>(((idx + 1) << k_tag_bits) | tag);
  ++m_used;
}

void LshBucket::grow(std::size_t needed) {
  std::size_t size = std::max<std::size_t>(64, m_slots.size() + m_slots.size() / 2);
  while (needed * 5 > size * 4)
    size += size / 2;
  // The old slots go first: a rebuild from the entries needs no second table alive.
  std::vector<std::uint32_t>().swap(m_slots);
  m_slots.assign(size, 0);
  m_used = 0;
  for (std::size_t idx = 0; idx < m_size; ++idx)
    for (std::size_t b = 0; b < m_bands; ++b)
      insert_capped(idx, b);
}

} // namespace reelfeed::store
