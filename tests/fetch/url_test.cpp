// URL helpers used for per-host limits and redirect resolution.

#include "fetch/url.hpp"

#include <gtest/gtest.h>

namespace reelfeed::fetch {
namespace {

TEST(Url, HostKeyFillsDefaultPortsAndLowercases) {
  EXPECT_EQ(host_key("https://Feeds.Example.com/rss"), "feeds.example.com:443");
  EXPECT_EQ(host_key("http://feeds.example.com/rss"), "feeds.example.com:80");
  EXPECT_EQ(host_key("http://127.0.0.1:8080/x"), "127.0.0.1:8080");
  EXPECT_EQ(host_key("file:///tmp/a.xml"), "file:");
  EXPECT_EQ(host_key("not a url"), "not a url");
}

TEST(Url, ResolvesRelativeAndAbsoluteLocations) {
  EXPECT_EQ(resolve_url("http://a.example/dir/feed", "other"), "http://a.example/dir/other");
  EXPECT_EQ(resolve_url("http://a.example/dir/feed", "/root?x=1"), "http://a.example/root?x=1");
  EXPECT_EQ(resolve_url("http://a.example/f", "//b.example/g"), "http://b.example/g");
  EXPECT_EQ(resolve_url("http://a.example/f", "https://c.example/h"), "https://c.example/h");
  EXPECT_EQ(resolve_url("http://a.example/f", "file:///etc/passwd"), "file:///etc/passwd");
}

TEST(Url, Scheme) {
  EXPECT_EQ(url_scheme("HTTPS://x.example/"), "https");
  EXPECT_EQ(url_scheme("ftp://x.example/"), "ftp");
  EXPECT_EQ(url_scheme("::"), "");
}

} // namespace
} // namespace reelfeed::fetch
