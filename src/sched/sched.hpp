#pragma once
// Polling policy, pure functions of (status, result, config, now): next due time from the
// interval and the feed's hints, jittered exponential backoff, Retry-After, 410 Gone,
// permanent-redirect migration, and "the network is down" damping. No I/O, no clock.

#include <random>
#include <string>

#include "model/entry.hpp"
#include "model/fetch_result.hpp"
#include "model/source_status.hpp"

namespace reelfeed::sched {

struct Policy {
  Seconds interval{1800};          ///< the source's configured interval
  Seconds min_interval{300};
  Seconds max_interval{86400};
  Seconds backoff_base{60};
  Seconds backoff_cap{6 * 3600};   ///< backoff never exceeds this, and never stops
  int moves_needed = 3;            ///< consistent 301/308 polls before the source moves
  double jitter = 0.1;             ///< +-10% on every delay
};

/// First due time of a source never polled: spread over [now, now + interval).
[[nodiscard]] Timestamp initial_due(const std::string& source_name, Timestamp now,
                                    const Policy& policy);

/// Applies one fetch result (and, for a 200, the parsed feed's hints) to the status:
/// counters, state, validators, effective URL, next_due. `network_down` is true when every
/// recent fetch failed at the transport level; errors are then not counted against the source.
void apply_result(SourceStatus& status, const FetchResult& result, const PollHints* hints,
                  Timestamp now, const Policy& policy, bool network_down, std::mt19937_64& rng);

} // namespace reelfeed::sched
