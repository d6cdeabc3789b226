// Proxies from the environment work: libcurl reads http_proxy itself and the Fetcher must
// not switch that off. The "proxy" is the in-process server; nothing leaves loopback.

#include "fetch/fetch.hpp"
#include "fetch_test_util.hpp"
#include "support/http_server.hpp"

#include <cstdlib>
#include <optional>

#include <gtest/gtest.h>

namespace reelfeed::fetch::test {
namespace {

using reelfeed::test::HttpReply;
using reelfeed::test::HttpRequest;
using reelfeed::test::HttpServer;

// Sets an environment variable for one scope and restores the previous value.
class ScopedEnv {
public:
  ScopedEnv(const char* name, const char* value) : m_name(name) {
    if (const char* old = std::getenv(name)) {
      m_old = old;
    }
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (m_old) {
      setenv(m_name, m_old->c_str(), 1);
    } else {
      unsetenv(m_name);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
  const char* m_name;
  std::optional<std::string> m_old;
};

TEST(FetcherProxy, UsesHttpProxyFromTheEnvironment) {
  HttpServer proxy([](const HttpRequest& req) {
    return HttpReply{200, {{"Content-Type", "application/rss+xml"}}, "via proxy " + req.target};
  });
  const ScopedEnv p("http_proxy", proxy.url("").c_str());
  const ScopedEnv np1("no_proxy", nullptr);
  const ScopedEnv np2("NO_PROXY", nullptr);
  const FetchResult r = fetch_one("http://feeds.reelfeed.invalid/rss");
  ASSERT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  EXPECT_EQ(r.body, "via proxy http://feeds.reelfeed.invalid/rss");
  ASSERT_EQ(proxy.requests().size(), 1U);
  EXPECT_EQ(proxy.requests()[0].target, "http://feeds.reelfeed.invalid/rss"); // absolute form
  EXPECT_EQ(proxy.requests()[0].headers.at("host"), "feeds.reelfeed.invalid");
}

} // namespace
} // namespace reelfeed::fetch::test
