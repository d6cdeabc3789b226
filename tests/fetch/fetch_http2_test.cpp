// HTTP/2: the Fetcher asks libcurl for HTTP/2 over TLS (ALPN). The in-process test server
// speaks HTTP/1.1 only, so these tests start nghttpd (Debian nghttp2-server, listed in
// .ci/install-deps) on 127.0.0.1 with a throwaway self-signed certificate made by openssl.

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "fetch/fetch.hpp"
#include "fetch_test_util.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

extern char** environ;

namespace reelfeed::fetch::test {
namespace {

const char* const k_nghttpd = "/usr/sbin/nghttpd";
const std::string k_rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>h2</title>"
                          "</channel></rss>";

/// A free TCP port on 127.0.0.1 (the kernel's pick, released for the child to bind).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    if (fd >= 0) {
      ::close(fd);
    }
    return 0;
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  const bool ok = fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  if (fd >= 0) {
    ::close(fd);
  }
  return ok;
}

/// nghttpd serving `dir()/htdocs` over TLS with a fresh self-signed certificate for
/// 127.0.0.1; killed and reaped by the destructor.
class Http2Server {
public:
  Http2Server() {
    std::filesystem::create_directories(m_dir.path() / "htdocs");
    m_dir.write("htdocs/feed.xml", k_rss);
    m_dir.write("htdocs/other.xml", k_rss + "<!-- other -->");
    const std::string key = (m_dir.path() / "key.pem").string();
    const std::string cert = (m_dir.path() / "cert.pem").string();
    const std::string openssl =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
        "-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 -keyout '" +
        key + "' -out '" + cert + "' >/dev/null 2>&1";
    if (std::system(openssl.c_str()) != 0) {
      m_error = "openssl could not make a self-signed certificate";
      return;
    }
    m_port = free_port();
    const std::string htdocs = "--htdocs=" + (m_dir.path() / "htdocs").string();
    const std::string port = std::to_string(m_port);
    std::vector<std::string> args{k_nghttpd, "--address=127.0.0.1", htdocs, port, key, cert};
    std::vector<char*> argv;
    for (std::string& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawn(&m_pid, k_nghttpd, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
      m_pid = -1;
      m_error = std::string("cannot start ") + k_nghttpd +
                " (Debian package nghttp2-server, see .ci/install-deps)";
      return;
    }
    // Waiting for a child process to listen: the one wait these tests cannot avoid.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!accepts(m_port)) {
      int status = 0;
      if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        m_error = "nghttpd exited at once";
        return;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        m_error = "nghttpd did not listen within 20 s";
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  ~Http2Server() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGTERM);
      int status = 0;
      ::waitpid(m_pid, &status, 0);
    }
  }
  Http2Server(const Http2Server&) = delete;
  Http2Server& operator=(const Http2Server&) = delete;

  [[nodiscard]] const std::string& error() const { return m_error; }
  [[nodiscard]] std::string url(const std::string& path) const {
    return "https://127.0.0.1:" + std::to_string(m_port) + path;
  }
  [[nodiscard]] std::string ca_file() const { return (m_dir.path() / "cert.pem").string(); }

private:
  reelfeed::test::TempDir m_dir;
  pid_t m_pid = -1;
  int m_port = 0;
  std::string m_error;
};

TEST(FetcherHttp2, HttpsServerOfferingH2IsFetchedOverHttp2) {
  if (::access(k_nghttpd, X_OK) != 0) {
    FAIL() << k_nghttpd << " missing: install nghttp2-server (.ci/install-deps)";
  }
  Http2Server server;
  ASSERT_TRUE(server.error().empty()) << server.error();
  Limits limits = quick_limits();
  limits.ca_file = server.ca_file();
  const std::vector<FetchResult> results = fetch_all(
      {Request{server.url("/feed.xml"), {}}, Request{server.url("/other.xml"), {}}}, limits);
  ASSERT_EQ(results.size(), 2U);
  for (const FetchResult& r : results) {
    EXPECT_EQ(r.outcome, FetchOutcome::ok) << r.error;
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.http_version, 20) << r.effective_url;
    EXPECT_EQ(r.body.rfind(k_rss, 0), 0U);
  }
}

TEST(FetcherHttp2, UntrustedCertificateIsRefused) {
  if (::access(k_nghttpd, X_OK) != 0) {
    FAIL() << k_nghttpd << " missing: install nghttp2-server (.ci/install-deps)";
  }
  Http2Server server;
  ASSERT_TRUE(server.error().empty()) << server.error();
  const FetchResult r = fetch_one(server.url("/feed.xml")); // system CAs only
  EXPECT_EQ(r.outcome, FetchOutcome::network_error);
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.error.empty());
}

TEST(FetcherHttp2, PlainHttpStaysHttp11) {
  // HTTP/2 is asked for over TLS only (no h2c upgrade attempt on plain http).
  reelfeed::test::HttpServer server([](const reelfeed::test::HttpRequest&) {
    return reelfeed::test::HttpReply{200, {{"Content-Type", "application/rss+xml"}}, k_rss};
  });
  const FetchResult r = fetch_one(server.url("/feed"));
  EXPECT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  EXPECT_EQ(r.http_version, 11);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1U);
  EXPECT_EQ(reqs[0].headers.count("upgrade"), 0U);
}

} // namespace
} // namespace reelfeed::fetch::test
