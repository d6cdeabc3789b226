// Servers that misbehave: slow drips, resets, endless and huge bodies, compression bombs,
// and the HTTP statuses the scheduler acts on (410, 429/503 with Retry-After).

#include "fetch/fetch.hpp"
#include "fetch_test_util.hpp"
#include "support/http_server.hpp"

#include <gtest/gtest.h>

namespace reelfeed::fetch::test {
namespace {

using reelfeed::test::HttpReply;
using reelfeed::test::HttpRequest;
using reelfeed::test::HttpServer;

TEST(FetcherMisbehaviour, DropsASlowDrip) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r{200, {}, std::string(1000, 'x')};
    r.drip = std::chrono::milliseconds(100); // 10 bytes/s
    return r;
  });
  Limits limits = quick_limits();
  limits.low_speed_bytes = 200;
  limits.low_speed_time = std::chrono::seconds(1);
  const FetchResult r = fetch_one(server.url("/slow"), limits);
  EXPECT_EQ(r.outcome, FetchOutcome::network_error);
  EXPECT_NE(r.error.find("too slow"), std::string::npos) << r.error;
  EXPECT_TRUE(r.body.empty());
}

TEST(FetcherMisbehaviour, TotalTimeoutCutsADripThatStaysAboveTheLowSpeedLimit) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r{200, {}, std::string(10000, 'x')};
    r.drip = std::chrono::milliseconds(5);
    return r;
  });
  Limits limits = quick_limits();
  limits.timeout = std::chrono::seconds(1);
  const FetchResult r = fetch_one(server.url("/slow"), limits);
  EXPECT_EQ(r.outcome, FetchOutcome::network_error);
  EXPECT_NE(r.error.find("timed out"), std::string::npos) << r.error;
}

TEST(FetcherMisbehaviour, ConnectionResetIsANetworkError) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r;
    r.reset = true;
    return r;
  });
  const FetchResult r = fetch_one(server.url("/feed"));
  EXPECT_EQ(r.outcome, FetchOutcome::network_error);
  EXPECT_EQ(r.status, 0);
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(server.requests().size(), 1U);
}

TEST(FetcherMisbehaviour, ConnectionRefusedIsANetworkError) {
  std::string url;
  {
    HttpServer gone([](const HttpRequest&) { return HttpReply{}; });
    url = gone.url("/feed");
  } // the port is closed now
  const FetchResult r = fetch_one(url);
  EXPECT_EQ(r.outcome, FetchOutcome::network_error);
}

TEST(FetcherMisbehaviour, EndlessBodyIsCutAtTheCap) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r{200, {}, std::string(65536, 'e')};
    r.endless = true;
    return r;
  });
  Limits limits = quick_limits();
  limits.max_body_bytes = 1 << 20;
  const FetchResult r = fetch_one(server.url("/endless"), limits);
  EXPECT_EQ(r.outcome, FetchOutcome::too_large);
  EXPECT_TRUE(r.body.empty());
  EXPECT_LT(r.bytes, 4U << 20); // stopped near the cap, not after the test's timeout
}

TEST(FetcherMisbehaviour, EndlessErrorAndRedirectBodiesAreCutButKeepTheirStatus) {
  HttpServer server([](const HttpRequest& req) {
    HttpReply r{req.target == "/missing" ? 404 : 301, {}, std::string(65536, 'e')};
    if (req.target == "/moved") {
      r.headers.emplace_back("Location", "/missing");
    }
    r.endless = true;
    return r;
  });
  Limits limits = quick_limits();
  limits.max_body_bytes = 1 << 20;
  const FetchResult r = fetch_one(server.url("/moved"), limits);
  EXPECT_EQ(r.outcome, FetchOutcome::http_error) << r.error;
  EXPECT_EQ(r.status, 404);
  ASSERT_EQ(r.redirects.size(), 1U);
  EXPECT_EQ(r.effective_url, server.url("/missing"));
}

TEST(FetcherMisbehaviour, FiftyMegabyteBodyOverTheCapIsRefusedFromItsContentLength) {
  const std::string body(50U << 20, 'b');
  HttpServer server([&](const HttpRequest&) { return HttpReply{200, {}, body}; });
  const FetchResult r = fetch_one(server.url("/big")); // default cap: 16 MiB
  EXPECT_EQ(r.outcome, FetchOutcome::too_large);
  EXPECT_LT(r.bytes, 1U << 20); // aborted at the headers
}

TEST(FetcherMisbehaviour, FiftyMegabyteBodyWithoutLengthIsCutAtTheCap) {
  const std::string body(50U << 20, 'b');
  HttpServer server([&](const HttpRequest&) {
    HttpReply r{200, {}, body};
    r.no_content_length = true;
    return r;
  });
  const FetchResult r = fetch_one(server.url("/big"));
  EXPECT_EQ(r.outcome, FetchOutcome::too_large);
  EXPECT_LT(r.bytes, 20U << 20);
}

TEST(FetcherMisbehaviour, FiftyMegabyteBodyUnderARaisedCapArrivesWhole) {
  const std::string body(50U << 20, 'b');
  HttpServer server([&](const HttpRequest&) { return HttpReply{200, {}, body}; });
  Limits limits = quick_limits();
  limits.max_body_bytes = 64U << 20;
  const FetchResult r = fetch_one(server.url("/big"), limits);
  ASSERT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  EXPECT_EQ(r.body.size(), body.size());
}

TEST(FetcherMisbehaviour, CompressionBombIsCutEarly) {
  // 128 MiB of zeros in ~128 KiB (level 1 builds it quickly; the ratio is what matters).
  const std::string bomb = gzip(std::string(128U << 20, '\0'), 1);
  HttpServer server([&](const HttpRequest&) {
    return HttpReply{200, {{"Content-Encoding", "gzip"}}, bomb};
  });
  Limits limits = quick_limits();
  limits.max_body_bytes = 4U << 20;
  const FetchResult r = fetch_one(server.url("/bomb"), limits);
  EXPECT_EQ(r.outcome, FetchOutcome::too_large);
  EXPECT_TRUE(r.body.empty());
  EXPECT_LT(bomb.size(), 1U << 20);
  EXPECT_LT(r.bytes, bomb.size() / 4); // inflating stopped at the cap, long before the end
}

TEST(FetcherMisbehaviour, GoneIsAnHttpErrorWith410) {
  HttpServer server([](const HttpRequest&) { return HttpReply{410, {}, "gone"}; });
  const FetchResult r = fetch_one(server.url("/feed"));
  EXPECT_EQ(r.outcome, FetchOutcome::http_error);
  EXPECT_EQ(r.status, 410);
  EXPECT_TRUE(r.body.empty());
}

TEST(FetcherMisbehaviour, TooManyRequestsCarriesRetryAfterSeconds) {
  HttpServer server([](const HttpRequest&) {
    return HttpReply{429, {{"Retry-After", "120"}}, "slow down"};
  });
  const FetchResult r = fetch_one(server.url("/feed"));
  EXPECT_EQ(r.outcome, FetchOutcome::http_error);
  EXPECT_EQ(r.status, 429);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_EQ(*r.retry_after, Seconds{120});
}

TEST(FetcherMisbehaviour, UnavailableCarriesRetryAfterHttpDateRelativeToDate) {
  // Relative to the server's own Date header, so the test needs no clock at all.
  HttpServer server([](const HttpRequest&) {
    return HttpReply{503,
                     {{"Date", "Wed, 21 Oct 2015 07:28:00 GMT"},
                      {"Retry-After", "Wed, 21 Oct 2015 07:58:00 GMT"}},
                     "maintenance"};
  });
  const FetchResult r = fetch_one(server.url("/feed"));
  EXPECT_EQ(r.status, 503);
  ASSERT_TRUE(r.retry_after.has_value());
  EXPECT_EQ(*r.retry_after, Seconds{1800});
}

TEST(FetcherMisbehaviour, CacheHeadersBecomeMaxAge) {
  HttpServer server([](const HttpRequest& req) {
    if (req.target == "/cc") {
      return HttpReply{200, {{"Cache-Control", "public, max-age=900"}}, "x"};
    }
    return HttpReply{
        200,
        {{"Date", "Wed, 21 Oct 2015 07:00:00 GMT"}, {"Expires", "Wed, 21 Oct 2015 09:00:00 GMT"}},
        "x"};
  });
  EXPECT_EQ(fetch_one(server.url("/cc")).max_age, Seconds{900});
  EXPECT_EQ(fetch_one(server.url("/expires")).max_age, Seconds{7200});
}

} // namespace
} // namespace reelfeed::fetch::test
