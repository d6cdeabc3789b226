#pragma once
// HTTP(S)/file fetching: libcurl's multi interface driven by an Asio io_context
// (socket + timer callbacks, no thread per transfer). Everything here runs on the
// io_context's thread; completions are posted to it, never run inline.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "fetch/address.hpp"
#include "model/fetch_result.hpp"
#include "model/time.hpp"

namespace reelfeed::fetch {

struct Limits {
  int max_concurrent = 32; ///< transfers in flight overall
  int max_per_host = 4;    ///< transfers in flight per host
  int max_redirects = 5;
  std::chrono::seconds connect_timeout{10};
  std::chrono::seconds timeout{30};           ///< total per transfer
  long low_speed_bytes = 64;                  ///< abort when slower than this ...
  std::chrono::seconds low_speed_time{20};    ///< ... for this long
  std::uint64_t max_body_bytes = 16ull << 20; ///< decompressed
  std::string user_agent;                     ///< empty = "reelfeed/VERSION (+URL)"
  /// PEM file of the CAs trusted for https (a private CA, a test's self-signed certificate);
  /// empty = the system's store.
  std::string ca_file;
  /// A hop reached through a redirect may connect to a loopback, private, link-local,
  /// unspecified or reserved address only when the source's own address is of the same
  /// class (address.hpp); `true` lifts that rule. The configured URL itself may point
  /// anywhere: that is the user's choice, not a server's.
  bool allow_private_redirects = false;
  /// Tests only, never set from the config: classifies the addresses the redirect rule
  /// sees, in place of fetch::classify. A test on loopback has no public address to serve
  /// from, so it names one of 127/8 public here.
  std::function<AddressClass(const IpAddress&)> classify_for_tests;
};

struct Request {
  std::string url;
  Validators validators; ///< sent as If-None-Match / If-Modified-Since
};

class Fetcher {
public:
  /// `clock` (kept by reference) is what a Retry-After date is measured from.
  Fetcher(boost::asio::io_context& io, Limits limits, const Clock& clock = wall_clock());
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  /// Starts a transfer (or queues it behind the concurrency limits). `done` is called
  /// exactly once on the io_context thread, also when the Fetcher is destroyed first
  /// (with network_error "cancelled").
  void fetch(Request request, std::function<void(FetchResult)> done);

  /// Cancels every queued and running transfer (shutdown).
  void cancel_all();

  [[nodiscard]] std::size_t in_flight() const;

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reelfeed::fetch
