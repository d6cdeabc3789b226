// Beast transport: an acceptor and one callback-driven session per connection, all on the
// io_context's single thread (so the shared state needs no locks).
#include "serve/serve.hpp"

#include "serve/router.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <list>
#include <map>
#include <optional>
#include <string>
#include <unordered_set>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace reelfeed::serve {

namespace {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr std::uint32_t k_header_limit = 8 * 1024;
constexpr std::uint64_t k_body_limit = 8 * 1024; // GET and HEAD carry no body
constexpr auto k_accept_backoff = std::chrono::milliseconds(100);
constexpr auto k_linger_timeout = std::chrono::seconds(5);
/// How long stop() lets responses already being written finish (a stalled reader must not
/// hold up the daemon's exit).
constexpr auto k_stop_grace = std::chrono::seconds(2);

class Session;

} // namespace

using Clock = std::chrono::steady_clock;

/// Where a live session is in its life, for choosing whom to close when a limit is met.
enum class Phase {
  waiting, ///< for its request (a fresh or keep-alive connection), or draining after an error
  busy,    ///< a complete request is being answered
  writing, ///< its response is being written
};

/// One limit's report, rate-limited.
struct LimitCounter {
  explicit LimitCounter(const char* n) : name(n) {}
  const char* name;
  std::uint64_t shed = 0;
  std::uint64_t refused = 0;
  std::optional<Clock::time_point> last_report;
};

/// Live sessions by phase, oldest first, and per client address. A session is live from
/// accept until it closes or is shed; only live sessions count against the limits.
struct Registry {
  struct Entry {
    std::list<Session*>::iterator in_phase;
    std::list<Session*>::iterator in_peer; ///< valid while waiting
    Phase phase = Phase::waiting;
    Clock::time_point since;
    net::ip::address peer;
  };
  std::list<Session*> waiting;
  std::list<Session*> writing;
  std::list<Session*> busy;
  struct Peer {
    std::size_t live = 0;
    std::list<Session*> waiting; ///< this address's waiting sessions, oldest first
  };
  std::map<net::ip::address, Peer> peers;
  std::size_t live = 0;
};

/// Everything the handlers touch; shared with sessions so it outlives a destroyed Server
/// until the last completion handler has run.
struct ServerState {
  ServerState(net::io_context& io, Server::Limits l)
      : acceptor(io), backoff(io), grace(io), limits(l) {}
  tcp::acceptor acceptor;
  net::steady_timer backoff;
  net::steady_timer grace; ///< armed by stop() while responses are still being written
  std::shared_ptr<const Snapshot> snapshot;
  Handlers handlers;
  std::unordered_set<Session*> sessions; ///< every Session object, live or closing
  Registry registry;
  Server::Limits limits;
  std::function<void(const LimitReport&)> on_limit;
  LimitCounter connections_limit{"connections"};
  LimitCounter address_limit{"per_address"};
  LimitCounter descriptor_limit{"descriptors"};
  bool stopped = false;

  /// Counts one event of `c` and reports it, at most once per report_every.
  void note(LimitCounter& c, bool shed) {
    (shed ? c.shed : c.refused) += 1;
    const auto now = Clock::now();
    if (c.last_report && now - *c.last_report < limits.report_every) {
      return;
    }
    c.last_report = now;
    if (on_limit) {
      on_limit(LimitReport{c.name, c.shed, c.refused, registry.live});
    }
    c.shed = 0;
    c.refused = 0;
  }

  /// The Date header (RFC 9110 6.6.1: caches age responses from it), formatted once a second.
  const std::string& http_date() {
    const auto now =
        std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    if (now != m_date_second) {
      m_date_second = now;
      m_date = format_rfc1123(now);
    }
    return m_date;
  }

private:
  Timestamp m_date_second{};
  std::string m_date;
};

namespace {

class Session : public std::enable_shared_from_this<Session> {
public:
  Session(tcp::socket socket, std::shared_ptr<ServerState> state, net::ip::address peer)
      : m_stream(std::move(socket)), m_state(std::move(state)) {
    m_state->sessions.insert(this);
    Registry& r = m_state->registry;
    m_entry.emplace();
    m_entry->peer = peer;
    m_entry->phase = Phase::busy;
    m_entry->in_phase = r.busy.insert(r.busy.end(), this);
    ++r.peers[peer].live;
    ++r.live;
  }
  ~Session() {
    unregister();
    m_state->sessions.erase(this);
    if (m_state->stopped && m_state->sessions.empty()) {
      m_state->grace.cancel(); // nothing left to wait for: let io.run() return now
    }
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    // Responses go out in one write; Nagle would only delay the last segment.
    beast::error_code ec;
    m_stream.socket().set_option(tcp::no_delay(true), ec);
    do_read();
  }

  /// Called by Server::stop(): an idle connection closes now, a busy one after its write.
  void stop() {
    m_close_after_write = true;
    if (!m_writing) {
      beast::error_code ec;
      m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
      m_stream.close();
    }
  }

  /// Ends the connection now, even mid-response.
  void force_close() {
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    m_stream.close();
  }

  /// Closed to make room for a newcomer: no longer counts against any limit, and its
  /// descriptor is free at once (the object goes when its pending handler has run).
  void shed() {
    unregister();
    force_close();
  }

  /// When it entered its phase (live sessions only).
  [[nodiscard]] Clock::time_point since() const { return m_entry->since; }
  [[nodiscard]] const net::ip::address& peer() const { return m_entry->peer; }

private:
  /// Moves this live session to `phase`, as the newest there.
  void enter(Phase phase) {
    if (!m_entry) {
      return;
    }
    Registry& r = m_state->registry;
    Registry::Entry& e = *m_entry;
    list_of(e.phase).erase(e.in_phase);
    if (e.phase == Phase::waiting) {
      r.peers[e.peer].waiting.erase(e.in_peer);
    }
    e.phase = phase;
    e.since = Clock::now();
    e.in_phase = list_of(phase).insert(list_of(phase).end(), this);
    if (phase == Phase::waiting) {
      auto& mine = r.peers[e.peer].waiting;
      e.in_peer = mine.insert(mine.end(), this);
    }
  }

  void unregister() {
    if (!m_entry) {
      return;
    }
    Registry& r = m_state->registry;
    Registry::Entry& e = *m_entry;
    list_of(e.phase).erase(e.in_phase);
    const auto peer = r.peers.find(e.peer);
    if (e.phase == Phase::waiting) {
      peer->second.waiting.erase(e.in_peer);
    }
    if (--peer->second.live == 0) {
      r.peers.erase(peer);
    }
    --r.live;
    m_entry.reset();
  }

  std::list<Session*>& list_of(Phase phase) {
    Registry& r = m_state->registry;
    return phase == Phase::waiting ? r.waiting : phase == Phase::writing ? r.writing : r.busy;
  }

  void do_read() {
    m_parser.emplace();
    m_parser->header_limit(k_header_limit);
    m_parser->body_limit(k_body_limit);
    enter(Phase::waiting);
    m_stream.expires_after(m_state->limits.request_timeout);
    http::async_read(
        m_stream, m_buffer, *m_parser,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      return reply_and_close(http::status::request_header_fields_too_large);
    }
    if (ec == http::error::body_limit) {
      return reply_and_close(http::status::payload_too_large);
    }
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == net::error::operation_aborted || ec == net::error::connection_reset ||
        m_state->stopped) {
      return close();
    }
    if (ec) {
      // A malformed request: answer once, then drop the connection (framing is lost).
      return reply_and_close(http::status::bad_request);
    }
    enter(Phase::busy);
    const auto& req = m_parser->get();
    Routed routed = route(req, m_state->snapshot, m_state->handlers);
    routed.response.keep_alive(req.keep_alive());
    write(std::move(routed));
  }

  void reply_and_close(http::status status) {
    m_close_after_write = true;
    m_linger = true;
    write(Routed{error_response(status, 11), nullptr});
  }

  void write(Routed routed) {
    m_response = std::move(routed.response);
    m_keep = std::move(routed.keep);
    if (m_close_after_write) {
      m_response.keep_alive(false);
    }
    m_response.set(http::field::date, m_state->http_date());
    m_writing = true;
    enter(m_linger ? Phase::busy : Phase::writing);
    m_stream.expires_after(m_state->limits.write_timeout);
    http::async_write(
        m_stream, m_response,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
  }

  void on_write(beast::error_code ec) {
    m_writing = false;
    m_keep.reset();
    if (!ec && m_linger && !m_state->stopped) {
      return linger();
    }
    if (ec || m_close_after_write || !m_response.keep_alive() || m_state->stopped) {
      return close();
    }
    do_read();
  }

  /// After an error reply the client may still be sending (a huge header or body).
  /// Closing with unread input makes the kernel send RST, which can destroy our reply
  /// before the client reads it; so half-close and discard input until EOF or timeout.
  void linger() {
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    enter(Phase::waiting); // the first to go when room is needed
    m_stream.expires_after(k_linger_timeout);
    drain();
  }

  void drain() {
    m_stream.async_read_some(net::buffer(m_discard),
                             [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (ec || self->m_state->stopped) {
                                 return self->close();
                               }
                               self->drain();
                             });
  }

  void close() {
    unregister();
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    m_stream.close();
  }

  beast::tcp_stream m_stream;
  std::shared_ptr<ServerState> m_state;
  std::optional<Registry::Entry> m_entry; ///< empty once closed or shed
  beast::flat_buffer m_buffer{k_header_limit};
  std::optional<http::request_parser<http::string_body>> m_parser;
  Response m_response;
  std::shared_ptr<const void> m_keep; ///< owns what m_response's body points into
  bool m_writing = false;
  bool m_close_after_write = false;
  bool m_linger = false;
  std::array<char, 4096> m_discard{};
};

/// The session to close when room is needed: the one waiting longest for its request (of
/// `peer` only, when given), else the response stuck longest past slow_write. Never a
/// session that is answering a request it has just received.
Session* shed_candidate(const ServerState& state, const net::ip::address* peer) {
  const Registry& r = state.registry;
  if (peer == nullptr) {
    if (!r.waiting.empty()) {
      return r.waiting.front();
    }
  } else if (const auto it = r.peers.find(*peer);
             it != r.peers.end() && !it->second.waiting.empty()) {
    return it->second.waiting.front();
  }
  const auto slow_since = Clock::now() - state.limits.slow_write;
  for (Session* s : r.writing) { // oldest first
    if (s->since() > slow_since) {
      break;
    }
    if (peer == nullptr || s->peer() == *peer) {
      return s;
    }
  }
  return nullptr;
}

/// Makes room under one limit: sheds a candidate (true), or counts a refusal (false).
bool make_room(ServerState& state, LimitCounter& limit, const net::ip::address* peer) {
  Session* victim = shed_candidate(state, peer);
  if (victim != nullptr) {
    victim->shed();
  }
  state.note(limit, victim != nullptr);
  return victim != nullptr;
}

void do_accept(const std::shared_ptr<ServerState>& state) {
  state->acceptor.async_accept([state](beast::error_code ec, tcp::socket socket) {
    if (state->stopped || !state->acceptor.is_open()) {
      return;
    }
    if (ec) {
      if (ec == net::error::no_descriptors || ec.value() == ENFILE) {
        // Out of descriptors: the oldest waiting connection gives its one up, and the
        // connection in the kernel's queue is accepted at once.
        if (make_room(*state, state->descriptor_limit, nullptr)) {
          do_accept(state);
          return;
        }
      }
      // Nothing to shed, or another error: back off instead of spinning on it.
      state->backoff.expires_after(k_accept_backoff);
      state->backoff.async_wait([state](beast::error_code wait_ec) {
        if (!wait_ec && !state->stopped) {
          do_accept(state);
        }
      });
      return;
    }
    beast::error_code peer_ec;
    const net::ip::address peer = socket.remote_endpoint(peer_ec).address();
    if (peer_ec) {
      do_accept(state); // reset before we saw it: nothing to serve
      return;
    }
    const Server::Limits& limits = state->limits;
    Registry& r = state->registry;
    const auto mine = r.peers.find(peer);
    bool room = true;
    if (mine != r.peers.end() && mine->second.live >= limits.max_per_address) {
      room = make_room(*state, state->address_limit, &peer);
    }
    if (room && r.live >= limits.max_connections) {
      room = make_room(*state, state->connections_limit, nullptr);
    }
    if (room) {
      std::make_shared<Session>(std::move(socket), state, peer)->start();
    }
    do_accept(state);
  });
}

tcp::endpoint resolve(net::io_context& io, const std::string& host, std::uint16_t port) {
  beast::error_code ec;
  const auto addr = net::ip::make_address(host, ec);
  if (!ec) {
    return {addr, port};
  }
  tcp::resolver resolver(io);
  const auto results = resolver.resolve(host, std::to_string(port));
  return results.begin()->endpoint();
}

} // namespace

class Server::Impl {
public:
  Impl(net::io_context& io, const std::string& host, std::uint16_t port, Limits limits)
      : m_state(std::make_shared<ServerState>(io, limits)) {
    const tcp::endpoint ep = resolve(io, host, port);
    tcp::acceptor& a = m_state->acceptor;
    boost::system::error_code ec;
    a.open(ep.protocol());
    a.set_option(net::socket_base::reuse_address(true));
    // Asio's own message is "bind: Address already in use": name the address (another
    // reelfeed or web server on the same [server] listen is the usual cause).
    if (a.bind(ep, ec); ec) {
      throw boost::system::system_error(ec,
                                        "cannot listen on " + host + ":" + std::to_string(port));
    }
    a.listen(net::socket_base::max_listen_connections);
    m_port = a.local_endpoint().port();
    do_accept(m_state);
  }

  std::shared_ptr<ServerState> m_state;
  std::uint16_t m_port = 0;
};

Server::Server(net::io_context& io, const std::string& host, std::uint16_t port, Limits limits)
    : m_impl(std::make_unique<Impl>(io, host, port, limits)) {}

Server::~Server() {
  stop();
}

std::uint16_t Server::port() const {
  return m_impl->m_port;
}

void Server::publish(std::shared_ptr<const Snapshot> snapshot) {
  m_impl->m_state->snapshot = std::move(snapshot);
}

void Server::set_handler(std::string path, std::function<Resource()> handler) {
  m_impl->m_state->handlers[std::move(path)] = std::move(handler);
}

void Server::on_limit(std::function<void(const LimitReport&)> report) {
  m_impl->m_state->on_limit = std::move(report);
}

std::size_t Server::connections() const {
  return m_impl->m_state->registry.live;
}

void Server::stop() {
  ServerState& s = *m_impl->m_state;
  if (s.stopped) {
    return;
  }
  s.stopped = true;
  beast::error_code ec;
  s.acceptor.close(ec);
  s.backoff.cancel();
  // Session::stop() never destroys a session inline, so iterating a copy is enough.
  const std::vector<Session*> sessions(s.sessions.begin(), s.sessions.end());
  for (Session* session : sessions) {
    session->stop();
  }
  if (s.sessions.empty()) {
    return;
  }
  s.grace.expires_after(k_stop_grace);
  s.grace.async_wait([state = m_impl->m_state](beast::error_code wait_ec) {
    if (wait_ec) {
      return;
    }
    const std::vector<Session*> left(state->sessions.begin(), state->sessions.end());
    for (Session* session : left) {
      session->force_close();
    }
  });
}

} // namespace reelfeed::serve
