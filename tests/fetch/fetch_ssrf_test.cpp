// Redirects into internal networks (server-side request forgery) through real sockets.
//
// Every server here is on loopback, so no source can really be public: the tests that need
// one serve the source from 127.0.0.2 and classify that one address as public through
// Limits::classify_for_tests (a test-only seam the config cannot reach). Everything else,
// 127.0.0.1 included, keeps its real class. Targets outside loopback (10.0.0.1,
// 169.254.169.254, ...) are refused before any connection is tried, so nothing leaves the
// machine.

#include "fetch/fetch.hpp"
#include "fetch_test_util.hpp"
#include "support/http_server.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace reelfeed::fetch::test {
namespace {

using reelfeed::test::HttpReply;
using reelfeed::test::HttpRequest;
using reelfeed::test::HttpServer;

constexpr const char* k_public_stand_in = "127.0.0.2";

Limits public_source_limits() {
  Limits l = quick_limits();
  l.classify_for_tests = [](const IpAddress& a) {
    return to_string(a) == k_public_stand_in ? AddressClass::public_address : classify(a);
  };
  return l;
}

HttpReply redirect(int status, const std::string& location) {
  return HttpReply{status, {{"Location", location}}, "moved"};
}

HttpReply secret(const HttpRequest&) {
  return HttpReply{200, {{"Content-Type", "application/rss+xml"}}, "internal secret"};
}

TEST(FetcherSsrf, APublicSourceCannotRedirectToLoopbackInAnySpelling) {
  HttpServer internal(secret);
  const std::string port = std::to_string(internal.port());
  HttpServer internal6(secret, "::1");
  const std::string port6 = std::to_string(internal6.port());
  const std::vector<std::string> targets = {
      "http://127.0.0.1:" + port + "/admin",
      "http://0x7f000001:" + port + "/admin",
      "http://2130706433:" + port + "/admin",
      "http://0177.0.0.1:" + port + "/admin",
      "http://127.1:" + port + "/admin",
      "http://127.0.0.1.:" + port + "/admin",
      "http://[::ffff:127.0.0.1]:" + port + "/admin",
      "http://[::1]:" + port6 + "/admin",
      "http://localhost:" + port + "/admin", // a name: judged by the address it resolves to
  };
  for (const std::string& target : targets) {
    for (const int status : {301, 302, 307}) {
      HttpServer origin([&](const HttpRequest&) { return redirect(status, target); },
                        k_public_stand_in);
      const FetchResult r = fetch_one(origin.url("/feed"), public_source_limits());
      EXPECT_EQ(r.outcome, FetchOutcome::bad_redirect) << status << " " << target;
      EXPECT_TRUE(r.body.empty()) << target;
      EXPECT_NE(r.error.find("(loopback)"), std::string::npos) << r.error;
      EXPECT_NE(r.error.find("allow_private_redirects"), std::string::npos) << r.error;
      ASSERT_EQ(r.redirects.size(), 1U) << target;
    }
  }
  EXPECT_TRUE(internal.requests().empty()) << internal.requests().front().target;
  EXPECT_TRUE(internal6.requests().empty());
}

TEST(FetcherSsrf, APublicSourceCannotRedirectToPrivateLinkLocalOrUnspecifiedAddresses) {
  HttpServer internal(secret);
  const std::string port = std::to_string(internal.port());
  const std::vector<std::pair<std::string, std::string>> targets = {
      {"http://10.0.0.1/", "(private)"},
      {"http://0x0a000001/", "(private)"},
      {"http://192.168.0.1:8080/", "(private)"},
      {"http://[fd12:3456::1]/", "(private)"},
      {"http://[::ffff:10.0.0.1]/", "(private)"},
      {"http://169.254.169.254/latest/meta-data/", "(link-local)"},
      {"http://2852039166/latest/meta-data/", "(link-local)"},
      {"http://[fe80::1]/", "(link-local)"},
      {"http://0.0.0.0:" + port + "/admin", "(unspecified)"}, // connects to this machine
      {"http://0:" + port + "/admin", "(unspecified)"},
  };
  for (const auto& [target, cls] : targets) {
    HttpServer origin([&](const HttpRequest&) { return redirect(302, target); }, k_public_stand_in);
    const FetchResult r = fetch_one(origin.url("/feed"), public_source_limits());
    EXPECT_EQ(r.outcome, FetchOutcome::bad_redirect) << target;
    EXPECT_NE(r.error.find(cls), std::string::npos) << r.error;
    EXPECT_NE(r.error.find("from a public source"), std::string::npos) << r.error;
  }
  EXPECT_TRUE(internal.requests().empty());
}

TEST(FetcherSsrf, TheRuleHoldsAfterAPublicHop) {
  HttpServer internal(secret);
  HttpServer second([&](const HttpRequest&) { return redirect(302, internal.url("/admin")); },
                    k_public_stand_in);
  HttpServer origin([&](const HttpRequest&) { return redirect(301, second.url("/next")); },
                    k_public_stand_in);
  const FetchResult r = fetch_one(origin.url("/feed"), public_source_limits());
  EXPECT_EQ(r.outcome, FetchOutcome::bad_redirect) << r.error;
  EXPECT_EQ(r.redirects.size(), 2U);
  EXPECT_EQ(second.requests().size(), 1U); // public to public is followed
  EXPECT_TRUE(internal.requests().empty());
}

TEST(FetcherSsrf, AReusedConnectionToAnInternalHostIsRefusedToo) {
  // A loopback source is fetched first: its connection to localhost stays in the shared
  // cache, so the redirect below would reuse it without opening a socket.
  HttpServer internal([](const HttpRequest& req) {
    return HttpReply{200, {{"Content-Type", "application/rss+xml"}}, "at " + req.target};
  });
  const std::string local = "http://localhost:" + std::to_string(internal.port());
  HttpServer origin([&](const HttpRequest&) { return redirect(302, local + "/admin"); },
                    k_public_stand_in);
  boost::asio::io_context io;
  Fetcher fetcher(io, public_source_limits());
  std::vector<FetchResult> results;
  const auto run = [&](const std::string& url) {
    fetcher.fetch(Request{url, {}}, [&](FetchResult r) { results.push_back(std::move(r)); });
    io.restart(); // the loop ran out of work after the previous fetch
    const auto before = results.size();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (results.size() == before && std::chrono::steady_clock::now() < deadline) {
      io.run_one_for(std::chrono::milliseconds(100));
    }
  };
  run(local + "/feed");
  run(origin.url("/feed"));
  ASSERT_EQ(results.size(), 2U);
  EXPECT_EQ(results[0].outcome, FetchOutcome::ok) << results[0].error; // the user's own choice
  EXPECT_EQ(results[1].outcome, FetchOutcome::bad_redirect) << results[1].error;
  EXPECT_NE(results[1].error.find("(loopback)"), std::string::npos) << results[1].error;
  ASSERT_EQ(internal.requests().size(), 1U);
  EXPECT_EQ(internal.requests()[0].target, "/feed");
  EXPECT_EQ(internal.connections(), 1); // the connection was there to reuse
}

TEST(FetcherSsrf, ALoopbackSourceMayRedirectWithinLoopbackButNotElsewhere) {
  HttpServer target([](const HttpRequest&) { return HttpReply{200, {}, "local feed"}; });
  HttpServer origin([&](const HttpRequest& req) {
    if (req.target == "/unspecified") {
      return redirect(301, "http://0.0.0.0:" + std::to_string(target.port()) + "/feed");
    }
    if (req.target == "/lan") {
      return redirect(301, "http://10.0.0.1/feed");
    }
    return redirect(301, "http://localhost:" + std::to_string(target.port()) + "/feed");
  });
  const FetchResult local = fetch_one(origin.url("/local"));
  EXPECT_EQ(local.outcome, FetchOutcome::ok) << local.error;
  EXPECT_EQ(local.body, "local feed");
  for (const std::string path : {"/unspecified", "/lan"}) {
    const FetchResult r = fetch_one(origin.url(path));
    EXPECT_EQ(r.outcome, FetchOutcome::bad_redirect) << path;
    EXPECT_NE(r.error.find("from a loopback source"), std::string::npos) << r.error;
  }
  EXPECT_EQ(target.requests().size(), 1U);
}

TEST(FetcherSsrf, AllowPrivateRedirectsLiftsTheRule) {
  HttpServer internal(secret);
  HttpServer origin([&](const HttpRequest&) { return redirect(302, internal.url("/feed")); },
                    k_public_stand_in);
  Limits limits = public_source_limits();
  limits.allow_private_redirects = true;
  const FetchResult r = fetch_one(origin.url("/feed"), limits);
  EXPECT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  EXPECT_EQ(r.body, "internal secret");
  EXPECT_EQ(internal.requests().size(), 1U);
}

} // namespace
} // namespace reelfeed::fetch::test
