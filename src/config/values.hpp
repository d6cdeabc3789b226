#pragma once
// Internal to config/: parsers for the small string formats used in the config (sizes,
// listen addresses, URLs) and the key-suggestion helper. Pure functions, no TOML. A
// value that can be wrong comes back as a util::Result: the value, or the message to report.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace reelfeed::config::detail {

/// "16MB", "512KB", "1GiB", "1048576" -> bytes (KB = 1024). nullopt when malformed or zero.
[[nodiscard]] std::optional<std::uint64_t> parse_size(std::string_view s);

struct Listen {
  std::string host; ///< without brackets, e.g. "::1"
  std::uint16_t port = 0;
};
/// "127.0.0.1:8080", "[::1]:8080", "localhost:0" -> host + port; an error message otherwise.
/// Only IP literals and "localhost" are accepted: the server binds before any resolver runs.
[[nodiscard]] util::Result<Listen> parse_listen(std::string_view s);

/// True for a host that names this machine only: 127.0.0.0/8, ::1, "localhost".
[[nodiscard]] bool is_loopback(std::string_view host);

/// Validates a source URL and resolves relative file URLs ("file:samples/x.xml") against
/// `base_dir`. Returns the absolute URL, or why it is not one.
[[nodiscard]] util::Result<std::string> resolve_source_url(std::string_view url,
                                                           const std::filesystem::path& base_dir);

/// Validates an http(s) URL used as the public base URL; strips a trailing '/'.
[[nodiscard]] util::Result<std::string> check_base_url(std::string_view url);

/// A source's utc_offset: "+09:00", "-05:30", "+0900", "+9", "UTC", "Z" -> minutes east of
/// UTC (at most 14 hours); why not otherwise.
[[nodiscard]] util::Result<int> parse_utc_offset(std::string_view s);

/// A source's encoding: a character set name iconv knows ("windows-1251", "Shift_JIS"...).
/// Why not otherwise.
[[nodiscard]] util::Checked check_encoding(std::string_view name);

/// The known key closest to `key` when it is a plausible typo, else empty.
[[nodiscard]] std::string_view suggest(std::string_view key,
                                       std::span<const std::string_view> known);

} // namespace reelfeed::config::detail
