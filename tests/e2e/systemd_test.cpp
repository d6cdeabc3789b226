// The daemon's systemd protocol, observed on a real notify socket (what systemd itself reads):
// READY=1 only once the server is bound and the first publish is done, WATCHDOG=1 pings at
// half of WATCHDOG_USEC, RELOADING=1 then READY=1 around a SIGHUP, STOPPING=1 on SIGTERM.

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>

#include <gtest/gtest.h>

#include "child.hpp"
#include "e2e_config.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

namespace reelfeed::e2e {
namespace {

/// A datagram socket bound at `path`, as systemd's NOTIFY_SOCKET; collects every message.
class NotifySocket {
public:
  explicit NotifySocket(const std::filesystem::path& path) : m_fd(socket(AF_UNIX, SOCK_DGRAM, 0)) {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    const std::string p = path.string();
    EXPECT_LT(p.size(), sizeof addr.sun_path);
    p.copy(addr.sun_path, sizeof addr.sun_path - 1);
    EXPECT_EQ(bind(m_fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  }
  ~NotifySocket() { close(m_fd); }
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  /// Reads whatever has arrived (non-blocking) and returns every message so far, in order.
  const std::vector<std::string>& messages() {
    char buf[4096];
    while (true) {
      const ssize_t n = recv(m_fd, buf, sizeof buf, MSG_DONTWAIT);
      if (n <= 0) {
        break;
      }
      m_messages.emplace_back(buf, static_cast<std::size_t>(n));
    }
    return m_messages;
  }
  /// Index of the first message containing `needle` at or after `from`, or -1.
  int find(const std::string& needle, int from = 0) {
    const auto& all = messages();
    for (std::size_t i = static_cast<std::size_t>(from); i < all.size(); ++i) {
      if (all[i].find(needle) != std::string::npos) {
        return static_cast<int>(i);
      }
    }
    return -1;
  }

private:
  int m_fd;
  std::vector<std::string> m_messages;
};

TEST(SystemdE2E, NotifiesReadyWatchdogReloadAndStopping) {
  test::HttpServer feeds{test::serve_directory(e2e_data() / "feeds")};
  test::TempDir dir;
  const auto config =
      dir.write("reelfeed.toml", make_config({{"Variety", feeds.url("/variety.xml")}}));
  const auto socket_path = dir.path() / "notify.sock";
  NotifySocket notify(socket_path);
  Daemon daemon({"run", "-c", config.string()}, dir.path(),
                {"NOTIFY_SOCKET=" + socket_path.string(), "WATCHDOG_USEC=400000"});
  const auto timeout = std::chrono::seconds{30};
  ASSERT_TRUE(eventually([&] { return notify.find("READY=1") >= 0; }, timeout)) << daemon.log();
  // READY comes after the first publish: the log already says so and the feed is served.
  EXPECT_NE(daemon.log().find("info published"), std::string::npos) << daemon.log();
  const auto port = daemon.port();
  ASSERT_TRUE(port);
  EXPECT_EQ(http_get(*port, "/feed.atom").status, 200);
  EXPECT_TRUE(eventually([&] { return notify.find("WATCHDOG=1") >= 0; }, timeout));

  const int before_reload = static_cast<int>(notify.messages().size());
  daemon.signal(SIGHUP);
  ASSERT_TRUE(eventually([&] { return notify.find("RELOADING=1", before_reload) >= 0; }, timeout));
  const int reloading = notify.find("RELOADING=1", before_reload);
  EXPECT_TRUE(eventually([&] { return notify.find("READY=1", reloading) > reloading; }, timeout))
      << daemon.log();

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_exit(timeout), std::optional<int>(0)) << daemon.log();
  EXPECT_GE(notify.find("STOPPING=1"), 0);
}

} // namespace
} // namespace reelfeed::e2e
