// The pure request -> response rules, without sockets.
#include "serve/router.hpp"

#include <gtest/gtest.h>

namespace reelfeed::serve {
namespace {

Timestamp at(std::int64_t s) {
  return Timestamp{std::chrono::seconds{s}};
}

std::shared_ptr<const Snapshot> snapshot() {
  auto s = std::make_shared<Snapshot>();
  s->emplace("/feed.atom", std::make_shared<const Resource>(
                               make_resource("application/atom+xml; charset=utf-8",
                                             std::string(5000, 'a') + "<feed/>", at(1714564800))));
  return s;
}

http::request_header<> req(http::verb method, std::string target) {
  http::request_header<> r;
  r.method(method);
  r.target(target);
  r.version(11);
  return r;
}

std::string body(const Response& res) {
  return {res.body().data(), res.body().size()};
}

TEST(MakeResource, CompressesAndTagsByContent) {
  const Resource a = make_resource("text/plain", std::string(10000, 'x'), at(1));
  const Resource b = make_resource("text/plain", std::string(10000, 'x'), at(2));
  const Resource c = make_resource("text/plain", std::string(10000, 'y'), at(1));
  EXPECT_EQ(a.etag, b.etag);
  EXPECT_NE(a.etag, c.etag);
  EXPECT_NE(a.etag, a.gzip_etag);
  EXPECT_EQ(a.etag.front(), '"');
  EXPECT_EQ(a.etag.back(), '"');
  EXPECT_LT(a.gzip_body.size(), 200U);
  EXPECT_EQ(static_cast<unsigned char>(a.gzip_body[0]), 0x1f); // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(a.gzip_body[1]), 0x8b);
}

TEST(AcceptsGzip, ParsesCodingsAndQValues) {
  EXPECT_TRUE(accepts_gzip("gzip"));
  EXPECT_TRUE(accepts_gzip("br, GZip;q=0.5"));
  EXPECT_TRUE(accepts_gzip("*"));
  EXPECT_TRUE(accepts_gzip("x-gzip"));
  EXPECT_FALSE(accepts_gzip(""));
  EXPECT_FALSE(accepts_gzip("identity"));
  EXPECT_FALSE(accepts_gzip("gzip;q=0"));
  EXPECT_FALSE(accepts_gzip("gzip; q=0.000, br"));
  EXPECT_FALSE(accepts_gzip("gzipx"));
}

TEST(EtagMatches, UsesWeakComparison) {
  EXPECT_TRUE(etag_matches("\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("W/\"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches("\"x\", \"abc\"", "\"abc\""));
  EXPECT_TRUE(etag_matches(" * ", "\"abc\""));
  EXPECT_FALSE(etag_matches("\"abcd\"", "\"abc\""));
  EXPECT_FALSE(etag_matches("abc", "\"abc\""));
  EXPECT_FALSE(etag_matches("", "\"abc\""));
}

TEST(ParseHttpDate, ImfFixdateOnly) {
  EXPECT_EQ(parse_http_date("Wed, 01 May 2024 12:00:00 GMT"), at(1714564800));
  EXPECT_EQ(parse_http_date(format_rfc1123(at(1714564800))), at(1714564800));
  EXPECT_FALSE(parse_http_date("2024-05-01T12:00:00Z"));
  EXPECT_FALSE(parse_http_date("Wed, 01 May 2024 12:00:00 GMT junk"));
  EXPECT_FALSE(parse_http_date(""));
}

TEST(Route, APageMayBePublishedUnderItsQuery) {
  auto snap = std::make_shared<Snapshot>();
  snap->emplace("/", std::make_shared<const Resource>(make_resource("text/html", "first", at(1))));
  snap->emplace("/?before=42",
                std::make_shared<const Resource>(make_resource("text/html", "second", at(1))));
  EXPECT_EQ(body(route(req(http::verb::get, "/?before=42"), snap, {}).response), "second");
  EXPECT_EQ(body(route(req(http::verb::get, "/"), snap, {}).response), "first");
  // Any other query is ignored, as for the feeds: an unknown page is the first one.
  EXPECT_EQ(body(route(req(http::verb::get, "/?before=7"), snap, {}).response), "first");
  EXPECT_EQ(body(route(req(http::verb::get, "/?utm=x"), snap, {}).response), "first");
  EXPECT_EQ(route(req(http::verb::get, "/x?before=42"), snap, {}).response.result(),
            http::status::not_found);
}

TEST(Route, ServesSnapshotWithCachingHeaders) {
  const auto snap = snapshot();
  const Routed r = route(req(http::verb::get, "/feed.atom?utm=x"), snap, {});
  EXPECT_EQ(r.response.result(), http::status::ok);
  EXPECT_EQ(body(r.response), snap->at("/feed.atom")->body);
  EXPECT_EQ(r.response[http::field::etag], snap->at("/feed.atom")->etag);
  EXPECT_EQ(r.response[http::field::content_type], "application/atom+xml; charset=utf-8");
  EXPECT_EQ(r.response[http::field::last_modified], "Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(r.response[http::field::cache_control], "public, max-age=300");
  EXPECT_EQ(r.response[http::field::vary], "Accept-Encoding");
  EXPECT_EQ(r.response.count(http::field::content_encoding), 0U);
  EXPECT_EQ(r.response[http::field::access_control_allow_origin], "*");
  EXPECT_EQ(r.response["X-Content-Type-Options"], "nosniff");
  // The body is a view into the snapshot, which the reply keeps alive.
  EXPECT_EQ(r.response.body().data(), snap->at("/feed.atom")->body.data());
  EXPECT_EQ(r.keep, snap);
}

TEST(Route, ConditionalRequests) {
  const auto snap = snapshot();
  const Resource& res = *snap->at("/feed.atom");
  auto q = req(http::verb::get, "/feed.atom");
  q.set(http::field::if_none_match, res.etag);
  Routed r = route(q, snap, {});
  EXPECT_EQ(r.response.result(), http::status::not_modified);
  EXPECT_EQ(r.response.body().size(), 0U);
  EXPECT_EQ(r.response[http::field::etag], res.etag);

  // The plain tag does not validate the gzip representation.
  q.set(http::field::accept_encoding, "gzip");
  EXPECT_EQ(route(q, snap, {}).response.result(), http::status::ok);
  q.set(http::field::if_none_match, res.gzip_etag);
  EXPECT_EQ(route(q, snap, {}).response.result(), http::status::not_modified);

  auto ims = req(http::verb::get, "/feed.atom");
  ims.set(http::field::if_modified_since, "Wed, 01 May 2024 12:00:00 GMT");
  EXPECT_EQ(route(ims, snap, {}).response.result(), http::status::not_modified);
  ims.set(http::field::if_modified_since, "Wed, 01 May 2024 11:59:59 GMT");
  EXPECT_EQ(route(ims, snap, {}).response.result(), http::status::ok);
  // If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2).
  ims.set(http::field::if_modified_since, "Wed, 01 May 2024 12:00:00 GMT");
  ims.set(http::field::if_none_match, "\"other\"");
  EXPECT_EQ(route(ims, snap, {}).response.result(), http::status::ok);
}

TEST(Route, GzipHeadAndErrors) {
  const auto snap = snapshot();
  auto gz = req(http::verb::get, "/feed.atom");
  gz.set(http::field::accept_encoding, "gzip, deflate");
  const Routed g = route(gz, snap, {});
  EXPECT_EQ(g.response[http::field::content_encoding], "gzip");
  EXPECT_EQ(body(g.response), snap->at("/feed.atom")->gzip_body);
  EXPECT_EQ(g.response[http::field::etag], snap->at("/feed.atom")->gzip_etag);

  const Routed h = route(req(http::verb::head, "/feed.atom"), snap, {});
  EXPECT_EQ(h.response.result(), http::status::ok);
  EXPECT_EQ(h.response.body().size(), 0U);
  EXPECT_EQ(h.response[http::field::content_length],
            std::to_string(snap->at("/feed.atom")->body.size()));

  EXPECT_EQ(route(req(http::verb::get, "/nope"), snap, {}).response.result(),
            http::status::not_found);
  const Routed head404 = route(req(http::verb::head, "/nope"), snap, {});
  EXPECT_EQ(head404.response.result(), http::status::not_found);
  EXPECT_EQ(head404.response.body().size(), 0U);
  EXPECT_NE(head404.response[http::field::content_length], "0");
  // Nothing published yet: "come back", not "no such feed" (readers drop 404 feeds).
  const Routed early = route(req(http::verb::get, "/feed.atom"), nullptr, {});
  EXPECT_EQ(early.response.result(), http::status::service_unavailable);
  EXPECT_EQ(early.response[http::field::retry_after], "5");
  EXPECT_EQ(early.response[http::field::cache_control], "no-store");
  const Routed post = route(req(http::verb::post, "/feed.atom"), snap, {});
  EXPECT_EQ(post.response.result(), http::status::method_not_allowed);
  EXPECT_EQ(post.response[http::field::allow], "GET, HEAD");
  EXPECT_EQ(post.response["X-Content-Type-Options"], "nosniff");
}

TEST(Route, DynamicHandlers) {
  Handlers handlers;
  int calls = 0;
  handlers["/healthz"] = [&] {
    ++calls;
    return Resource{"text/plain", "ok " + std::to_string(calls) + "\n", {}, {}, {}, {}};
  };
  handlers["/boom"] = []() -> Resource { throw std::runtime_error("x"); };
  const Routed a = route(req(http::verb::get, "/healthz"), nullptr, handlers);
  EXPECT_EQ(body(a.response), "ok 1\n");
  EXPECT_EQ(a.response[http::field::cache_control], "no-cache");
  EXPECT_EQ(a.response.count(http::field::access_control_allow_origin), 0U);
  EXPECT_EQ(a.response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(a.response.count(http::field::vary), 0U);
  EXPECT_EQ(body(route(req(http::verb::get, "/healthz"), nullptr, handlers).response), "ok 2\n");
  EXPECT_EQ(route(req(http::verb::get, "/boom"), nullptr, handlers).response.result(),
            http::status::internal_server_error);
}

} // namespace
} // namespace reelfeed::serve
