// Fetcher against the in-process server: plain 200s, conditional GET, compression, file:.

#include "fetch/fetch.hpp"
#include "fetch_test_util.hpp"
#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace reelfeed::fetch::test {
namespace {

using reelfeed::test::HttpReply;
using reelfeed::test::HttpRequest;
using reelfeed::test::HttpServer;

const std::string k_rss = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>t</title>"
                          "</channel></rss>";

TEST(Fetcher, Fetches200WithBodyTypeAndUserAgent) {
  HttpServer server([](const HttpRequest&) {
    return HttpReply{200, {{"Content-Type", "application/rss+xml; charset=utf-8"}}, k_rss};
  });
  const FetchResult r = fetch_one(server.url("/feed"));
  EXPECT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, k_rss);
  EXPECT_EQ(r.content_type, "application/rss+xml; charset=utf-8");
  EXPECT_EQ(r.effective_url, server.url("/feed"));
  EXPECT_TRUE(r.redirects.empty());
  EXPECT_GE(r.bytes, k_rss.size());
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1U);
  EXPECT_EQ(reqs[0].headers.at("user-agent"),
            "reelfeed/0.1.0 (+https://github.com/reelfeed/reelfeed)");
  // Every encoding this libcurl can decode is offered.
  EXPECT_NE(reqs[0].headers.at("accept-encoding").find("gzip"), std::string::npos);
  EXPECT_EQ(reqs[0].headers.count("if-none-match"), 0U);
  EXPECT_NE(reqs[0].headers.at("accept").find("application/atom+xml"), std::string::npos);
}

TEST(Fetcher, ConfiguredUserAgentWins) {
  HttpServer server([](const HttpRequest&) { return HttpReply{200, {}, "x"}; });
  Limits limits = quick_limits();
  limits.user_agent = "custom/1.0";
  (void)fetch_one(server.url("/"), limits);
  EXPECT_EQ(server.requests().at(0).headers.at("user-agent"), "custom/1.0");
}

TEST(Fetcher, ConditionalGetSendsValidatorsBackAndGets304) {
  const std::string etag = "\"v1\"";
  const std::string lm = "Sat, 01 Jul 2023 10:00:00 GMT";
  HttpServer server([&](const HttpRequest& req) {
    const auto inm = req.headers.find("if-none-match");
    if (inm != req.headers.end() && inm->second == etag) {
      return HttpReply{304, {}, {}};
    }
    return HttpReply{200, {{"ETag", etag}, {"Last-Modified", lm}}, k_rss};
  });
  const FetchResult first = fetch_one(server.url("/feed"));
  ASSERT_EQ(first.outcome, FetchOutcome::ok);
  EXPECT_EQ(first.validators.etag, etag);
  EXPECT_EQ(first.validators.last_modified, lm);

  const FetchResult second = fetch_one(Request{server.url("/feed"), first.validators});
  EXPECT_EQ(second.outcome, FetchOutcome::not_modified);
  EXPECT_EQ(second.status, 304);
  EXPECT_TRUE(second.body.empty());
  // The 304 did not repeat them: the validators sent stay current.
  EXPECT_EQ(second.validators.etag, etag);
  EXPECT_EQ(second.validators.last_modified, lm);
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 2U);
  EXPECT_EQ(reqs[1].headers.at("if-none-match"), etag);
  EXPECT_EQ(reqs[1].headers.at("if-modified-since"), lm);
}

TEST(Fetcher, DecodesGzip) {
  std::string big;
  for (int i = 0; i < 2000; ++i) {
    big += "<item><title>story " + std::to_string(i) + "</title></item>\n";
  }
  const std::string packed = gzip(big);
  HttpServer server([&](const HttpRequest& req) {
    if (req.headers.count("accept-encoding") == 0 ||
        req.headers.at("accept-encoding").find("gzip") == std::string::npos) {
      return HttpReply{200, {}, big};
    }
    return HttpReply{200, {{"Content-Encoding", "gzip"}}, packed};
  });
  const FetchResult r = fetch_one(server.url("/feed"));
  ASSERT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  EXPECT_EQ(r.body, big);
  EXPECT_LT(r.bytes, big.size()); // what crossed the wire was the compressed form
}

TEST(Fetcher, HtmlInsteadOfAFeedIsAFetchSuccess) {
  HttpServer server([](const HttpRequest&) {
    return HttpReply{200,
                     {{"Content-Type", "text/html; charset=utf-8"}},
                     "<!doctype html><html><body>Subscribe!</body></html>"};
  });
  const FetchResult r = fetch_one(server.url("/feed"));
  EXPECT_EQ(r.outcome, FetchOutcome::ok);
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  EXPECT_NE(r.body.find("<html>"), std::string::npos); // parse/ decides it is no feed
}

TEST(Fetcher, ReadsFileUrls) {
  const reelfeed::test::TempDir dir;
  const auto path = dir.write("feed.xml", k_rss);
  const FetchResult r = fetch_one("file://" + path.string());
  EXPECT_EQ(r.outcome, FetchOutcome::ok) << r.error;
  EXPECT_EQ(r.body, k_rss);
  const FetchResult missing = fetch_one("file://" + (dir.path() / "nope.xml").string());
  EXPECT_EQ(missing.outcome, FetchOutcome::network_error);
  EXPECT_FALSE(missing.error.empty());
}

TEST(Fetcher, RefusesOtherSchemes) {
  const FetchResult r = fetch_one("ftp://127.0.0.1:1/feed.xml");
  EXPECT_EQ(r.outcome, FetchOutcome::network_error);
  EXPECT_FALSE(r.error.empty());
}

TEST(Fetcher, CompletesOnlyFromTheEventLoopAndOnCancel) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r{200, {}, "slow"};
    r.delay = std::chrono::milliseconds(60000);
    return r;
  });
  boost::asio::io_context io;
  std::vector<FetchResult> got;
  {
    Fetcher fetcher(io, quick_limits());
    fetcher.fetch(Request{"file:///nonexistent/reelfeed", {}},
                  [&](FetchResult r) { got.push_back(std::move(r)); });
    EXPECT_TRUE(got.empty()); // even an immediate failure is posted, not called inline
    fetcher.fetch(Request{server.url("/slow"), {}},
                  [&](FetchResult r) { got.push_back(std::move(r)); });
    EXPECT_EQ(fetcher.in_flight(), 2U);
    while (got.size() < 1) {
      io.run_one();
    }
    fetcher.cancel_all();
    EXPECT_EQ(fetcher.in_flight(), 0U);
  } // destroying the Fetcher after cancel_all is clean
  io.run();
  ASSERT_EQ(got.size(), 2U);
  EXPECT_EQ(got[1].outcome, FetchOutcome::network_error);
  EXPECT_EQ(got[1].error, "cancelled");
}

TEST(Fetcher, DestroyingTheFetcherCompletesPendingFetches) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r{200, {}, "slow"};
    r.delay = std::chrono::milliseconds(60000);
    return r;
  });
  boost::asio::io_context io;
  int cancelled = 0;
  {
    Fetcher fetcher(io, quick_limits());
    for (int i = 0; i < 3; ++i) {
      fetcher.fetch(Request{server.url("/slow"), {}},
                    [&](FetchResult r) { cancelled += r.error == "cancelled" ? 1 : 0; });
    }
    io.run_for(std::chrono::milliseconds(100)); // let them connect
  }
  io.run();
  EXPECT_EQ(cancelled, 3);
}

} // namespace
} // namespace reelfeed::fetch::test
