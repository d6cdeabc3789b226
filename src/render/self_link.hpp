#pragma once
// One rendered document served at several addresses (the default topic at /feed.* and at
// /topics/NAME.*). A feed names its own address (Atom link rel="self", RSS atom:link
// rel="self", JSON Feed feed_url); validators warn and some readers re-subscribe when it is
// not the URL they fetched. Writing a topic's items again per address would double the
// publish cost, so a variant is the written document with only that URL replaced.
// Pure functions like render.hpp's: safe on any thread.

#include <string>
#include <string_view>

#include "render/render.hpp"

namespace reelfeed::render {

/// `doc`, written by atom() / rss() / json_feed() (of `format`) with a non-empty
/// FeedInfo::self_url, with that self URL replaced by `self_url`: the bytes the writer
/// produces for the same FeedInfo and items with self_url = `self_url` (cleaned and escaped
/// as the writer does). RSS's channel <link> is FeedInfo::home_url and stays as it is (the
/// writer puts the self URL there only when home_url is empty: keep home_url set).
/// Throws std::invalid_argument when `self_url` is empty or `doc` has no self link of that
/// format (it is not such a writer's output); otherwise only on allocation. O(size of doc).
[[nodiscard]] std::string
with_self_url(DocFormat format, std::string_view doc, std::string_view self_url);

} // namespace reelfeed::render
