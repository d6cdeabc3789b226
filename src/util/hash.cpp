#include "util/hash.hpp"

#include <cstdio>

#define XXH_STATIC_LINKING_ONLY // XXH3_state_t on the stack
#include <xxhash.h>

namespace reelfeed::util {

namespace {

constexpr char k_separator = '\x1f';

} // namespace

std::uint64_t xxh3_64(std::string_view bytes, std::uint64_t seed) noexcept {
  // Seed 0 is XXH3_64bits() itself (xxHash's specification).
  return XXH3_64bits_withSeed(bytes.data(), bytes.size(), seed);
}

std::uint64_t xxh3_64_fields(std::initializer_list<std::string_view> fields) noexcept {
  XXH3_state_t state; // on the stack: this runs for every item of every fetched feed
  XXH3_INITSTATE(&state);
  XXH3_64bits_reset(&state);
  for (const std::string_view f : fields) {
    XXH3_64bits_update(&state, f.data(), f.size());
    XXH3_64bits_update(&state, &k_separator, 1);
  }
  return XXH3_64bits_digest(&state);
}

std::string xxh3_128_hex(std::span<const std::string_view> fields, std::string_view tail) {
  XXH3_state_t state; // on the stack: one per fetched body
  XXH3_INITSTATE(&state);
  XXH3_128bits_reset(&state);
  for (const std::string_view f : fields) {
    XXH3_128bits_update(&state, f.data(), f.size());
    XXH3_128bits_update(&state, &k_separator, 1);
  }
  XXH3_128bits_update(&state, tail.data(), tail.size());
  const XXH128_hash_t h = XXH3_128bits_digest(&state);
  char hex[33];
  std::snprintf(hex, sizeof hex, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return std::string(hex, 32);
}

} // namespace reelfeed::util
