#pragma once
// What one fetch of one source produced. Made by fetch/, read by sched/ (next due
// time, backoff), store/ (status row, validators) and app/ (logs).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/time.hpp"

namespace reelfeed {

enum class FetchOutcome {
  ok,            ///< 2xx with a body
  not_modified,  ///< 304: no parse, no entry writes
  http_error,    ///< any other HTTP status (see status)
  network_error, ///< DNS, connect, reset, TLS, timeout, low-speed abort...
  too_large,     ///< body (decompressed) over the cap
  bad_redirect,  ///< loop, too many hops, or a non-http(s)/file target
  not_a_feed,    ///< 2xx whose body the parser rejects (an HTML page, garbage): see error
};

const char* to_string(FetchOutcome o);

struct Redirect {
  long status = 0; ///< 301, 302, 303, 307, 308
  std::string from;
  std::string to;
};

/// Conditional-GET validators stored per source and sent back on the next poll.
struct Validators {
  std::string etag;
  std::string last_modified;
};

struct FetchResult {
  FetchOutcome outcome = FetchOutcome::network_error;
  long status = 0;           ///< HTTP status, 0 when none (file:, network error)
  std::string body;          ///< decompressed bytes (ok only)
  std::string content_type;  ///< with parameters, e.g. "application/rss+xml; charset=utf-8"
  std::string effective_url; ///< after redirects
  std::vector<Redirect> redirects;
  Validators validators;              ///< from this response (empty on error)
  std::optional<Seconds> retry_after; ///< 429/503 Retry-After, relative to now
  std::optional<Seconds> max_age;     ///< Cache-Control max-age or Expires - Date
  std::string error;                  ///< human-readable, empty on success
  std::uint64_t bytes = 0;            ///< bytes received on the wire
  std::chrono::milliseconds elapsed{0};
  int http_version = 0; ///< of the last response: 10, 11, 20, 30 (HTTP/3); 0 = none (file:, error)
};

} // namespace reelfeed
