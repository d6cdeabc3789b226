#pragma once
// Polling policy, pure functions of (status, result, config, now): next due time from the
// interval and the feed's hints, jittered exponential backoff, Retry-After, 410 Gone,
// permanent-redirect migration, and "the network is down" damping. No I/O, no clock.

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>

#include "model/entry.hpp"
#include "model/fetch_result.hpp"
#include "model/source_status.hpp"

namespace reelfeed::sched {

struct Policy {
  Seconds interval{1800}; ///< the source's configured interval
  Seconds min_interval{300};
  Seconds max_interval{86400};
  Seconds backoff_base{60};
  Seconds backoff_cap{6 * 3600}; ///< backoff never exceeds this, and never stops
  int moves_needed = 3;          ///< consistent 301/308 polls before the source moves
  double jitter = 0.1;           ///< +-10% on every delay
};

/// First due time of a source never polled: spread over [now, now + interval).
[[nodiscard]] Timestamp
initial_due(const std::string& source_name, Timestamp now, const Policy& policy);

/// Applies one fetch result (and, for a 200, the parsed feed's hints) to the status:
/// counters, state, validators, effective URL, next_due. `network_down` is true when every
/// recent fetch failed at the transport level; errors are then not counted against the source.
///
/// Rules, in short: a 200/304 resets the error count and schedules
/// now + jitter(clamp(max(interval, hinted, max-age), min_interval, max_interval)); the
/// first success of a source, or one polled more than half that interval late (a restart
/// after an outage), spreads it instead: uniform in [interval/2, 3*interval/2), so sources
/// polled together do not stay together.
/// A failure schedules now + jitter(clamp(backoff_base * 2^(errors-1), min_interval,
/// backoff_cap)) and keeps doing so forever (state backing_off, never disabled). A Retry-After
/// (429/503) is honoured when longer than that, up to max(max_interval, backoff_cap).
/// 410 -> state gone: last_error says so and next_due is a year away (the app must not poll
/// gone sources; changing the URL in the config resets it). A chain of 301/308 to the same
/// target on `moves_needed` successful polls in a row -> effective_url = target, state moved.
/// With `network_down`, a transport error does not count against the source.
void apply_result(SourceStatus& status,
                  const FetchResult& result,
                  const PollHints* hints,
                  Timestamp now,
                  const Policy& policy,
                  bool network_down,
                  std::mt19937_64& rng);

/// The backoff delay before jitter for the n-th consecutive failure (n >= 1).
[[nodiscard]] Seconds backoff_delay(int failures, const Policy& policy);

/// The permanent-move target a result shows: where its leading run of 301/308 hops ends,
/// empty when the first hop is not permanent (or there is none).
[[nodiscard]] std::string permanent_target(const FetchResult& result);

/// Host of a URL as Retry-After holds are keyed ("example.com:443"); empty for file: URLs.
[[nodiscard]] std::string host_of(const std::string& url);

/// The registrable domain of a URL's host by the Public Suffix List ("a.tumblr.com" and
/// "b.tumblr.com" -> "tumblr.com", "x.blogspot.com" stays itself); host_of() for an IP
/// address, a host the list cannot place, or a file: URL (empty). `psl` is a psl_ctx_t.
[[nodiscard]] std::string domain_of(const std::string& url, const void* psl);

/// Retry-After holds wider than one source (`[poll] retry_after_scope = "host"` or "domain").
/// The app notes every result, and defers any source whose host (or registrable domain) is
/// held. No clock: `now` is passed in.
class HostHolds {
public:
  /// by_domain: holds are per registrable domain (one operator's many hosts, as *.tumblr.com
  /// share a rate limit), else per host.
  explicit HostHolds(bool by_domain = false);
  ~HostHolds();
  HostHolds(HostHolds&&) noexcept;
  HostHolds& operator=(HostHolds&&) noexcept;

  /// Records a 429/503 Retry-After of `result` (fetched from `url`) against its host.
  void note(const std::string& url, const FetchResult& result, Timestamp now, const Policy& policy);
  /// `due`, or the end of the host's hold when that is later.
  [[nodiscard]] Timestamp defer(const std::string& url, Timestamp due) const;
  /// The hold of a key: host_of() or domain_of() a URL, as the scope says.
  [[nodiscard]] std::optional<Timestamp> held_until(const std::string& key) const;
  /// Forgets holds that ended before `now`.
  void prune(Timestamp now);

private:
  [[nodiscard]] std::string key_of(const std::string& url) const;

  std::map<std::string, Timestamp> m_until;
  struct PslFree {
    void operator()(void* psl) const;
  };
  std::unique_ptr<void, PslFree> m_psl; ///< the list, loaded once, when holds are by domain
};

} // namespace reelfeed::sched
