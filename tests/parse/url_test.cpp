// urljoin (Python urllib.parse.urljoin semantics): the fast paths (no dot segment, an
// absolute reference rebuilt byte for byte) must give what the full resolution gives.
#include <gtest/gtest.h>

#include "parse/detail.hpp"

namespace reelfeed::parse::detail {
namespace {

TEST(UrlJoin, ResolvesDotSegmentsOfRelativeReferences) {
  EXPECT_EQ(urljoin("http://a/b/c/d", "../g"), "http://a/b/g");
  EXPECT_EQ(urljoin("http://a/b/c/d", "./g/."), "http://a/b/c/g/");
  EXPECT_EQ(urljoin("http://a/b/", "/.hidden/./x"), "http://a/.hidden/x");
  EXPECT_EQ(urljoin("http://a/b/", "/x/..y/...z"), "http://a/x/..y/...z");
}

TEST(UrlJoin, AbsoluteReferenceKeptOrNormalised) {
  EXPECT_EQ(urljoin("http://a/b/", "http://x/.well-known/a?q=1#f"), "http://x/.well-known/a?q=1#f");
  EXPECT_EQ(urljoin("http://a/b/", "HTTP://x/y"), "http://x/y");   // scheme lower-cased
  EXPECT_EQ(urljoin("http://a/b/", "http://x/y?#"), "http://x/y"); // empty query/fragment
  EXPECT_EQ(urljoin("http://a/b/", "//x/y"), "http://x/y");        // scheme-relative
  EXPECT_EQ(urljoin("", "rel/x"), "rel/x");                        // no base
}

TEST(UrlJoin, PlainAbsoluteShortcutDeclinesWhatResolutionChanges) {
  // Each of these looks absolute but resolution rewrites it, so the shortcut must decline.
  EXPECT_EQ(urljoin("http://a/b/", "http://x/p/../q"), "http://x/q"); // dot segment
  EXPECT_EQ(urljoin("http://a/b/", "http://x/p?"), "http://x/p");     // empty query
  EXPECT_EQ(urljoin("http://a/b/", "http://x/p#"), "http://x/p");     // empty fragment
  EXPECT_EQ(urljoin("http://a/b/", "https://x/p?"), "https://x/p?");  // other scheme: as is
  EXPECT_EQ(urljoin("http://a/b/", "http:///x/y"), "http://x/y");     // fix_uri's rewrite
  EXPECT_EQ(urljoin("http://[::1/b/", "http://x/y"), "");             // unbalanced base
  EXPECT_EQ(urljoin("http://a/b/", "https://x/p?q=1#f"), "https://x/p?q=1#f");
  EXPECT_EQ(urljoin("", "https://x/p"), "https://x/p");
}

} // namespace
} // namespace reelfeed::parse::detail
