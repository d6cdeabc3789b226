// Dates: RFC 822 variants, RFC 3339 / ISO 8601 / W3CDTF, sloppy forms, unparseable -> null.
#include <gtest/gtest.h>

#include "parse/parse.hpp"

namespace reelfeed::parse {
namespace {

std::string d(std::string_view s) {
  const auto t = parse_date(s);
  return t ? format_rfc3339(*t) : std::string("null");
}

TEST(ParseDate, Rfc822Variants) {
  EXPECT_EQ(d("Fri, 14 Jul 2023 12:00:00 GMT"), "2023-07-14T12:00:00Z");
  EXPECT_EQ(d("Fri, 14 Jul 2023 12:00:00 +0200"), "2023-07-14T10:00:00Z");
  EXPECT_EQ(d("Fri, 14 Jul 2023 12:00:00 -05:30"), "2023-07-14T17:30:00Z");
  EXPECT_EQ(d("Fri, 14 Jul 2023 12:00:00 PDT"), "2023-07-14T19:00:00Z");
  EXPECT_EQ(d("Fri, 14 Jul 2023 12:00:00 EST"), "2023-07-14T17:00:00Z");
  EXPECT_EQ(d("14 Jul 2023 12:00 GMT"), "2023-07-14T12:00:00Z");       // no weekday, no seconds
  EXPECT_EQ(d("Fri, 14 Jul 23 12:00:00 GMT"), "2023-07-14T12:00:00Z"); // two-digit year
  EXPECT_EQ(d("Wed, 02 Oct 99 08:00:00 GMT"), "1999-10-02T08:00:00Z");
  EXPECT_EQ(d("Fri, 14 Jul 2023"), "2023-07-14T00:00:00Z");              // date only
  EXPECT_EQ(d("Fri, Jul 14 2023 12:00:00 GMT"), "2023-07-14T12:00:00Z"); // month/day swapped
  EXPECT_EQ(d("Fri, 14 Jul 2023 12:00:00 GMT-05:00"), "2023-07-14T17:00:00Z");
  EXPECT_EQ(d("Fri, 14 Jul 2023 12:00:00 Etc/GMT"), "2023-07-14T12:00:00Z");
}

TEST(ParseDate, W3cdtfAndIso8601) {
  EXPECT_EQ(d("2023-07-14T12:00:00Z"), "2023-07-14T12:00:00Z");
  EXPECT_EQ(d("2023-07-14T12:00:00.123+02:00"), "2023-07-14T10:00:00Z");
  EXPECT_EQ(d("2023-07-14t12:00:00z"), "2023-07-14T12:00:00Z");
  EXPECT_EQ(d("2023-07-14"), "2023-07-14T00:00:00Z");
  EXPECT_EQ(d("2023-07"), "2023-07-01T00:00:00Z");
  EXPECT_EQ(d("2023-07-14 12:34:56"), "2023-07-14T12:34:56Z"); // MSSQL style, no zone = UTC
  EXPECT_EQ(d("2023-07-14T12:34"), "2023-07-14T12:34:00Z");
  EXPECT_EQ(d("20230714"), "2023-07-14T00:00:00Z"); // compact ISO 8601
  EXPECT_EQ(d("20230714T12:34:56Z"), "2023-07-14T12:34:56Z");
  EXPECT_EQ(d("2023-12-31T23:00:00-02:00"), "2024-01-01T01:00:00Z");
}

TEST(ParseDate, Asctime) {
  EXPECT_EQ(d("Fri Jul 14 12:00:00 2023"), "2023-07-14T12:00:00Z");
}

TEST(ParseDate, UnparseableIsNull) {
  EXPECT_EQ(d(""), "null");
  EXPECT_EQ(d("   "), "null");
  EXPECT_EQ(d("yesterday"), "null");
  EXPECT_EQ(d("2023-13-45T99:00:00Z"), "null");
  EXPECT_EQ(d("Fri, 31 Feb 2023 12:00:00 GMT"), "null");
  EXPECT_EQ(d("Fri, 14 Jul 2023 12:00:60 GMT"), "null");  // leap second, as feedparser
  EXPECT_EQ(d("Friday, 14-Jul-23 12:00:00 GMT"), "null"); // RFC 850, as feedparser
}

} // namespace
} // namespace reelfeed::parse
