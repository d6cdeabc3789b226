// Small formats of the config: durations, sizes, listen addresses, source URLs, suggestions.

#include <gtest/gtest.h>

#include <array>
#include <optional>
#include <string>

#include "config/load.hpp"
#include "config/values.hpp"

namespace reelfeed::config {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;

/// The value of `r`, or nullopt with its message in `error`.
template <typename T> std::optional<T> value_or_error(util::Result<T> r, std::string& error) {
  if (r) {
    return *std::move(r);
  }
  error = r.error();
  return std::nullopt;
}

TEST(ParseDuration, AcceptsEveryUnit) {
  EXPECT_EQ(parse_duration("90s"), Seconds{90});
  EXPECT_EQ(parse_duration("30m"), minutes{30});
  EXPECT_EQ(parse_duration("12h"), hours{12});
  EXPECT_EQ(parse_duration("30d"), days{30});
  EXPECT_EQ(parse_duration("2w"), days{14});
  EXPECT_EQ(parse_duration("1w"), days{7});
  EXPECT_EQ(parse_duration("0s"), Seconds{0});
}

TEST(ParseDuration, AcceptsCompoundForms) {
  EXPECT_EQ(parse_duration("1h30m"), minutes{90});
  EXPECT_EQ(parse_duration("1d12h"), hours{36});
}

TEST(ParseDuration, RejectsMalformed) {
  for (const char* bad : {"", "30", "m", "30x", "-5m", "5 m", " 5m", "5m ", "1.5h", "30M", "h30",
                          "5mm", "99999999999999999999s", "1000000000w"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

TEST(ParseUtcOffset, AcceptsTheUsualSpellings) {
  std::string error;
  EXPECT_EQ(value_or_error(detail::parse_utc_offset("+09:00"), error), 540);
  EXPECT_EQ(value_or_error(detail::parse_utc_offset("-05:30"), error), -330);
  EXPECT_EQ(value_or_error(detail::parse_utc_offset("+0545"), error), 345);
  EXPECT_EQ(value_or_error(detail::parse_utc_offset("+9"), error), 540);
  EXPECT_EQ(value_or_error(detail::parse_utc_offset("-03"), error), -180);
  EXPECT_EQ(value_or_error(detail::parse_utc_offset("+14:00"), error), 840);
  EXPECT_EQ(value_or_error(detail::parse_utc_offset("UTC"), error), 0);
  EXPECT_EQ(value_or_error(detail::parse_utc_offset("Z"), error), 0);
  EXPECT_TRUE(error.empty()) << error;
}

TEST(ParseUtcOffset, RejectsNamesAndNonsense) {
  for (const char* bad : {"", "9", "+", "JST", "Asia/Tokyo", "+15", "+09:60", "+9:00", "+09:0",
                          "+090", "09:00", "+09:00 ", "UTC+9", "--1"}) {
    std::string error;
    EXPECT_FALSE(value_or_error(detail::parse_utc_offset(bad), error).has_value()) << bad;
    EXPECT_NE(error.find("is not an offset from UTC"), std::string::npos) << bad;
  }
}

TEST(ParseSize, UnitsAreBinary) {
  EXPECT_EQ(detail::parse_size("16MB"), 16ull << 20);
  EXPECT_EQ(detail::parse_size("16MiB"), 16ull << 20);
  EXPECT_EQ(detail::parse_size("512KB"), 512ull << 10);
  EXPECT_EQ(detail::parse_size("512 kb"), 512ull << 10);
  EXPECT_EQ(detail::parse_size("1GB"), 1ull << 30);
  EXPECT_EQ(detail::parse_size("1000"), 1000u);
  EXPECT_EQ(detail::parse_size("1000B"), 1000u);
}

TEST(ParseSize, RejectsMalformed) {
  for (const char* bad : {"", "MB", "0MB", "16TB", "16 MB MB", "-1MB", "1.5MB",
                          "99999999999999999999GB", "17179869184GB"}) {
    EXPECT_FALSE(detail::parse_size(bad).has_value()) << bad;
  }
}

TEST(ParseListen, AcceptsIpv4Ipv6AndLocalhost) {
  std::string error;
  auto l = value_or_error(detail::parse_listen("127.0.0.1:8080"), error);
  ASSERT_TRUE(l) << error;
  EXPECT_EQ(l->host, "127.0.0.1");
  EXPECT_EQ(l->port, 8080);
  l = value_or_error(detail::parse_listen("[::1]:9000"), error);
  ASSERT_TRUE(l) << error;
  EXPECT_EQ(l->host, "::1");
  EXPECT_EQ(l->port, 9000);
  l = value_or_error(detail::parse_listen("0.0.0.0:0"), error);
  ASSERT_TRUE(l) << error;
  EXPECT_EQ(l->port, 0);
  l = value_or_error(detail::parse_listen("localhost:65535"), error);
  ASSERT_TRUE(l) << error;
  EXPECT_EQ(l->host, "127.0.0.1");
  EXPECT_EQ(l->port, 65535);
}

TEST(ParseListen, RejectsWhatCannotBeBound) {
  for (const char* bad :
       {"8080", "127.0.0.1", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:http", "::1:8080",
        "[::1]8080", "[127.0.0.1]:80", "example.com:80", "256.1.1.1:80", ":8080", "[::1]:-1"}) {
    std::string error;
    EXPECT_FALSE(value_or_error(detail::parse_listen(bad), error).has_value()) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(ResolveSourceUrl, KeepsHttpAndAbsoluteFileUrls) {
  std::string error;
  EXPECT_EQ(value_or_error(detail::resolve_source_url("https://variety.com/feed/", "/etc"), error),
            "https://variety.com/feed/");
  EXPECT_EQ(value_or_error(detail::resolve_source_url("HTTP://example.com/rss", "/etc"), error),
            "http://example.com/rss");
  EXPECT_EQ(value_or_error(detail::resolve_source_url("file:///srv/feeds/a.xml", "/etc"), error),
            "file:///srv/feeds/a.xml");
  EXPECT_EQ(value_or_error(detail::resolve_source_url("file://localhost/srv/a.xml", "/etc"), error),
            "file:///srv/a.xml");
  EXPECT_EQ(value_or_error(detail::resolve_source_url("file:/srv/a.xml", "/etc"), error),
            "file:///srv/a.xml");
}

TEST(ResolveSourceUrl, ResolvesRelativeFileUrlsAgainstTheConfigFolder) {
  std::string error;
  EXPECT_EQ(
      value_or_error(detail::resolve_source_url("file:samples/variety.xml", "/opt/reelfeed/config"),
                     error),
      "file:///opt/reelfeed/config/samples/variety.xml");
  EXPECT_FALSE(
      value_or_error(detail::resolve_source_url("file:../feeds/a b.xml", "/opt/x/config"), error));
  EXPECT_EQ(
      value_or_error(detail::resolve_source_url("file:../feeds/a%b.xml", "/opt/x/config"), error),
      "file:///opt/x/feeds/a%25b.xml");
}

TEST(ResolveSourceUrl, RejectsOtherSchemesAndBrokenUrls) {
  for (const char* bad : {"ftp://example.com/feed", "variety.com/feed", "https:/variety.com",
                          "https://", "http:///path", "file://otherhost/a.xml",
                          "file:", "javascript:alert(1)", "https://exa mple.com/"}) {
    std::string error;
    EXPECT_FALSE(value_or_error(detail::resolve_source_url(bad, "/etc"), error).has_value()) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(CheckBaseUrl, StripsTrailingSlashAndRejectsNonHttp) {
  std::string error;
  EXPECT_EQ(value_or_error(detail::check_base_url("https://feeds.example.org/reelfeed/"), error),
            "https://feeds.example.org/reelfeed");
  EXPECT_FALSE(value_or_error(detail::check_base_url("feeds.example.org"), error).has_value());
  EXPECT_FALSE(value_or_error(detail::check_base_url("file:///x"), error).has_value());
}

TEST(Suggest, FindsNearMissesOnly) {
  constexpr std::array<std::string_view, 4> k_known{"interval", "min_interval", "max_interval",
                                                    "timeout"};
  EXPECT_EQ(detail::suggest("intervall", k_known), "interval");
  EXPECT_EQ(detail::suggest("timout", k_known), "timeout");
  EXPECT_EQ(detail::suggest("Timeout", k_known), "timeout");
  EXPECT_EQ(detail::suggest("max_intervl", k_known), "max_interval");
  EXPECT_EQ(detail::suggest("itnerval", k_known), "interval"); // two letters swapped
  EXPECT_EQ(detail::suggest("tiemout", k_known), "timeout");
  constexpr std::array<std::string_view, 3> k_source{"name", "url", "tags"};
  EXPECT_EQ(detail::suggest("tgas", k_source), "tags");
  EXPECT_EQ(detail::suggest("nmae", k_source), "name");
  EXPECT_EQ(detail::suggest("ulr", k_source), "url");
  EXPECT_EQ(detail::suggest("mane", k_source), ""); // two edits from "name": a different word
  EXPECT_EQ(detail::suggest("colour", k_known), "");
  EXPECT_EQ(detail::suggest("x", k_known), "");
}

TEST(ErrorStr, IsFileLineColMessage) {
  const Error e{"config/reelfeed.toml", 12, 5, "bad thing"};
  EXPECT_EQ(e.str(), "config/reelfeed.toml:12:5: bad thing");
}

} // namespace
} // namespace reelfeed::config
