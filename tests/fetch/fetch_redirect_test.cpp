// Redirects: chains recorded hop by hop, loops and caps, and schemes refused across hops.

#include "fetch/fetch.hpp"
#include "fetch_test_util.hpp"
#include "support/http_server.hpp"

#include <gtest/gtest.h>

namespace reelfeed::fetch::test {
namespace {

using reelfeed::test::HttpReply;
using reelfeed::test::HttpRequest;
using reelfeed::test::HttpServer;

HttpReply redirect(int status, const std::string& location) {
  return HttpReply{status, {{"Location", location}}, "moved"};
}

TEST(FetcherRedirects, FollowsAChainAndRecordsEveryHop) {
  HttpServer server([](const HttpRequest& req) {
    if (req.target == "/a") {
      return redirect(301, "/b"); // relative Location
    }
    if (req.target == "/b") {
      return redirect(302, "/c?x=1");
    }
    return HttpReply{200, {{"ETag", "\"c\""}}, "feed at " + req.target};
  });
  const FetchResult r = fetch_one(server.url("/a"));
  ASSERT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  EXPECT_EQ(r.body, "feed at /c?x=1");
  EXPECT_EQ(r.effective_url, server.url("/c?x=1"));
  ASSERT_EQ(r.redirects.size(), 2U);
  EXPECT_EQ(r.redirects[0].status, 301);
  EXPECT_EQ(r.redirects[0].from, server.url("/a"));
  EXPECT_EQ(r.redirects[0].to, server.url("/b"));
  EXPECT_EQ(r.redirects[1].status, 302);
  EXPECT_EQ(r.redirects[1].to, server.url("/c?x=1"));
  EXPECT_EQ(r.validators.etag, "\"c\"");
  ASSERT_EQ(server.requests().size(), 3U);
}

TEST(FetcherRedirects, SendsValidatorsOnEveryHop) {
  HttpServer server([](const HttpRequest& req) {
    if (req.target == "/old") {
      return redirect(308, "/new");
    }
    return HttpReply{304, {}, {}};
  });
  const FetchResult r = fetch_one(Request{server.url("/old"), {"\"v\"", ""}});
  EXPECT_EQ(r.outcome, FetchOutcome::not_modified);
  ASSERT_EQ(r.redirects.size(), 1U);
  EXPECT_EQ(r.redirects[0].status, 308);
  EXPECT_EQ(server.requests().at(1).headers.at("if-none-match"), "\"v\"");
}

TEST(FetcherRedirects, DetectsALoop) {
  HttpServer server(
      [](const HttpRequest& req) { return redirect(302, req.target == "/a" ? "/b" : "/a"); });
  const FetchResult r = fetch_one(server.url("/a"));
  EXPECT_EQ(r.outcome, FetchOutcome::bad_redirect);
  EXPECT_NE(r.error.find("loop"), std::string::npos) << r.error;
  EXPECT_EQ(server.requests().size(), 2U); // stopped as soon as /a came round again
  EXPECT_EQ(r.redirects.size(), 2U);
}

TEST(FetcherRedirects, StopsAtTheCap) {
  HttpServer server([](const HttpRequest& req) {
    const int n = std::stoi(req.target.substr(1));
    return redirect(307, "/" + std::to_string(n + 1));
  });
  Limits limits = quick_limits();
  limits.max_redirects = 3;
  const FetchResult r = fetch_one(server.url("/0"), limits);
  EXPECT_EQ(r.outcome, FetchOutcome::bad_redirect);
  EXPECT_NE(r.error.find("more than 3"), std::string::npos) << r.error;
  EXPECT_EQ(server.requests().size(), 4U); // the original and three followed hops
}

TEST(FetcherRedirects, RefusesNonHttpTargets) {
  for (const std::string target :
       {"file:///etc/passwd", "ftp://127.0.0.1/feed", "gopher://127.0.0.1/", "dict://x/"}) {
    HttpServer server([&](const HttpRequest&) { return redirect(301, target); });
    const FetchResult r = fetch_one(server.url("/feed"));
    EXPECT_EQ(r.outcome, FetchOutcome::bad_redirect) << target;
    EXPECT_TRUE(r.body.empty()) << target; // nothing of /etc/passwd leaks
    EXPECT_NE(r.error.find("refused scheme"), std::string::npos) << r.error;
    ASSERT_EQ(r.redirects.size(), 1U);
    EXPECT_EQ(r.redirects[0].to, target);
  }
}

TEST(FetcherRedirects, RedirectWithoutLocationIsAnHttpError) {
  HttpServer server([](const HttpRequest&) { return HttpReply{302, {}, "nowhere"}; });
  const FetchResult r = fetch_one(server.url("/feed"));
  EXPECT_EQ(r.outcome, FetchOutcome::http_error);
  EXPECT_EQ(r.status, 302);
}

TEST(FetcherRedirects, HopToAnotherHostRespectsThatHostsLimit) {
  HttpServer target([](const HttpRequest&) {
    HttpReply r{200, {}, "feed"};
    r.delay = std::chrono::milliseconds(100);
    return r;
  });
  HttpServer origin([&](const HttpRequest& req) { return redirect(301, target.url(req.target)); });
  Limits limits = quick_limits();
  limits.max_per_host = 2;
  std::vector<Request> reqs;
  for (int i = 0; i < 6; ++i) {
    reqs.push_back(Request{origin.url("/f" + std::to_string(i)), {}});
  }
  const auto results = fetch_all(reqs, limits);
  for (const FetchResult& r : results) {
    EXPECT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  }
  EXPECT_LE(target.max_concurrent(), 2);
  EXPECT_EQ(target.requests().size(), 6U);
}

} // namespace
} // namespace reelfeed::fetch::test
