// Beast transport: an acceptor and one callback-driven session per connection, all on the
// io_context's single thread (so the shared state needs no locks).
#include "serve/serve.hpp"

#include "serve/router.hpp"

#include <array>
#include <chrono>
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

constexpr auto k_read_timeout = std::chrono::seconds(30);  // also the keep-alive idle limit
constexpr auto k_write_timeout = std::chrono::seconds(60); // a slow reader of a big feed
constexpr std::uint32_t k_header_limit = 8 * 1024;
constexpr std::uint64_t k_body_limit = 8 * 1024; // GET and HEAD carry no body
constexpr std::size_t k_max_sessions = 1024;
constexpr auto k_accept_backoff = std::chrono::milliseconds(100);
constexpr auto k_linger_timeout = std::chrono::seconds(5);
/// How long stop() lets responses already being written finish (a stalled reader must not
/// hold up the daemon's exit).
constexpr auto k_stop_grace = std::chrono::seconds(2);

class Session;

} // namespace

/// Everything the handlers touch; shared with sessions so it outlives a destroyed Server
/// until the last completion handler has run.
struct ServerState {
  explicit ServerState(net::io_context& io) : acceptor(io), backoff(io), grace(io) {}
  tcp::acceptor acceptor;
  net::steady_timer backoff;
  net::steady_timer grace; ///< armed by stop() while responses are still being written
  std::shared_ptr<const Snapshot> snapshot;
  Handlers handlers;
  std::unordered_set<Session*> sessions;
  bool stopped = false;

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
  Session(tcp::socket socket, std::shared_ptr<ServerState> state)
      : m_stream(std::move(socket)), m_state(std::move(state)) {
    m_state->sessions.insert(this);
  }
  ~Session() {
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

private:
  void do_read() {
    m_parser.emplace();
    m_parser->header_limit(k_header_limit);
    m_parser->body_limit(k_body_limit);
    m_stream.expires_after(k_read_timeout);
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
    m_stream.expires_after(k_write_timeout);
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
    beast::error_code ec;
    m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    m_stream.close();
  }

  beast::tcp_stream m_stream;
  std::shared_ptr<ServerState> m_state;
  beast::flat_buffer m_buffer{k_header_limit};
  std::optional<http::request_parser<http::string_body>> m_parser;
  Response m_response;
  std::shared_ptr<const void> m_keep; ///< owns what m_response's body points into
  bool m_writing = false;
  bool m_close_after_write = false;
  bool m_linger = false;
  std::array<char, 4096> m_discard{};
};

void do_accept(const std::shared_ptr<ServerState>& state) {
  state->acceptor.async_accept([state](beast::error_code ec, tcp::socket socket) {
    if (state->stopped || !state->acceptor.is_open()) {
      return;
    }
    if (ec) {
      // Out of descriptors or similar: back off instead of spinning on the same error.
      state->backoff.expires_after(k_accept_backoff);
      state->backoff.async_wait([state](beast::error_code wait_ec) {
        if (!wait_ec && !state->stopped) {
          do_accept(state);
        }
      });
      return;
    }
    if (state->sessions.size() < k_max_sessions) {
      std::make_shared<Session>(std::move(socket), state)->start();
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
  Impl(net::io_context& io, const std::string& host, std::uint16_t port)
      : m_state(std::make_shared<ServerState>(io)) {
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

Server::Server(net::io_context& io, const std::string& host, std::uint16_t port)
    : m_impl(std::make_unique<Impl>(io, host, port)) {}

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
