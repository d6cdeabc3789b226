// Pure header parsers: Retry-After, Cache-Control, Expires.

#include "fetch/http_headers.hpp"

#include <gtest/gtest.h>

namespace reelfeed::fetch {
namespace {

const Timestamp k_now = Timestamp{Seconds{1445412480}}; // Wed, 21 Oct 2015 07:28:00 GMT

TEST(HttpHeaders, ParsesHttpDatesInAllThreeForms) {
  EXPECT_EQ(parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT"), k_now);
  EXPECT_EQ(parse_http_date("Wednesday, 21-Oct-15 07:28:00 GMT"), k_now);
  EXPECT_EQ(parse_http_date("Wed Oct 21 07:28:00 2015"), k_now);
  EXPECT_FALSE(parse_http_date("soon").has_value());
  EXPECT_FALSE(parse_http_date("").has_value());
}

TEST(HttpHeaders, RetryAfter) {
  EXPECT_EQ(parse_retry_after("120", nullptr, k_now), Seconds{120});
  EXPECT_EQ(parse_retry_after(" 0 ", nullptr, k_now), Seconds{0});
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 08:28:00 GMT", nullptr, k_now), Seconds{3600});
  const std::string date = "Wed, 21 Oct 2015 08:00:00 GMT";
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 08:28:00 GMT", &date, k_now), Seconds{1680});
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 06:00:00 GMT", nullptr, k_now), Seconds{0});
  EXPECT_FALSE(parse_retry_after("-5", nullptr, k_now).has_value());
  EXPECT_FALSE(parse_retry_after("later", nullptr, k_now).has_value());
}

TEST(HttpHeaders, Freshness) {
  const std::string cc = "public, max-age=600, s-maxage=60";
  EXPECT_EQ(parse_freshness(&cc, nullptr, nullptr, k_now), Seconds{600});
  const std::string quoted = "max-age=\"30\"";
  EXPECT_EQ(parse_freshness(&quoted, nullptr, nullptr, k_now), Seconds{30});
  const std::string nostore = "no-store";
  EXPECT_EQ(parse_freshness(&nostore, nullptr, nullptr, k_now), Seconds{0});
  const std::string expires = "Wed, 21 Oct 2015 09:28:00 GMT";
  EXPECT_EQ(parse_freshness(nullptr, &expires, nullptr, k_now), Seconds{7200});
  // max-age wins over Expires (RFC 9111 4.2.1).
  EXPECT_EQ(parse_freshness(&cc, &expires, nullptr, k_now), Seconds{600});
  const std::string zero = "0";
  EXPECT_EQ(parse_freshness(nullptr, &zero, nullptr, k_now), Seconds{0});
  const std::string other = "private";
  EXPECT_FALSE(parse_freshness(&other, nullptr, nullptr, k_now).has_value());
  EXPECT_FALSE(parse_freshness(nullptr, nullptr, nullptr, k_now).has_value());
}

TEST(HttpHeaders, ResponseHeadersKeepOnlyTheLastResponse) {
  ResponseHeaders h;
  h.add_line("HTTP/1.1 100 Continue\r\n");
  h.add_line("X-Interim: 1\r\n");
  h.add_line("HTTP/1.1 200 OK\r\n");
  h.add_line("ETag: \"a\"\r\n");
  h.add_line("etag: \"b\"\r\n");
  h.add_line("Content-Type:  text/xml \r\n");
  h.add_line("\r\n");
  EXPECT_EQ(h.get("x-interim"), nullptr);
  ASSERT_NE(h.get("etag"), nullptr);
  EXPECT_EQ(*h.get("etag"), "\"b\"");
  EXPECT_EQ(*h.get("content-type"), "text/xml");
}

} // namespace
} // namespace reelfeed::fetch
