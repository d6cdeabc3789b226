// The test server itself, exercised with a blocking libcurl easy handle so that a bug in
// the Fetcher cannot hide a bug in the server (and the other way round).

#include "support/http_server.hpp"
#include "support/temp_dir.hpp"

#include <memory>
#include <string>

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace reelfeed::test {
namespace {

struct Got {
  long status = 0;
  CURLcode code = CURLE_OK;
  std::string body;
  std::string headers;
};

std::size_t append(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

Got get(const std::string& url, const std::string& header = {}) {
  Got got;
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  curl_slist* list = header.empty() ? nullptr : curl_slist_append(nullptr, header.c_str());
  curl_easy_setopt(h.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(h.get(), CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &got.body);
  curl_easy_setopt(h.get(), CURLOPT_HEADERFUNCTION, append);
  curl_easy_setopt(h.get(), CURLOPT_HEADERDATA, &got.headers);
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, 5000L);
  got.code = curl_easy_perform(h.get());
  curl_easy_getinfo(h.get(), CURLINFO_RESPONSE_CODE, &got.status);
  curl_slist_free_all(list);
  return got;
}

TEST(HttpServer, AnswersAndRecordsRequests) {
  HttpServer server([](const HttpRequest& r) {
    return HttpReply{200, {{"X-Target", r.target}}, "hello " + r.target};
  });
  const Got got = get(server.url("/a?b=1"), "X-Test: yes");
  EXPECT_EQ(got.code, CURLE_OK);
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "hello /a?b=1");
  const auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1U);
  EXPECT_EQ(reqs[0].method, "GET");
  EXPECT_EQ(reqs[0].target, "/a?b=1");
  EXPECT_EQ(reqs[0].headers.at("x-test"), "yes");
}

TEST(HttpServer, ResetGivesTransportError) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r;
    r.reset = true;
    return r;
  });
  const Got got = get(server.url("/"));
  EXPECT_NE(got.code, CURLE_OK);
  EXPECT_EQ(got.status, 0);
}

TEST(HttpServer, NoContentLengthBodyEndsAtClose) {
  HttpServer server([](const HttpRequest&) {
    HttpReply r{200, {}, "close-delimited"};
    r.no_content_length = true;
    return r;
  });
  const Got got = get(server.url("/"));
  EXPECT_EQ(got.code, CURLE_OK);
  EXPECT_EQ(got.body, "close-delimited");
  EXPECT_EQ(got.headers.find("Content-Length"), std::string::npos);
}

TEST(HttpServer, DestructorCutsEndlessAndDrippingReplies) {
  // Nobody reads these replies to the end; destroying the server must not hang.
  auto server = std::make_unique<HttpServer>([](const HttpRequest& r) {
    HttpReply reply{200, {}, std::string(100, 'd')};
    reply.endless = r.target == "/endless";
    reply.drip = r.target == "/drip" ? std::chrono::milliseconds(50) : std::chrono::milliseconds(0);
    return reply;
  });
  const std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> h(curl_easy_init(), curl_easy_cleanup);
  std::string sink;
  curl_easy_setopt(h.get(), CURLOPT_URL, server->url("/endless").c_str());
  curl_easy_setopt(h.get(), CURLOPT_WRITEFUNCTION, append);
  curl_easy_setopt(h.get(), CURLOPT_WRITEDATA, &sink);
  curl_easy_setopt(h.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(1 << 20));
  curl_easy_setopt(h.get(), CURLOPT_TIMEOUT_MS, 5000L);
  // Without Content-Length, MAXFILESIZE is enforced while receiving: the write callback
  // stops the transfer instead.
  curl_easy_setopt(
      h.get(), CURLOPT_WRITEFUNCTION,
      +[](char*, std::size_t size, std::size_t n, void* user) -> std::size_t {
        auto* s = static_cast<std::string*>(user);
        s->append(size * n, 'x');
        return s->size() > (1U << 20) ? 0 : size * n;
      });
  EXPECT_EQ(curl_easy_perform(h.get()), CURLE_WRITE_ERROR);
  EXPECT_GT(sink.size(), 1U << 20);
  server.reset();
}

TEST(HttpServer, ServeDirectoryEtagAnd304) {
  const TempDir dir;
  dir.write("feed.rss", "<rss/>");
  HttpServer server(serve_directory(dir.path()));
  const Got first = get(server.url("/feed.rss"));
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "<rss/>");
  EXPECT_NE(first.headers.find("application/rss+xml"), std::string::npos);
  const auto pos = first.headers.find("ETag: ");
  ASSERT_NE(pos, std::string::npos);
  const std::string etag = first.headers.substr(pos + 6, first.headers.find('\r', pos) - pos - 6);
  const Got second = get(server.url("/feed.rss"), "If-None-Match: " + etag);
  EXPECT_EQ(second.status, 304);
  EXPECT_TRUE(second.body.empty());
  EXPECT_EQ(get(server.url("/missing.rss")).status, 404);
  EXPECT_EQ(get(server.url("/../etc/passwd")).status, 404); // curl normalises the ..; still 404
}

} // namespace
} // namespace reelfeed::test
