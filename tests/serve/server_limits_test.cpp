// The server under connection floods: small Server::Limits so that a handful of sockets
// reach them. A client that sends its request at once must be served whatever the slow
// ones do -- from the same address too -- and the ones that give way are the oldest still
// waiting for their request.
#include "serve/serve.hpp"

#include <sys/socket.h>
#include <sys/time.h>

#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

namespace reelfeed::serve {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

/// A raw client socket from `local` (any of 127/8) with a 10 s receive guard, so that a
/// test that expects a close can never hang.
class Raw {
public:
  Raw(std::uint16_t port, const std::string& local = "127.0.0.1") : m_socket(m_io) {
    m_socket.open(tcp::v4());
    m_socket.bind({net::ip::make_address(local), 0});
    m_socket.connect({net::ip::make_address("127.0.0.1"), port});
    const timeval guard{10, 0};
    setsockopt(m_socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &guard, sizeof guard);
  }
  void send(const std::string& bytes) { net::write(m_socket, net::buffer(bytes)); }
  /// The first line of the response to a request completed with `rest`, or "" when the
  /// connection was closed.
  std::string finish(const std::string& rest = "Host: x\r\n\r\n") {
    boost::system::error_code ec;
    net::write(m_socket, net::buffer(rest), ec);
    if (ec) {
      return {};
    }
    std::string line;
    char c = 0;
    while (m_socket.read_some(net::buffer(&c, 1), ec) == 1 && c != '\r') {
      line += c;
    }
    return line;
  }
  /// True when the server has closed the connection (EOF or reset before any byte).
  bool closed_by_peer() {
    char c = 0;
    boost::system::error_code ec;
    const std::size_t n = m_socket.read_some(net::buffer(&c, 1), ec);
    return n == 0 && (ec == net::error::eof || ec == net::error::connection_reset);
  }

private:
  net::io_context m_io;
  tcp::socket m_socket;
};

const std::string k_slow = "GET /healthz HTTP/1.1\r\n"; // a request line, then nothing

class ServerLimitsTest : public ::testing::Test {
protected:
  /// `big`: also a 64 MB /big, for readers that stall in the middle of a response.
  void start(Server::Limits limits, bool big = false) {
    m_server = std::make_unique<Server>(m_io, "127.0.0.1", 0, limits);
    auto snap = std::make_shared<Snapshot>();
    snap->emplace("/feed.atom", std::make_shared<const Resource>(
                                    make_resource("application/atom+xml", "<feed/>", Timestamp{})));
    if (big) {
      snap->emplace("/big", std::make_shared<const Resource>(
                                make_resource("text/plain", std::string(64 << 20, 'z'), {})));
    }
    m_server->publish(std::move(snap));
    m_server->set_handler("/healthz",
                          [] { return Resource{"text/plain", "ok\n", {}, {}, {}, {}}; });
    m_server->on_limit([this](const LimitReport& r) { m_reports.push_back(r); });
    m_thread = std::thread([this] { m_io.run(); });
  }
  void TearDown() override {
    if (m_server) {
      net::post(m_io, [this] { m_server->stop(); });
      m_io.stop();
    }
    if (m_thread.joinable()) {
      m_thread.join();
    }
  }
  std::size_t connections() {
    std::promise<std::size_t> n;
    net::post(m_io, [&] { n.set_value(m_server->connections()); });
    return n.get_future().get();
  }
  /// Waits (bounded) until the server has accepted `n` connections.
  bool accepted(std::size_t n) {
    for (int i = 0; i < 500; ++i) {
      if (connections() == n) {
        return true;
      }
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  std::vector<LimitReport> reports() {
    std::promise<std::vector<LimitReport>> out;
    net::post(m_io, [&] { out.set_value(m_reports); });
    return out.get_future().get();
  }

  net::io_context m_io;
  std::unique_ptr<Server> m_server;
  std::thread m_thread;
  std::vector<LimitReport> m_reports; ///< io thread only
};

TEST_F(ServerLimitsTest, ARequestThatDoesNotArriveInTimeIsClosed) {
  Server::Limits limits;
  limits.request_timeout = 200ms;
  start(limits);
  Raw slow(m_server->port());
  slow.send(k_slow);
  EXPECT_TRUE(slow.closed_by_peer());
  // A whole request in time is answered as before.
  Raw quick(m_server->port());
  quick.send(k_slow);
  EXPECT_EQ(quick.finish(), "HTTP/1.1 200 OK");
}

TEST_F(ServerLimitsTest, AtTheCapTheOldestWaitingConnectionGivesWay) {
  Server::Limits limits;
  limits.max_connections = 8;
  start(limits);
  std::vector<std::unique_ptr<Raw>> slow;
  for (int i = 0; i < 8; ++i) {
    slow.push_back(std::make_unique<Raw>(m_server->port()));
    slow.back()->send(k_slow);
  }
  ASSERT_TRUE(accepted(8));
  Raw reader(m_server->port()); // same address as the flood
  reader.send("GET /feed.atom HTTP/1.1\r\n");
  EXPECT_EQ(reader.finish(), "HTTP/1.1 200 OK");
  EXPECT_TRUE(slow[0]->closed_by_peer()); // the oldest
  for (std::size_t i = 1; i < slow.size(); ++i) {
    EXPECT_EQ(slow[i]->finish(), "HTTP/1.1 200 OK") << i; // the others were kept
  }
  const auto r = reports();
  ASSERT_EQ(r.size(), 1U);
  EXPECT_STREQ(r[0].limit, "connections");
  EXPECT_EQ(r[0].shed, 1U);
  EXPECT_EQ(r[0].refused, 0U);
}

TEST_F(ServerLimitsTest, OneAddressCannotTakeEverySlot) {
  Server::Limits limits;
  limits.max_per_address = 4;
  start(limits);
  std::vector<std::unique_ptr<Raw>> flood;
  for (int i = 0; i < 4; ++i) {
    flood.push_back(std::make_unique<Raw>(m_server->port()));
    flood.back()->send(k_slow);
  }
  ASSERT_TRUE(accepted(4));
  // Another address is not held to the first one's share, and sheds nothing of it.
  Raw other(m_server->port(), "127.0.0.2");
  other.send(k_slow);
  ASSERT_TRUE(accepted(5));
  // A fifth connection from the flooding address makes its own oldest give way.
  Raw fifth(m_server->port());
  fifth.send(k_slow);
  EXPECT_EQ(fifth.finish(), "HTTP/1.1 200 OK");
  EXPECT_TRUE(flood[0]->closed_by_peer());
  EXPECT_EQ(other.finish(), "HTTP/1.1 200 OK");
  for (std::size_t i = 1; i < flood.size(); ++i) {
    EXPECT_EQ(flood[i]->finish(), "HTTP/1.1 200 OK") << i;
  }
  const auto r = reports();
  ASSERT_EQ(r.size(), 1U);
  EXPECT_STREQ(r[0].limit, "per_address");
}

TEST_F(ServerLimitsTest, AResponseStuckPastSlowWriteGivesWayWhenNothingWaits) {
  Server::Limits limits;
  limits.max_connections = 2;
  limits.slow_write = 100ms;
  start(limits, true);
  // Two readers that never read a 64 MB response: both stay in their write.
  Raw stalled1(m_server->port());
  stalled1.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  Raw stalled2(m_server->port());
  stalled2.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(accepted(2));
  std::this_thread::sleep_for(300ms); // past slow_write: a precondition, not an assertion
  Raw reader(m_server->port());
  reader.send(k_slow);
  EXPECT_EQ(reader.finish(), "HTTP/1.1 200 OK");
  EXPECT_EQ(connections(), 2U); // one stalled reader made room
}

TEST_F(ServerLimitsTest, ANewcomerIsRefusedOnlyWhenNothingCanGiveWay) {
  Server::Limits limits;
  limits.max_connections = 1;
  limits.slow_write = std::chrono::hours(1);
  start(limits, true);
  Raw stalled(m_server->port());
  stalled.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(accepted(1));
  std::this_thread::sleep_for(100ms); // the response is being written
  Raw late(m_server->port());
  EXPECT_TRUE(late.closed_by_peer());
  const auto r = reports();
  ASSERT_EQ(r.size(), 1U);
  EXPECT_EQ(r[0].refused, 1U);
  EXPECT_EQ(r[0].shed, 0U);
}

TEST_F(ServerLimitsTest, ReportsAreRateLimited) {
  Server::Limits limits;
  limits.max_connections = 2;
  limits.report_every = std::chrono::hours(1);
  start(limits);
  std::vector<std::unique_ptr<Raw>> flood;
  for (int i = 0; i < 12; ++i) {
    flood.push_back(std::make_unique<Raw>(m_server->port()));
    flood.back()->send(k_slow);
  }
  // Ten were shed to make room for the next; the newest two are open.
  EXPECT_EQ(flood[11]->finish(), "HTTP/1.1 200 OK");
  EXPECT_EQ(flood[10]->finish(), "HTTP/1.1 200 OK");
  for (int i = 0; i < 10; ++i) {
    EXPECT_TRUE(flood[static_cast<std::size_t>(i)]->closed_by_peer()) << i;
  }
  EXPECT_EQ(reports().size(), 1U);
}

} // namespace
} // namespace reelfeed::serve
