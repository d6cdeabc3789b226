// The real server on 127.0.0.1 (port 0), its io_context on a thread, and a blocking Beast
// client in the test.
#include "serve/router.hpp"
#include "serve/serve.hpp"
#include "support/gunzip.hpp"

#include <future>
#include <thread>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

namespace reelfeed::serve {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using test::gunzip;

Timestamp at(std::int64_t s) {
  return Timestamp{std::chrono::seconds{s}};
}

std::string big_body(char fill) {
  std::string s = "<?xml version=\"1.0\"?><feed>";
  for (int i = 0; i < 4000; ++i) {
    s += "<entry><title>story ";
    s += std::to_string(i);
    s += fill;
    s += "</title></entry>";
  }
  return s + "</feed>";
}

std::shared_ptr<const Snapshot> snapshot_of(const std::string& body) {
  auto s = std::make_shared<Snapshot>();
  s->emplace("/feed.atom", std::make_shared<const Resource>(make_resource(
                               "application/atom+xml; charset=utf-8", body, at(1000))));
  s->emplace("/feed.json", std::make_shared<const Resource>(
                               make_resource("application/feed+json", "{\"items\":[]}", at(1000))));
  return s;
}

/// One client connection; requests are sent and read synchronously.
class Client {
public:
  explicit Client(std::uint16_t port) : m_socket(m_io) {
    m_socket.connect({net::ip::make_address("127.0.0.1"), port});
  }
  http::response<http::string_body>
  send(http::verb method,
       const std::string& target,
       std::vector<std::pair<http::field, std::string>> hdrs = {}) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (auto& [k, v] : hdrs) {
      req.set(k, v);
    }
    req.prepare_payload();
    http::write(m_socket, req);
    return read(method == http::verb::head);
  }
  http::response<http::string_body> read(bool head = false) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    parser.skip(head);
    http::read(m_socket, m_buffer, parser);
    return parser.release();
  }
  void write_raw(const std::string& bytes) { net::write(m_socket, net::buffer(bytes)); }
  /// True when the server closed the connection (EOF before any byte).
  bool closed_by_peer() {
    char c = 0;
    beast::error_code ec;
    const std::size_t n = m_socket.read_some(net::buffer(&c, 1), ec);
    return n == 0 && (ec == net::error::eof || ec == net::error::connection_reset);
  }

private:
  net::io_context m_io;
  tcp::socket m_socket;
  beast::flat_buffer m_buffer;
};

class ServerTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_server = std::make_unique<Server>(m_io, "127.0.0.1", 0);
    m_server->publish(snapshot_of(m_body));
    m_server->set_handler(
        "/healthz", [] { return Resource{"text/plain; charset=utf-8", "ok\n", {}, {}, {}, {}}; });
    m_thread = std::thread([this] { m_io.run(); });
  }
  void TearDown() override {
    if (m_thread.joinable()) {
      stop_and_join();
    }
  }
  /// Runs f on the io thread and waits for it.
  void on_io(std::function<void()> f) {
    std::promise<void> done;
    net::post(m_io, [&] {
      f();
      done.set_value();
    });
    done.get_future().wait();
  }
  /// stop() on the io thread, then io.run() must return on its own (no io.stop()).
  bool stop_and_join() {
    net::post(m_io, [this] { m_server->stop(); });
    auto joined = std::async(std::launch::async, [this] { m_thread.join(); });
    // A deadlock guard, not a timing assertion: stop() must let run() return at all.
    return joined.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
  }

  std::string m_body = big_body('a');
  net::io_context m_io;
  std::unique_ptr<Server> m_server;
  std::thread m_thread;
};

TEST_F(ServerTest, PortZeroPicksAFreePort) {
  EXPECT_NE(m_server->port(), 0);
}

TEST_F(ServerTest, GetReturnsTheBodyWithCachingHeaders) {
  Client c(m_server->port());
  const auto res = c.send(http::verb::get, "/feed.atom");
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res.body(), m_body);
  EXPECT_EQ(res[http::field::content_type], "application/atom+xml; charset=utf-8");
  EXPECT_EQ(res[http::field::cache_control], "public, max-age=300");
  EXPECT_EQ(res[http::field::last_modified], "Thu, 01 Jan 1970 00:16:40 GMT");
  EXPECT_EQ(res[http::field::vary], "Accept-Encoding");
  EXPECT_FALSE(res[http::field::etag].empty());
  EXPECT_TRUE(parse_http_date({res[http::field::date].data(), res[http::field::date].size()}));
  EXPECT_TRUE(res.keep_alive());
  // Keep-alive: the same connection serves a second request.
  EXPECT_EQ(c.send(http::verb::get, "/feed.json").body(), "{\"items\":[]}");
}

TEST_F(ServerTest, IfNoneMatchGives304) {
  Client c(m_server->port());
  const std::string etag{c.send(http::verb::get, "/feed.atom")[http::field::etag]};
  const auto res = c.send(http::verb::get, "/feed.atom", {{http::field::if_none_match, etag}});
  EXPECT_EQ(res.result(), http::status::not_modified);
  EXPECT_TRUE(res.body().empty());
  EXPECT_EQ(res[http::field::etag], etag);
  const auto ims = c.send(http::verb::get, "/feed.atom",
                          {{http::field::if_modified_since, "Thu, 01 Jan 1970 00:16:40 GMT"}});
  EXPECT_EQ(ims.result(), http::status::not_modified);
}

TEST_F(ServerTest, GzipWhenAsked) {
  Client c(m_server->port());
  const auto res = c.send(http::verb::get, "/feed.atom", {{http::field::accept_encoding, "gzip"}});
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_encoding], "gzip");
  EXPECT_LT(res.body().size(), m_body.size() / 4);
  EXPECT_EQ(gunzip(res.body()), m_body);
}

TEST_F(ServerTest, HeadSendsHeadersOnly) {
  Client c(m_server->port());
  const auto res = c.send(http::verb::head, "/feed.atom");
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_length], std::to_string(m_body.size()));
  EXPECT_TRUE(res.body().empty());
  // No stray body bytes: the next response on the connection parses cleanly.
  EXPECT_EQ(c.send(http::verb::get, "/healthz").body(), "ok\n");
}

TEST_F(ServerTest, UnknownPathAndOtherMethods) {
  Client c(m_server->port());
  EXPECT_EQ(c.send(http::verb::get, "/etc/passwd").result(), http::status::not_found);
  const auto post = c.send(http::verb::post, "/feed.atom");
  EXPECT_EQ(post.result(), http::status::method_not_allowed);
  EXPECT_EQ(post[http::field::allow], "GET, HEAD");
  EXPECT_EQ(c.send(http::verb::delete_, "/feed.atom").result(), http::status::method_not_allowed);
}

TEST_F(ServerTest, PublishedSnapshotIsVisibleToTheNextRequest) {
  Client c(m_server->port());
  const auto before = c.send(http::verb::get, "/feed.atom");
  const std::string other = big_body('b');
  on_io([&] { m_server->publish(snapshot_of(other)); });
  const auto after = c.send(http::verb::get, "/feed.atom");
  EXPECT_EQ(after.body(), other);
  EXPECT_NE(after[http::field::etag], before[http::field::etag]);
  // The old tag no longer validates.
  const auto cond = c.send(http::verb::get, "/feed.atom",
                           {{http::field::if_none_match, std::string(before[http::field::etag])}});
  EXPECT_EQ(cond.result(), http::status::ok);
}

TEST_F(ServerTest, OversizedHeaderIsRejectedAndClosed) {
  Client c(m_server->port());
  const auto res =
      c.send(http::verb::get, "/feed.atom", {{http::field::cookie, std::string(20000, 'x')}});
  EXPECT_EQ(res.result(), http::status::request_header_fields_too_large);
  EXPECT_FALSE(res.keep_alive());
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, RequestBodyOverTheLimitIsRejected) {
  Client c(m_server->port());
  c.write_raw("POST /feed.atom HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
  const auto res = c.read();
  EXPECT_EQ(res.result(), http::status::payload_too_large);
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, MalformedRequestGets400) {
  Client c(m_server->port());
  c.write_raw("GET /feed.atom HTTP/1.1\r\nHost x\r\n\r\n");
  EXPECT_EQ(c.read().result(), http::status::bad_request);
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  Client c(m_server->port());
  const auto res = c.send(http::verb::get, "/healthz", {{http::field::connection, "close"}});
  EXPECT_EQ(res.body(), "ok\n");
  EXPECT_TRUE(c.closed_by_peer());
}

TEST_F(ServerTest, StopClosesIdleConnectionsAndRunReturns) {
  Client idle(m_server->port());
  EXPECT_EQ(idle.send(http::verb::get, "/healthz").result(), http::status::ok);
  Client fresh(m_server->port()); // accepted, no request yet
  ASSERT_TRUE(stop_and_join());
  EXPECT_TRUE(idle.closed_by_peer());
  EXPECT_TRUE(fresh.closed_by_peer());
  // The listening socket is gone.
  net::io_context io;
  tcp::socket s(io);
  beast::error_code ec;
  s.connect({net::ip::make_address("127.0.0.1"), m_server->port()}, ec);
  EXPECT_TRUE(ec);
}

TEST_F(ServerTest, ManyConcurrentClientsGetWholeBodies) {
  std::vector<std::future<int>> clients;
  for (int i = 0; i < 16; ++i) {
    clients.push_back(std::async(std::launch::async, [this, i] {
      Client c(m_server->port());
      int good = 0;
      for (int r = 0; r < 10; ++r) {
        if ((i + r) % 2 == 0) {
          good += c.send(http::verb::get, "/feed.atom").body() == m_body ? 1 : 0;
        } else {
          const auto res =
              c.send(http::verb::get, "/feed.atom", {{http::field::accept_encoding, "gzip"}});
          good += gunzip(res.body()) == m_body ? 1 : 0;
        }
      }
      return good;
    }));
  }
  for (auto& f : clients) {
    EXPECT_EQ(f.get(), 10);
  }
}

TEST_F(ServerTest, StopDoesNotWaitForAStalledReader) {
  // Far more than the loopback socket buffers hold, so the write cannot finish while the
  // client reads nothing.
  auto snap = std::make_shared<Snapshot>();
  snap->emplace("/big", std::make_shared<const Resource>(
                            make_resource("text/plain", std::string(64 << 20, 'z'), at(1))));
  on_io([&] { m_server->publish(std::move(snap)); });
  Client stalled(m_server->port());
  stalled.write_raw("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  Client idle(m_server->port());
  EXPECT_EQ(idle.send(http::verb::get, "/healthz").result(), http::status::ok);
  ASSERT_TRUE(stop_and_join());
  EXPECT_TRUE(idle.closed_by_peer());
}

TEST(Server, BindFailureThrows) {
  net::io_context io;
  Server first(io, "127.0.0.1", 0);
  try {
    Server second(io, "127.0.0.1", first.port());
    ADD_FAILURE() << "a second server bound port " << first.port();
  } catch (const boost::system::system_error& e) {
    // Asio alone says "bind: Address already in use": the address is named.
    EXPECT_EQ(std::string(e.what()).rfind(
                  "cannot listen on 127.0.0.1:" + std::to_string(first.port()) + ": ", 0),
              0u)
        << e.what();
  }
  EXPECT_THROW(Server(io, "256.0.0.1.invalid", 0), boost::system::system_error);
}

TEST(Server, DestroyedBeforeRunIsClean) {
  net::io_context io;
  { Server s(io, "127.0.0.1", 0); }
  io.run(); // returns: nothing left to do
  SUCCEED();
}

} // namespace
} // namespace reelfeed::serve
