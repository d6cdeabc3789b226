#include "support/http_server.hpp"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

namespace reelfeed::test {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) {
    return {};
  }
  const auto e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

const char* reason(int status) {
  switch (status) {
  case 200:
    return "OK";
  case 204:
    return "No Content";
  case 301:
    return "Moved Permanently";
  case 302:
    return "Found";
  case 303:
    return "See Other";
  case 304:
    return "Not Modified";
  case 307:
    return "Temporary Redirect";
  case 308:
    return "Permanent Redirect";
  case 404:
    return "Not Found";
  case 410:
    return "Gone";
  case 429:
    return "Too Many Requests";
  case 500:
    return "Internal Server Error";
  case 503:
    return "Service Unavailable";
  default:
    return "Status";
  }
}

bool has_header(const HttpReply& r, const std::string& name) {
  return std::any_of(r.headers.begin(), r.headers.end(),
                     [&](const auto& h) { return lower(h.first) == name; });
}

// Parses the head of one request ("GET /x HTTP/1.1\r\nName: v\r\n...\r\n\r\n").
HttpRequest parse_head(const std::string& head) {
  HttpRequest req;
  std::istringstream in(head);
  std::string line;
  std::getline(in, line);
  std::istringstream first(line);
  first >> req.method >> req.target;
  while (std::getline(in, line)) {
    line = trim(line);
    if (line.empty()) {
      break;
    }
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      req.headers[lower(line.substr(0, colon))] = trim(line.substr(colon + 1));
    }
  }
  return req;
}

} // namespace

// One accepted connection: its socket and a timer for drip/delay, both closed on shutdown.
struct Connection {
  explicit Connection(asio::io_context& io) : socket(io), timer(io) {}
  tcp::socket socket;
  asio::steady_timer timer;
};

class HttpServer::Impl {
public:
  Impl(Handler handler, const std::string& address)
      : m_acceptor(m_io), m_handler(std::move(handler)) {
    const tcp::endpoint ep(asio::ip::make_address(address), 0);
    m_acceptor.open(ep.protocol());
    m_acceptor.set_option(tcp::acceptor::reuse_address(true));
    m_acceptor.bind(ep);
    m_acceptor.listen();
    m_port = m_acceptor.local_endpoint().port();
    asio::co_spawn(m_io, accept_loop(), asio::detached);
    m_thread = std::thread([this] { m_io.run(); });
  }

  ~Impl() {
    // Close everything on the server thread; every coroutine then finishes on its own
    // (its pending operation fails with operation_aborted) and run() returns.
    asio::post(m_io, [this] {
      m_stopping = true;
      error_code ec;
      m_acceptor.close(ec);
      for (const auto& c : m_live) {
        c->timer.cancel();
        c->socket.shutdown(tcp::socket::shutdown_both, ec);
        c->socket.close(ec);
      }
    });
    m_thread.join();
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  [[nodiscard]] std::uint16_t port() const { return m_port; }

  std::vector<HttpRequest> requests() const {
    const std::lock_guard lock(m_mutex);
    return m_requests;
  }
  int max_concurrent() const { return m_max_active.load(); }
  int connections() const { return m_connections.load(); }

  void set_handler(Handler handler) {
    const std::lock_guard lock(m_mutex);
    m_handler = std::move(handler);
  }

private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      auto conn = std::make_shared<Connection>(m_io);
      error_code ec;
      co_await m_acceptor.async_accept(conn->socket, asio::redirect_error(asio::use_awaitable, ec));
      if (ec || m_stopping) {
        co_return;
      }
      ++m_connections;
      // Head and body go out in separate writes: without NODELAY, Nagle + delayed ACK
      // would add 40 ms to every keep-alive reply.
      conn->socket.set_option(tcp::no_delay(true), ec);
      m_live.insert(conn);
      asio::co_spawn(m_io, serve(conn), asio::detached);
    }
  }

  HttpReply call_handler(const HttpRequest& req) {
    Handler handler;
    {
      const std::lock_guard lock(m_mutex);
      m_requests.push_back(req);
      handler = m_handler;
    }
    try {
      return handler ? handler(req) : HttpReply{404, {}, "no handler\n"};
    } catch (const std::exception& e) {
      return HttpReply{500, {}, e.what()};
    }
  }

  asio::awaitable<void> serve(std::shared_ptr<Connection> conn) {
    std::string buffer;
    error_code ec;
    while (!m_stopping) {
      const std::size_t n =
          co_await asio::async_read_until(conn->socket, asio::dynamic_buffer(buffer), "\r\n\r\n",
                                          asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        break;
      }
      HttpRequest req = parse_head(buffer.substr(0, n));
      buffer.erase(0, n);
      // A body (a POST's) by its Content-Length; chunked bodies are not supported.
      const auto length = req.headers.find("content-length");
      if (length != req.headers.end()) {
        const std::size_t want = std::stoul(length->second);
        if (buffer.size() < want) {
          co_await asio::async_read(conn->socket, asio::dynamic_buffer(buffer),
                                    asio::transfer_exactly(want - buffer.size()),
                                    asio::redirect_error(asio::use_awaitable, ec));
          if (ec) {
            break;
          }
        }
        req.body = buffer.substr(0, want);
        buffer.erase(0, want);
      }
      const HttpReply reply = call_handler(req);
      const int active = ++m_active;
      int seen = m_max_active.load();
      while (active > seen && !m_max_active.compare_exchange_weak(seen, active)) {
      }
      const bool keep = co_await answer(*conn, req, reply);
      --m_active;
      if (!keep) {
        break;
      }
    }
    conn->socket.close(ec);
    m_live.erase(conn);
  }

  // Writes one reply; returns whether the connection may serve another request.
  asio::awaitable<bool> answer(Connection& conn, const HttpRequest& req, const HttpReply& reply) {
    error_code ec;
    auto tok = asio::redirect_error(asio::use_awaitable, ec);
    if (reply.delay.count() > 0) {
      conn.timer.expires_after(reply.delay);
      co_await conn.timer.async_wait(tok);
      if (m_stopping) {
        co_return false;
      }
    }
    if (reply.reset) {
      // SO_LINGER 0 turns close() into a RST.
      conn.socket.set_option(tcp::socket::linger(true, 0), ec);
      co_return false;
    }
    const bool bodyless = reply.status == 204 || reply.status == 304 || req.method == "HEAD";
    const bool close_delimited = reply.endless || reply.no_content_length;
    const auto conn_hdr = req.headers.find("connection");
    const bool keep =
        !close_delimited && !(conn_hdr != req.headers.end() && lower(conn_hdr->second) == "close");
    std::string head =
        "HTTP/1.1 " + std::to_string(reply.status) + " " + reason(reply.status) + "\r\n";
    for (const auto& [name, value] : reply.headers) {
      head += name + ": " + value + "\r\n";
    }
    if (!bodyless && !close_delimited && !has_header(reply, "content-length")) {
      head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n";
    }
    head += keep ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n";
    co_await asio::async_write(conn.socket, asio::buffer(head), tok);
    if (ec || bodyless) {
      co_return !ec && keep;
    }
    if (reply.endless) {
      const std::string chunk = reply.body.empty() ? std::string(16384, 'x') : reply.body;
      while (!ec && !m_stopping) {
        co_await asio::async_write(conn.socket, asio::buffer(chunk), tok);
      }
      co_return false;
    }
    if (reply.drip.count() > 0) {
      for (std::size_t i = 0; i < reply.body.size() && !ec && !m_stopping; ++i) {
        co_await asio::async_write(conn.socket, asio::buffer(&reply.body[i], 1), tok);
        conn.timer.expires_after(reply.drip);
        co_await conn.timer.async_wait(tok);
      }
      co_return !ec && !m_stopping && keep;
    }
    co_await asio::async_write(conn.socket, asio::buffer(reply.body), tok);
    if (!ec && !keep) {
      conn.socket.shutdown(tcp::socket::shutdown_send, ec);
    }
    co_return !ec && keep;
  }

  asio::io_context m_io;
  tcp::acceptor m_acceptor;
  std::uint16_t m_port = 0;
  std::set<std::shared_ptr<Connection>> m_live; // server thread only
  bool m_stopping = false;                      // server thread only
  std::atomic<int> m_active{0};
  std::atomic<int> m_max_active{0};
  std::atomic<int> m_connections{0};
  mutable std::mutex m_mutex; // guards m_requests and m_handler
  std::vector<HttpRequest> m_requests;
  Handler m_handler;
  std::thread m_thread;
};

HttpServer::HttpServer(Handler handler, std::string address)
    : m_impl(std::make_unique<Impl>(std::move(handler), address)), m_address(std::move(address)) {
  if (m_address.find(':') != std::string::npos) {
    m_address = "[" + m_address + "]";
  }
}
HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const {
  return m_impl->port();
}

std::string HttpServer::url(const std::string& path) const {
  const std::string p = !path.empty() && path.front() == '/' ? path.substr(1) : path;
  return "http://" + m_address + ":" + std::to_string(port()) + "/" + p;
}

std::vector<HttpRequest> HttpServer::requests() const {
  return m_impl->requests();
}
int HttpServer::max_concurrent() const {
  return m_impl->max_concurrent();
}
int HttpServer::connections() const {
  return m_impl->connections();
}
void HttpServer::set_handler(Handler handler) {
  m_impl->set_handler(std::move(handler));
}

namespace {

std::string content_type_for(const std::filesystem::path& p) {
  const std::string ext = lower(p.extension().string());
  if (ext == ".rss") {
    return "application/rss+xml; charset=utf-8";
  }
  if (ext == ".atom") {
    return "application/atom+xml; charset=utf-8";
  }
  if (ext == ".xml" || ext == ".rdf") {
    return "application/xml; charset=utf-8";
  }
  if (ext == ".json") {
    return "application/json";
  }
  if (ext == ".html" || ext == ".htm") {
    return "text/html; charset=utf-8";
  }
  if (ext == ".txt") {
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

// FNV-1a: a stable strong validator derived from the content.
std::string etag_for(const std::string& body) {
  std::uint64_t h = 1469598103934665603ull;
  for (const unsigned char c : body) {
    h = (h ^ c) * 1099511628211ull;
  }
  std::ostringstream out;
  out << '"' << std::hex << h << '-' << body.size() << '"';
  return out.str();
}

} // namespace

Handler serve_directory(std::filesystem::path root) {
  return [root = std::move(root)](const HttpRequest& req) -> HttpReply {
    std::string target = req.target.substr(0, req.target.find('?'));
    if (target.find("..") != std::string::npos) {
      return HttpReply{403, {}, "forbidden\n"};
    }
    const std::filesystem::path file = root / std::filesystem::path(target).relative_path();
    std::ifstream in(file, std::ios::binary);
    if (!std::filesystem::is_regular_file(file) || !in) {
      return HttpReply{404, {}, "not found\n"};
    }
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const std::string etag = etag_for(body);
    const auto inm = req.headers.find("if-none-match");
    if (inm != req.headers.end() && inm->second.find(etag) != std::string::npos) {
      return HttpReply{304, {{"ETag", etag}}, {}};
    }
    return HttpReply{
        200, {{"Content-Type", content_type_for(file)}, {"ETag", etag}}, std::move(body)};
  };
}

} // namespace reelfeed::test
