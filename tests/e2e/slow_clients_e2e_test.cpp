// Slow connections against the real daemon: 2,000 sockets from 127.0.0.1, each having sent
// only "GET / HTTP/1.1\r\n", reopened as soon as the daemon closes one (a slowloris that
// reconnects). A normal client on the same address must still get /feed.atom and /healthz
// every time: the daemon sheds the oldest connection that has not delivered its request,
// at its per-address limit, and also when its descriptors run out (EMFILE), and logs that
// it did. Latencies are printed for the record, never asserted.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "child.hpp"
#include "e2e_config.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

using namespace std::chrono_literals;
constexpr int k_flood = 2000;

/// Keeps `count` slow connections open to 127.0.0.1:port on its own thread, reopening each
/// one the server closes.
class Flood {
public:
  Flood(std::uint16_t port, int count) : m_port(port), m_slots(static_cast<std::size_t>(count)) {
    m_thread = std::thread([this] { run(); });
  }
  ~Flood() {
    m_stop = true;
    m_thread.join();
    for (Slot& s : m_slots) {
      if (s.fd >= 0) {
        ::close(s.fd);
      }
    }
  }
  Flood(const Flood&) = delete;
  Flood& operator=(const Flood&) = delete;

  /// Slow requests sent so far (the first round and every reconnection).
  [[nodiscard]] long sent() const { return m_sent.load(); }
  /// Connections the server closed so far.
  [[nodiscard]] long closed() const { return m_closed.load(); }

private:
  struct Slot {
    int fd = -1;
    bool connected = false;
  };

  void open(Slot& s) {
    s.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (s.fd < 0) {
      return;
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(m_port);
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s.connected = false;
    if (::connect(s.fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0 &&
        errno != EINPROGRESS) {
      drop(s);
    }
  }

  void drop(Slot& s) {
    ::close(s.fd);
    s.fd = -1;
  }

  void run() {
    static const char k_slow[] = "GET / HTTP/1.1\r\n";
    std::vector<pollfd> fds;
    std::vector<Slot*> of;
    while (!m_stop) {
      fds.clear();
      of.clear();
      for (Slot& s : m_slots) {
        if (s.fd < 0) {
          open(s);
        }
        if (s.fd >= 0) {
          fds.push_back({s.fd, static_cast<short>(s.connected ? POLLIN : POLLOUT), 0});
          of.push_back(&s);
        }
      }
      if (::poll(fds.data(), fds.size(), 50) <= 0) {
        continue;
      }
      for (std::size_t i = 0; i < fds.size(); ++i) {
        Slot& s = *of[i];
        if (fds[i].revents == 0) {
          continue;
        }
        if (!s.connected) {
          int err = 0;
          socklen_t len = sizeof err;
          getsockopt(s.fd, SOL_SOCKET, SO_ERROR, &err, &len);
          if (err != 0 || ::send(s.fd, k_slow, sizeof k_slow - 1, MSG_NOSIGNAL) < 0) {
            drop(s);
            continue;
          }
          s.connected = true;
          ++m_sent;
          continue;
        }
        char buf[256];
        if (::recv(s.fd, buf, sizeof buf, 0) <= 0) { // closed (or reset) by the server
          drop(s);
          ++m_closed;
        }
      }
    }
  }

  std::uint16_t m_port;
  std::vector<Slot> m_slots;
  std::atomic<bool> m_stop{false};
  std::atomic<long> m_sent{0};
  std::atomic<long> m_closed{0};
  std::thread m_thread;
};

/// Room for the flood's sockets in this process; false when the hard limit is too low.
bool raise_fd_limit(rlim_t want) {
  rlimit lim{};
  getrlimit(RLIMIT_NOFILE, &lim);
  if (lim.rlim_cur >= want) {
    return true;
  }
  if (lim.rlim_max < want) {
    return false;
  }
  lim.rlim_cur = want;
  return setrlimit(RLIMIT_NOFILE, &lim) == 0;
}

struct Latencies {
  std::vector<double> ms;
  void print(const char* what) {
    std::sort(ms.begin(), ms.end());
    if (!ms.empty()) {
      std::cout << "[ slow     ] " << what << ": " << ms.size() << " requests, median "
                << ms[ms.size() / 2] << " ms, max " << ms.back() << " ms\n";
    }
  }
};

/// A normal reader during the flood: every request is answered.
void read_normally(std::uint16_t port, Latencies& lat) {
  for (int i = 0; i < 20; ++i) {
    for (const char* path : {"/feed.atom", "/healthz"}) {
      const auto t0 = std::chrono::steady_clock::now();
      const HttpResponse r = http_get(port, path);
      lat.ms.push_back(
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      EXPECT_EQ(r.status, 200) << path << " request " << i;
    }
    std::this_thread::sleep_for(50ms);
  }
}

class SlowClientsE2E : public ::testing::Test {
protected:
  void SetUp() override {
    if (!raise_fd_limit(k_flood + 256)) {
      GTEST_SKIP() << "RLIMIT_NOFILE hard limit below " << k_flood + 256;
    }
    const auto cfg = m_dir.write("reelfeed.toml", make_config({}));
    m_daemon =
        std::make_unique<Daemon>(std::vector<std::string>{"run", "-c", cfg.string()}, m_dir.path());
    const auto port = m_daemon->port();
    ASSERT_TRUE(port.has_value()) << m_daemon->log();
    m_port = *port;
    ASSERT_TRUE(m_daemon->wait_log("info ready", 30s)) << m_daemon->log();
  }

  /// Waits until the flood has sent all its slow requests and the daemon shed some.
  void flood_under_way(const Flood& flood) {
    ASSERT_TRUE(eventually([&] { return flood.sent() >= k_flood && flood.closed() > 0; }, 60s))
        << "sent " << flood.sent() << ", closed " << flood.closed() << "\n"
        << m_daemon->log();
  }

  test::TempDir m_dir;
  std::unique_ptr<Daemon> m_daemon;
  std::uint16_t m_port = 0;
};

TEST_F(SlowClientsE2E, SlowConnectionsFromOneAddressDoNotLockReadersOut) {
  Latencies lat;
  {
    const Flood flood(m_port, k_flood);
    flood_under_way(flood);
    read_normally(m_port, lat);
    std::cout << "[ slow     ] flood: " << flood.sent() << " slow requests sent, " << flood.closed()
              << " connections shed by the daemon\n";
  }
  lat.print("/feed.atom and /healthz during the flood");
  EXPECT_NE(m_daemon->log().find("warn server_limit limit=per_address"), std::string::npos)
      << m_daemon->log();
  m_daemon->signal(SIGTERM);
  EXPECT_EQ(m_daemon->wait_exit(30s), 0) << m_daemon->log();
}

TEST_F(SlowClientsE2E, RunningOutOfDescriptorsShedsTheSlowOnesToo) {
#if defined(__SANITIZE_ADDRESS__)
  // UBSan's vptr check confirms a type it has not cached by writing the object's vtable
  // prefix into a pipe() (sanitizer_common's IsAccessibleMemoryRange). Out of descriptors,
  // that pipe cannot be made, so the check reports a valid object as having an invalid vptr
  // and aborts: here Boost.System's error category of the EMFILE that accept() returns
  // ("<memory cannot be printed>" for a static object). Five lines reproduce it: exhaust
  // RLIMIT_NOFILE, then make a first virtual call on a live object. Unrecoverable reports
  // ignore suppressions, and the check cannot be turned off for one translation unit
  // (inline Boost code is emitted by any of them), so this path runs in the plain build.
  GTEST_SKIP() << "UBSan's vptr check needs free descriptors; run by the plain build";
#endif
  // Fewer descriptors than the connection limits: accept() meets EMFILE first.
  const rlimit low{160, 160};
  ASSERT_EQ(prlimit(m_daemon->pid(), RLIMIT_NOFILE, &low, nullptr), 0) << std::strerror(errno);
  Latencies lat;
  {
    const Flood flood(m_port, k_flood);
    flood_under_way(flood);
    read_normally(m_port, lat);
  }
  lat.print("requests with 160 descriptors");
  EXPECT_NE(m_daemon->log().find("warn server_limit limit=descriptors"), std::string::npos)
      << m_daemon->log();
  m_daemon->signal(SIGTERM);
  EXPECT_EQ(m_daemon->wait_exit(30s), 0) << m_daemon->log();
}

} // namespace
} // namespace reelfeed::e2e
