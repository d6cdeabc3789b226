#pragma once
// URL helpers backed by libcurl's URL API (no hand-rolled parsing of untrusted URLs).

#include <optional>
#include <string>

namespace reelfeed::fetch {

/// Lower-case scheme ("http", "file"...), empty when the URL does not parse.
[[nodiscard]] std::string url_scheme(const std::string& url);

/// The key concurrency limits are counted on: "host:port" (lower-cased, default port
/// filled in), "file:" for local files, the URL itself when it does not parse.
[[nodiscard]] std::string host_key(const std::string& url);

/// Resolves `location` (absolute or relative) against `base`; nullopt when it cannot.
[[nodiscard]] std::optional<std::string> resolve_url(const std::string& base,
                                                     const std::string& location);

} // namespace reelfeed::fetch
