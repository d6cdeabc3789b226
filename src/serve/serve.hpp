#pragma once
// The HTTP server (Boost.Beast) for the output feeds. Serves immutable snapshots of
// pre-rendered bodies (plain and gzip) with ETag / If-None-Match -> 304 and
// Last-Modified; runs entirely on the io_context's thread.
//
// Behaviour: GET and HEAD only (405 with Allow otherwise), 404 for unknown paths (a target
// with a query is looked up whole first, then without its query: a snapshot may hold
// pre-rendered pages such as "/?before=42"; any other query is ignored), 503 with
// Retry-After for them until the first publish(); snapshot resources get Cache-Control
// "public, max-age=300", Vary: Accept-Encoding, the gzip body when Accept-Encoding admits
// gzip, and Access-Control-Allow-Origin: * (public feeds, read by web-based readers too);
// handler resources get "no-cache"; every reply has X-Content-Type-Options: nosniff.
// If-None-Match (weak comparison, "*") wins over If-Modified-Since. Bodies are sent from
// the snapshot without copying.
// Limits: request header 8 KiB (431), body 8 KiB (413), malformed request 400 (each then
// closes the connection); Server::Limits for the rest. Under a flood of connections that
// never send a whole request (slowloris), every limit -- the connection cap, one client
// address's share of it, the process's descriptor limit (EMFILE) -- is met by closing the
// oldest connection still waiting for its request (or a response that has been stuck
// longer than slow_write), never by refusing the newcomer: a client that sends its request
// at once is served whatever the others do, even from the attacker's own address (a reverse
// proxy, loopback).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>

#include "model/time.hpp"

namespace reelfeed::serve {

struct Resource {
  std::string content_type;
  std::string body;
  std::string gzip_body; ///< precompressed once when published
  std::string etag;      ///< strong, quoted
  std::string gzip_etag; ///< strong, quoted; the gzip representation's own tag (RFC 9110 8.8.3)
  Timestamp last_modified{};
};

/// Level 6 (zlib's default), not 9: on 100-item feeds (tests/bench/publish_bench.cpp,
/// BM_GzipLevel) 9 costs 50% more CPU per publish for 0.6% fewer bytes; 7 and 8 gain
/// less than that, while 5 and below grow the output by 5% or more.
inline constexpr int k_gzip_level = 6;

/// gzip (RFC 1952, 15 window bits, memLevel 9) of `in` at `level`: done once per publish,
/// served many times. Throws std::runtime_error if zlib fails.
[[nodiscard]] std::string gzip(const std::string& in, int level = k_gzip_level);

/// Builds a Resource: compresses the body (gzip, k_gzip_level) and derives both strong ETags
/// from the content (xxh3), so the same bytes always get the same tag across restarts.
[[nodiscard]] Resource
make_resource(std::string content_type, std::string body, Timestamp last_modified);

/// Path ("/feed.atom") -> resource; replaced whole when the published set changes. Several
/// paths may share one Resource (same bytes under the same ETags from one copy in memory);
/// a feed served at two URLs is two Resources, since its self link names each URL.
using Snapshot = std::map<std::string, std::shared_ptr<const Resource>, std::less<>>;

/// A limit the server met since its last report, and what it did about it.
struct LimitReport {
  const char* limit = "";      ///< "connections", "per_address" or "descriptors"
  std::uint64_t shed = 0;      ///< connections closed to make room
  std::uint64_t refused = 0;   ///< new connections closed: nothing could be shed
  std::size_t connections = 0; ///< open now
};

/// What the server allows each connection, and how many it keeps.
struct ServerLimits {
  /// An idle connection costs a descriptor and a few hundred bytes. Many slots keep a flood
  /// of slow connections mostly held (each closed only at its request deadline) instead of
  /// shed and reopened at once, a churn that queues a reader's connect behind the flood's.
  /// Past the process's descriptor limit the shedding on EMFILE takes over.
  std::size_t max_connections = 4096;
  /// One client address's share: a single address cannot take every slot (and so cannot
  /// make the server shed the connections of others).
  std::size_t max_per_address = 1024;
  /// To deliver a whole request (header and the <= 8 KiB body), also the keep-alive idle
  /// time. A request is a few hundred bytes sent at once; the limit only bites on clients
  /// that trickle or hold connections open.
  std::chrono::milliseconds request_timeout{5000};
  std::chrono::milliseconds write_timeout{60000}; ///< a slow reader of a big feed
  /// A response still being written after this long may be closed when a limit needs room.
  std::chrono::milliseconds slow_write{10000};
  /// At most one LimitReport per limit per this interval.
  std::chrono::milliseconds report_every{10000};
};

class Server {
public:
  using Limits = ServerLimits;

  /// Binds and listens immediately (throws boost::system::system_error on failure);
  /// port 0 picks a free port.
  Server(boost::asio::io_context& io,
         const std::string& host,
         std::uint16_t port,
         Limits limits = Limits{});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  /// Call on the io thread. Requests already being answered keep the old snapshot.
  void publish(std::shared_ptr<const Snapshot> snapshot);
  /// Dynamic endpoints (/healthz, /metrics): body generated on the io thread per request.
  void set_handler(std::string path, std::function<Resource()> handler);
  /// Called on the io thread when a limit was met (rate-limited: see Limits::report_every),
  /// so that the daemon can log it.
  void on_limit(std::function<void(const LimitReport&)> report);
  /// Connections open now (tests).
  [[nodiscard]] std::size_t connections() const;
  /// Stops accepting and closes idle connections; a response being written is finished,
  /// then its connection is closed. Idempotent. Call on the io thread, or when the
  /// io_context is not running. Once every connection is gone the server holds no work,
  /// so io_context::run() returns.
  void stop();

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reelfeed::serve
