// Concurrency: per-host and global limits, connection reuse, isolation of slow sources.

#include "fetch/fetch.hpp"
#include "fetch_test_util.hpp"
#include "support/http_server.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace reelfeed::fetch::test {
namespace {

using reelfeed::test::HttpReply;
using reelfeed::test::HttpRequest;
using reelfeed::test::HttpServer;

std::vector<Request> many(const HttpServer& server, int n) {
  std::vector<Request> reqs;
  for (int i = 0; i < n; ++i) {
    reqs.push_back(Request{server.url("/f" + std::to_string(i)), {}});
  }
  return reqs;
}

TEST(FetcherLimits, PerHostLimitIsRespected) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r{200, {}, "feed"};
    r.delay = std::chrono::milliseconds(80);
    return r;
  });
  Limits limits = quick_limits();
  limits.max_per_host = 3;
  const auto results = fetch_all(many(server, 12), limits);
  for (const FetchResult& r : results) {
    EXPECT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  }
  EXPECT_EQ(server.requests().size(), 12U);
  EXPECT_LE(server.max_concurrent(), 3);
  EXPECT_GE(server.max_concurrent(), 2); // and the limit is actually used
}

TEST(FetcherLimits, GlobalLimitIsRespected) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r{200, {}, "feed"};
    r.delay = std::chrono::milliseconds(80);
    return r;
  });
  Limits limits = quick_limits();
  limits.max_per_host = 100;
  limits.max_concurrent = 2;
  const auto results = fetch_all(many(server, 8), limits);
  EXPECT_EQ(results.size(), 8U);
  EXPECT_LE(server.max_concurrent(), 2);
}

TEST(FetcherLimits, AFullHostDoesNotBlockOtherHosts) {
  HttpServer busy([](const HttpRequest&) {
    HttpReply r{200, {}, "busy"};
    r.delay = std::chrono::milliseconds(300);
    return r;
  });
  HttpServer quick([](const HttpRequest&) { return HttpReply{200, {}, "quick"}; });
  Limits limits = quick_limits();
  limits.max_per_host = 1;
  std::vector<Request> reqs = many(busy, 4); // queued behind each other on one host
  reqs.push_back(Request{quick.url("/q"), {}});
  std::vector<std::size_t> order;
  const auto results = fetch_all(reqs, limits, &order);
  ASSERT_EQ(order.size(), 5U);
  EXPECT_EQ(order.front(), 4U); // the other host's fetch finished first
}

TEST(FetcherLimits, OneFailingSourceDoesNotBlockOthers) {
  HttpServer bad([](const HttpRequest& req) {
    HttpReply r{200, {}, std::string(100000, 'x')};
    if (req.target == "/drip") {
      r.drip = std::chrono::milliseconds(50);
    } else {
      r.reset = true;
    }
    return r;
  });
  HttpServer good([](const HttpRequest&) { return HttpReply{200, {}, "fine"}; });
  Limits limits = quick_limits();
  limits.timeout = std::chrono::seconds(3);
  std::vector<Request> reqs{{bad.url("/drip"), {}}, {bad.url("/reset"), {}}};
  for (int i = 0; i < 5; ++i) {
    reqs.push_back(Request{good.url("/g" + std::to_string(i)), {}});
  }
  std::vector<std::size_t> order;
  const auto results = fetch_all(reqs, limits, &order);
  ASSERT_EQ(results.size(), 7U);
  int ok = 0;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (order[i] >= 2) {
      EXPECT_EQ(results[i].outcome, FetchOutcome::ok);
      ++ok;
    } else {
      EXPECT_EQ(results[i].outcome, FetchOutcome::network_error);
    }
  }
  EXPECT_EQ(ok, 5);
  // Every good source completes before the drip, which waits for its timeout. (Whether the
  // reset finishes before or after the drip is not the point, and varies with load.)
  const auto drip_pos = std::find(order.begin(), order.end(), 0U) - order.begin();
  for (std::size_t i = 0; i < order.size(); ++i) {
    if (order[i] >= 2) {
      EXPECT_LT(static_cast<std::ptrdiff_t>(i), drip_pos) << "good source " << order[i];
    }
  }
}

TEST(FetcherLimits, ReusesConnections) {
  HttpServer server([](const HttpRequest&) { return HttpReply{200, {}, "feed"}; });
  boost::asio::io_context io;
  Fetcher fetcher(io, quick_limits());
  int done = 0;
  std::function<void(FetchResult)> next = [&](FetchResult r) {
    EXPECT_EQ(r.outcome, FetchOutcome::ok);
    if (++done < 5) {
      fetcher.fetch(Request{server.url("/again"), {}}, next);
    }
  };
  fetcher.fetch(Request{server.url("/first"), {}}, next);
  while (done < 5 && io.run_one_for(std::chrono::seconds(5)) > 0) {
  }
  EXPECT_EQ(done, 5);
  EXPECT_EQ(server.requests().size(), 5U);
  EXPECT_EQ(server.connections(), 1); // one keep-alive connection for all five
}

} // namespace
} // namespace reelfeed::fetch::test
