#pragma once
// Per-source polling state: computed by sched/, persisted by store/, printed by
// `reelfeed status` and exported as metrics.

#include <cstdint>
#include <optional>
#include <string>

#include "model/fetch_result.hpp"
#include "model/time.hpp"

namespace reelfeed {

enum class SourceState { ok, backing_off, gone, moved, disabled };
const char* to_string(SourceState s);

struct SourceStatus {
  std::string name;          ///< the source's name in the config (its key)
  std::string url;           ///< URL from the config
  std::string effective_url; ///< URL actually polled (differs after a permanent move)
  SourceState state = SourceState::ok;
  std::optional<Timestamp> last_attempt;
  std::optional<Timestamp> last_success;
  long last_status = 0;
  std::uint64_t last_bytes = 0;
  int error_count = 0; ///< consecutive failures
  std::string last_error;
  Timestamp next_due{}; ///< when to poll next
  Validators validators;
  /// Permanent-redirect tracking: target seen and how many polls in a row saw it.
  std::string pending_move_to;
  int pending_move_count = 0;
  int parse_warnings = 0; ///< problems recovered in the last parsed body
  /// Poll interval the feed itself last asked for (max of RSS ttl, sy:updatePeriod), 0 = none.
  /// Kept so that polls answered 304 (not parsed) still honour it. Set by sched/.
  Seconds hinted_interval{0};
  /// Digest of the last body that was parsed and stored (hex, empty = none). A 200 whose
  /// body has the same digest carries nothing new, so it skips parsing and ingest.
  std::string body_digest;
};

/// The URL to poll: the moved-to URL after a permanent redirect, else the config's.
[[nodiscard]] const std::string& poll_url(const SourceStatus& status);

} // namespace reelfeed
