// Dates: RFC 822 variants, RFC 3339 / ISO 8601 / W3CDTF, sloppy forms, unparseable -> null.
#include <gtest/gtest.h>

#include "parse/parse.hpp"

namespace reelfeed::parse {
namespace {

std::string d(std::string_view s, int missing_zone_minutes = 0) {
  const auto t = parse_date(s, missing_zone_minutes);
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

// Zone names feedparser does not know, which it reads as UTC: the offsets they name. Names
// with several meanings (IST, BST) and unknown ones stay UTC, as in feedparser.
TEST(ParseDate, NamedZonesBeyondFeedparsers) {
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 JST"), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 cet"), "2020-01-10T13:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jul 2020 14:33:00 CEST"), "2020-07-10T12:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 ACST"), "2020-01-10T05:03:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 HST"), "2020-01-11T00:33:00Z");
  EXPECT_EQ(d("Fri Jan 10 14:33:00 AEDT 2020"), "2020-01-10T03:33:00Z"); // date(1)
  EXPECT_EQ(d("2020/01/10 14:33 KST"), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 EST"), "2020-01-10T19:33:00Z"); // feedparser's table
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 IST"), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 XYZ"), "2020-01-10T14:33:00Z");
}

// Not in feedparser's chain (it reads each of these as November 1st of the year): the date
// the text names, UTC without a zone, and null for anything malformed.
TEST(ParseDate, SlashedAndDottedDates) {
  EXPECT_EQ(d("2020/1/10 14:33:00"), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("2020/01/10 14:33"), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("2020/01/10"), "2020-01-10T00:00:00Z");
  EXPECT_EQ(d("2020.01.10 9:05"), "2020-01-10T09:05:00Z");
  EXPECT_EQ(d("2020/01/10 14:33:00 +0900"), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("2020/01/10 14:33:00 -05:30"), "2020-01-10T20:03:00Z");
  EXPECT_EQ(d("2020/01/10 14:33:00 GMT"), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("2020/01/10 14:33:00 XYZ"), "null"); // unknown zone: the instant is unknown
  EXPECT_EQ(d("2020/01.10"), "null");              // mixed separators
  EXPECT_EQ(d("2020/02/30"), "null");              // no such day
  EXPECT_EQ(d("2020/01/10 25:00"), "null");
  EXPECT_EQ(d("2020/01/10 14"), "null");
  EXPECT_EQ(d("20/01/10"), "null"); // day-first or year-first: ambiguous, not guessed
  EXPECT_EQ(d("10.01.2020 14:33"), "2020-01-10T14:33:00Z"); // dots: day first
  EXPECT_EQ(d("1.2.2020"), "2020-02-01T00:00:00Z");
  EXPECT_EQ(d("10/01/2020"), "null"); // slashes: October or January
  EXPECT_EQ(d("10.01.20"), "null");
  EXPECT_EQ(d("123.01.2020"), "null");
}

// The US long form of hand-made feeds, and RFC 822 missing the space after its comma: null in
// feedparser, the date they name here; leftovers and impossible clocks stay null.
TEST(ParseDate, MonthFirstAndUnspacedComma) {
  EXPECT_EQ(d("January 10, 2020"), "2020-01-10T00:00:00Z");
  EXPECT_EQ(d("Jan 10, 2020 2:33 PM"), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("Friday, January 10, 2020 at 12:05 am"), "2020-01-10T00:05:00Z");
  EXPECT_EQ(d("Sept. 3rd, 2021 - 09:15:30 PST"), "2021-09-03T17:15:30Z");
  EXPECT_EQ(d("March 10 2020 14:33 +0200"), "2020-03-10T12:33:00Z");
  EXPECT_EQ(d("Fri,10 Jan 2020 14:33:00 GMT"), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("January 10, 2020 13:00 pm"), "null"); // 13 pm
  EXPECT_EQ(d("January 10, 2020 at noon"), "null");
  EXPECT_EQ(d("Janitor 10, 2020"), "null");
  EXPECT_EQ(d("January 10, 20"), "null");
  EXPECT_EQ(d("January 32, 2020"), "null");
}

// A source's utc_offset (here +09:00) places every date that names no zone, or a zone name
// unknown here, in every layout; a date with its zone keeps it. 0 is feedparser's UTC.
TEST(ParseDate, OffsetForDatesWithoutAZone) {
  constexpr int jst = 9 * 60;
  EXPECT_EQ(d("2020-01-10 14:33:00", jst), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("2020-01-10T14:33", jst), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("2020-01-10", jst), "2020-01-09T15:00:00Z"); // midnight there
  EXPECT_EQ(d("10 Jan 2020 14:33", jst), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("Fri Jan 10 14:33:00 2020", jst), "2020-01-10T05:33:00Z"); // asctime
  EXPECT_EQ(d("20200110T14:33:00", jst), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("2020/01/10 14:33", jst), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("January 10, 2020 2:33 pm", jst), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00", jst), "2020-01-10T05:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 IST", jst), "2020-01-10T05:33:00Z"); // ambiguous name
  EXPECT_EQ(d("2020-01-10T14:33:00Z", jst), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("20200110T14:33:00Z", jst), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 GMT", jst), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 EST", jst), "2020-01-10T19:33:00Z");
  EXPECT_EQ(d("2020-01-10T14:33:00+01:00", jst), "2020-01-10T13:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00 CET", jst), "2020-01-10T13:33:00Z");
  EXPECT_EQ(d("2020-01-10 14:33", -5 * 60), "2020-01-10T19:33:00Z");
}

// RFC 822 with a weekday and no zone: one part short for feedparser's split (null there).
TEST(ParseDate, Rfc822WithWeekdayAndNoZone) {
  EXPECT_EQ(d("Fri, 10 Jan 2020 14:33:00"), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("Friday, 10 January 2020 14:33"), "2020-01-10T14:33:00Z");
  EXPECT_EQ(d("Fri, 10 Jan"), "null");
}

// Options::missing_zone_minutes reaches the dates of RSS, Atom and JSON Feed entries.
TEST(ParseDate, FeedOptionsOffsetReachesEveryFormat) {
  Options jst;
  jst.missing_zone_minutes = 9 * 60;
  const Feed rss = parse_feed("<rss version=\"2.0\"><channel><title>t</title><item><title>a"
                              "</title><pubDate>Fri, 10 Jan 2020 14:33:00</pubDate></item>"
                              "<item><title>b</title><pubDate>Fri, 10 Jan 2020 14:33:00 GMT"
                              "</pubDate></item></channel></rss>",
                              jst);
  ASSERT_EQ(rss.entries.size(), 2u);
  EXPECT_EQ(format_rfc3339(rss.entries[0].published.value()), "2020-01-10T05:33:00Z");
  EXPECT_EQ(format_rfc3339(rss.entries[1].published.value()), "2020-01-10T14:33:00Z");
  const Feed atom = parse_feed("<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
                               "<entry><id>x</id><title>a</title><updated>2020-01-10T14:33:00"
                               "</updated></entry></feed>",
                               jst);
  ASSERT_EQ(atom.entries.size(), 1u);
  EXPECT_EQ(format_rfc3339(atom.entries[0].updated.value()), "2020-01-10T05:33:00Z");
  const Feed json =
      parse_feed(R"({"version": "https://jsonfeed.org/version/1.1", "title": "t", "items": [)"
                 R"({"id": "1", "title": "a", "date_published": "2020-01-10 14:33:00"}]})",
                 jst);
  ASSERT_EQ(json.entries.size(), 1u);
  EXPECT_EQ(format_rfc3339(json.entries[0].published.value()), "2020-01-10T05:33:00Z");
  // The default stays feedparser's UTC.
  EXPECT_EQ(format_rfc3339(parse_feed(R"({"version": "https://jsonfeed.org/version/1.1", )"
                                      R"("title": "t", "items": [{"id": "1", "title": "a", )"
                                      R"("date_published": "2020-01-10 14:33:00"}]})")
                               .entries.at(0)
                               .published.value()),
            "2020-01-10T14:33:00Z");
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

// The exact layouts have a fast path (date_fast.cpp); it must decode what the general chain
// decodes, reject what it rejects, and hand every other shape to it.
TEST(ParseDate, ExactLayoutsEdgeCases) {
  EXPECT_EQ(d("tue, 5 mar 2024 07:08:09 ut"), "2024-03-05T07:08:09Z"); // case, 1-digit day
  EXPECT_EQ(d("Tue, 05 Mar 2024 07:08:09 UTC"), "2024-03-05T07:08:09Z");
  EXPECT_EQ(d("Tue, 05 Mar 2024 07:08:09 Z"), "2024-03-05T07:08:09Z");
  EXPECT_EQ(d("05 Mar 2024 07:08:09 -0130"), "2024-03-05T08:38:09Z");
  EXPECT_EQ(d("Thu, 29 Feb 2024 00:00:00 +0000"), "2024-02-29T00:00:00Z");   // leap day
  EXPECT_EQ(d("Fri, 30 Feb 2024 00:00:00 +0000"), "null");                   // no such day
  EXPECT_EQ(d("Fri, 01 Mar 2024 24:00:00 +0000"), "null");                   // no such hour
  EXPECT_EQ(d("Xyz, 01 Mar 2024 10:00:00 +0000"), "null");                   // not a weekday
  EXPECT_EQ(d("Fri, 01 March 2024 10:00:00 +0000"), "2024-03-01T10:00:00Z"); // long month name
  EXPECT_EQ(d("2024-02-30T00:00:00Z"), "null");
  EXPECT_EQ(d("2024-03-05T07:08:09.5-01:30"), "2024-03-05T08:38:09Z");
  EXPECT_EQ(d("2024-03-05T07:08:09+00:00"), "2024-03-05T07:08:09Z");
}

} // namespace
} // namespace reelfeed::parse
