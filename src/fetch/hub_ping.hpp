#pragma once
// WebSub publisher side (W3C WebSub, section 5 "Publishing"): after a publish changed a
// feed, the hub is told with a form-encoded POST "hub.mode=publish&hub.url=FEED_URL", so it
// fetches the feed and pushes it to its subscribers at once.
//
// Pings run on a thread of their own with a blocking libcurl easy handle: they never hold
// the io thread (serving, polling) or the pools. A ping that fails (no connection, a
// timeout, a 5xx or 429, any non-2xx) is retried with exponential backoff; a newer ping of
// the same URL replaces a pending one (its attempts start again), so a hub that is down
// for an hour costs a handful of requests per feed, not one per publish. Each ping is
// eventually reported done or given up through the callback (on the pinger's thread).

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace reelfeed::fetch {

struct HubPingPolicy {
  std::chrono::milliseconds first_retry{std::chrono::seconds{5}}; ///< then doubled each time
  std::chrono::milliseconds max_retry{std::chrono::minutes{5}};
  int attempts = 8;                                            ///< in all, the first one included
  std::chrono::milliseconds timeout{std::chrono::seconds{15}}; ///< per request
  std::string user_agent;                                      ///< empty: reelfeed's default
};

struct HubPingEvent {
  std::string url;   ///< the feed (hub.url)
  int attempt = 0;   ///< 1-based
  long status = 0;   ///< the hub's HTTP status, 0 without a reply
  std::string error; ///< empty on success
  bool done = false; ///< no further attempt: succeeded, or given up
};

class HubPinger {
public:
  /// `hub`: the hub's URL (http or https). `on_event` is called on the pinger's thread after
  /// every attempt.
  HubPinger(std::string hub,
            HubPingPolicy policy,
            std::function<void(const HubPingEvent&)> on_event);
  /// Stops at once: a request in flight is aborted, pending pings are dropped.
  ~HubPinger();
  HubPinger(const HubPinger&) = delete;
  HubPinger& operator=(const HubPinger&) = delete;

  /// Queues a ping for each feed URL; never blocks on the network.
  void ping(const std::vector<std::string>& feed_urls);

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reelfeed::fetch
