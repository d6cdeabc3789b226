#include "sched/sched.hpp"

#include "util/ascii.hpp"
#include <arpa/inet.h>
#include <libpsl.h>

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace reelfeed::sched {

namespace {

constexpr Seconds k_gone_recheck{365LL * 24 * 3600};

// FNV-1a: stable across runs and platforms, unlike std::hash, so a source keeps its slot.
std::uint64_t stable_hash(const std::string& s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const unsigned char c : s) {
    h = (h ^ c) * 1099511628211ULL;
  }
  return h;
}

Seconds jittered(Seconds d, double jitter, std::mt19937_64& rng) {
  if (jitter <= 0 || d.count() <= 0) {
    return d;
  }
  std::uniform_real_distribution<double> dist(1.0 - jitter, 1.0 + jitter);
  return Seconds{static_cast<long long>(static_cast<double>(d.count()) * dist(rng))};
}

/// A source without a rhythm yet is placed anywhere in [interval/2, 3*interval/2).
constexpr double k_spread = 0.5;

Seconds
healthy_interval(const SourceStatus& status, const FetchResult& result, const Policy& policy) {
  Seconds d = policy.interval;
  d = std::max(d, status.hinted_interval);
  if (result.max_age) {
    d = std::max(d, *result.max_age);
  }
  return std::clamp(d, policy.min_interval, std::max(policy.min_interval, policy.max_interval));
}

void track_move(SourceStatus& status, const FetchResult& result, const Policy& policy) {
  const std::string target = permanent_target(result);
  if (target.empty()) {
    status.pending_move_to.clear();
    status.pending_move_count = 0;
    return;
  }
  if (target == status.pending_move_to) {
    ++status.pending_move_count;
  } else {
    status.pending_move_to = target;
    status.pending_move_count = 1;
  }
  if (status.pending_move_count >= std::max(1, policy.moves_needed)) {
    status.effective_url = target;
    status.state = SourceState::moved;
    status.pending_move_to.clear();
    status.pending_move_count = 0;
  }
}

void on_success(SourceStatus& status,
                const FetchResult& result,
                const PollHints* hints,
                Timestamp now,
                const Policy& policy,
                std::mt19937_64& rng) {
  const bool previous_success = status.last_success.has_value();
  const Timestamp previous_due = status.next_due;
  status.last_success = now;
  status.error_count = 0;
  status.last_error.clear();
  status.validators = result.validators;
  if (hints != nullptr) {
    status.hinted_interval =
        std::max(hints->ttl.value_or(Seconds{0}), hints->update_period.value_or(Seconds{0}));
  }
  const bool was_moved = !status.effective_url.empty() && status.effective_url != status.url;
  status.state = was_moved ? SourceState::moved : SourceState::ok;
  track_move(status, result, policy);
  const Seconds interval = healthy_interval(status, result, policy);
  // Jitter alone keeps whatever spread the sources had: a first start (or the end of a
  // long outage) polls them all within a minute, and +-10% would leave them bunched into
  // a few minutes of every interval. A source without a rhythm yet takes a uniform offset
  // in [interval/2, 3*interval/2), so a set of sources settles to interval/n apart, on
  // average still one interval between polls.
  const bool rhythm_lost = !previous_success || now - previous_due > interval / 2;
  const Seconds delay = jittered(interval, rhythm_lost ? k_spread : policy.jitter, rng);
  // Never outside the configured bounds.
  const Seconds hi = std::max(policy.min_interval, policy.max_interval);
  status.next_due = now + std::clamp(delay, policy.min_interval, hi);
}

void on_failure(SourceStatus& status,
                const FetchResult& result,
                Timestamp now,
                const Policy& policy,
                bool network_down,
                std::mt19937_64& rng) {
  status.last_error = result.error.empty() ? std::string(to_string(result.outcome)) : result.error;
  if (result.outcome == FetchOutcome::http_error && result.status == 410) {
    status.state = SourceState::gone;
    status.last_error = "410 Gone: the publisher removed this feed; polling stopped (change or "
                        "remove the source in the config)";
    status.next_due = now + k_gone_recheck;
    return;
  }
  const bool transport = result.outcome == FetchOutcome::network_error;
  if (!(network_down && transport)) {
    ++status.error_count;
  } else {
    status.last_error = "network down: " + status.last_error;
  }
  if (status.error_count > 0) {
    status.state = SourceState::backing_off;
  }
  Seconds delay =
      std::min(jittered(backoff_delay(std::max(1, status.error_count), policy), policy.jitter, rng),
               std::max(policy.backoff_cap, policy.min_interval));
  if (result.retry_after && (result.status == 429 || result.status == 503)) {
    // The publisher's word beats our own guess when it asks for longer.
    const Seconds ceiling = std::max(policy.max_interval, policy.backoff_cap);
    delay = std::max(delay, std::min(*result.retry_after, ceiling));
  }
  status.next_due = now + delay;
}

} // namespace

Timestamp initial_due(const std::string& source_name, Timestamp now, const Policy& policy) {
  const long long span = std::max<long long>(1, policy.interval.count());
  return now + Seconds{static_cast<long long>(stable_hash(source_name) %
                                              static_cast<std::uint64_t>(span))};
}

Seconds backoff_delay(int failures, const Policy& policy) {
  const int n = std::clamp(failures, 1, 40);
  Seconds d = policy.backoff_base;
  for (int i = 1; i < n && d < policy.backoff_cap; ++i) {
    d *= 2;
  }
  return std::clamp(d, std::min(policy.min_interval, policy.backoff_cap), policy.backoff_cap);
}

std::string permanent_target(const FetchResult& result) {
  std::string target;
  for (const Redirect& r : result.redirects) {
    if (r.status != 301 && r.status != 308) {
      break;
    }
    target = r.to;
  }
  return target;
}

void apply_result(SourceStatus& status,
                  const FetchResult& result,
                  const PollHints* hints,
                  Timestamp now,
                  const Policy& policy,
                  bool network_down,
                  std::mt19937_64& rng) {
  status.last_attempt = now;
  status.last_status = result.status;
  status.last_bytes = result.bytes;
  if (result.outcome == FetchOutcome::ok || result.outcome == FetchOutcome::not_modified) {
    on_success(status, result, hints, now, policy, rng);
  } else {
    on_failure(status, result, now, policy, network_down, rng);
  }
}

std::string host_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return {};
  }
  const std::string scheme = util::ascii_lower(url.substr(0, scheme_end));
  if (scheme != "http" && scheme != "https") {
    return {};
  }
  std::string authority =
      url.substr(scheme_end + 3, url.find_first_of("/?#", scheme_end + 3) - (scheme_end + 3));
  if (const auto at = authority.rfind('@'); at != std::string::npos) {
    authority.erase(0, at + 1);
  }
  authority = util::ascii_lower(authority);
  const auto close = authority.rfind(']');
  const auto colon = authority.rfind(':');
  if (colon == std::string::npos || (close != std::string::npos && colon < close)) {
    authority += scheme == "https" ? ":443" : ":80";
  }
  return authority;
}

std::string domain_of(const std::string& url, const void* psl) {
  std::string host = host_of(url);
  const auto colon = host.rfind(':');
  if (host.empty() || host.front() == '[' || colon == std::string::npos) {
    return host;
  }
  const std::string name = host.substr(0, colon);
  if (in_addr ip{}; ::inet_pton(AF_INET, name.c_str(), &ip) == 1) {
    return host; // libpsl would read "127.0.0.1" as a name under the suffix "1"
  }
  const char* domain =
      psl != nullptr ? psl_registrable_domain(static_cast<const psl_ctx_t*>(psl), name.c_str())
                     : nullptr;
  return domain != nullptr ? std::string(domain) : host; // IPs and bare suffixes: the host
}

HostHolds::HostHolds(bool by_domain) {
  if (by_domain) {
    // The system's list (Debian's publicsuffix package) when newer than the built-in one.
    const psl_ctx_t* psl = psl_latest(nullptr);
    m_psl.reset(const_cast<psl_ctx_t*>(psl != nullptr ? psl : psl_builtin()));
  }
}
HostHolds::~HostHolds() = default;
HostHolds::HostHolds(HostHolds&&) noexcept = default;
HostHolds& HostHolds::operator=(HostHolds&&) noexcept = default;

void HostHolds::PslFree::operator()(void* psl) const {
  if (psl != psl_builtin()) { // the built-in list is static
    psl_free(static_cast<psl_ctx_t*>(psl));
  }
}

std::string HostHolds::key_of(const std::string& url) const {
  return m_psl ? domain_of(url, m_psl.get()) : host_of(url);
}

void HostHolds::note(const std::string& url,
                     const FetchResult& result,
                     Timestamp now,
                     const Policy& policy) {
  if (!result.retry_after || (result.status != 429 && result.status != 503)) {
    return;
  }
  const std::string host = key_of(url);
  if (host.empty()) {
    return;
  }
  const Seconds ceiling = std::max(policy.max_interval, policy.backoff_cap);
  const Timestamp until = now + std::min(*result.retry_after, ceiling);
  auto [it, inserted] = m_until.emplace(host, until);
  if (!inserted) {
    it->second = std::max(it->second, until);
  }
}

Timestamp HostHolds::defer(const std::string& url, Timestamp due) const {
  const auto held = held_until(key_of(url));
  return held ? std::max(due, *held) : due;
}

std::optional<Timestamp> HostHolds::held_until(const std::string& host) const {
  const auto it = m_until.find(host);
  if (it == m_until.end()) {
    return std::nullopt;
  }
  return it->second;
}

void HostHolds::prune(Timestamp now) {
  std::erase_if(m_until, [now](const auto& kv) { return kv.second < now; });
}

} // namespace reelfeed::sched
