#pragma once
// Response-header bookkeeping for one HTTP response and the pure parsers that turn
// Retry-After, Cache-Control and Expires into relative delays. No I/O; `now` is injected.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "model/time.hpp"

namespace reelfeed::fetch {

/// Header fields of the latest response of a transfer (a new status line clears them, so
/// 1xx interim responses do not leak into the final one). Names are lower-cased.
class ResponseHeaders {
public:
  /// Feeds one raw header line as libcurl's CURLOPT_HEADERFUNCTION delivers it.
  void add_line(std::string_view line);
  [[nodiscard]] const std::string* get(std::string_view lower_name) const;
  [[nodiscard]] bool empty() const { return m_fields.empty(); }

private:
  std::vector<std::pair<std::string, std::string>> m_fields;
};

/// RFC 9110 HTTP-date (IMF-fixdate, RFC 850 and asctime forms); nullopt when unparsable.
[[nodiscard]] std::optional<Timestamp> parse_http_date(std::string_view value);

/// Retry-After: delta-seconds, or an HTTP-date taken relative to the response's Date
/// header (the server's own clock, which avoids skew) or else to `now`. Never negative.
[[nodiscard]] std::optional<Seconds>
parse_retry_after(std::string_view value, const std::string* date_header, Timestamp now);

/// Freshness lifetime: Cache-Control max-age (s-maxage is for shared caches and ignored;
/// no-cache/no-store mean 0), else Expires minus Date (or `now`). nullopt when neither.
[[nodiscard]] std::optional<Seconds> parse_freshness(const std::string* cache_control,
                                                     const std::string* expires,
                                                     const std::string* date_header,
                                                     Timestamp now);

} // namespace reelfeed::fetch
