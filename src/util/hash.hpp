#pragma once
// XXH3, the one non-cryptographic hash of the project. Its values are stored (database keys,
// body digests) and sent (ETags), so they must not change: XXH3's output is fixed by its
// specification, the same on every platform, run and version of libxxhash.

#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace reelfeed::util {

/// XXH3-64 of `bytes` under `seed`.
[[nodiscard]] std::uint64_t xxh3_64(std::string_view bytes, std::uint64_t seed = 0) noexcept;

/// XXH3-64 of the fields, each followed by the byte 0x1f, so that ("ab", "c") and
/// ("a", "bc") differ.
[[nodiscard]] std::uint64_t xxh3_64_fields(std::initializer_list<std::string_view> fields) noexcept;

/// XXH3-128 in 32 lower-case hex digits (high half first) of the fields, each followed by
/// the byte 0x1f, then of `tail` as it is.
[[nodiscard]] std::string xxh3_128_hex(std::span<const std::string_view> fields,
                                       std::string_view tail);

} // namespace reelfeed::util
