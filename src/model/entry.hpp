#pragma once
// The parser's output: a feed and its entries, normalised and format-neutral.
// Empty strings mean "absent" everywhere (FEED_JSON prints them as null).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/time.hpp"

namespace reelfeed {

enum class FeedFormat { unknown, rss20, rss10, rss09x, atom10, atom03, json10, json11 };

/// "rss20", "atom10", ... as FEED_JSON spells them.
const char* to_string(FeedFormat f);

struct Enclosure {
  std::string url;
  std::string type;
  std::optional<std::int64_t> length;
};

struct Entry {
  std::string id;               ///< guid / atom:id / rdf:about / JSON id, as written (may be empty)
  bool id_is_permalink = false; ///< RSS guid without isPermaLink="false"
  std::string title;            ///< plain text
  std::string link;             ///< absolute where a base was known
  std::optional<Timestamp> published;
  std::optional<Timestamp> updated;
  std::string author;  ///< plain text
  std::string summary; ///< HTML fragment
  std::string content; ///< HTML fragment
  std::vector<std::string> categories;
  std::vector<Enclosure> enclosures;
};

/// Hints a feed gives about how often to poll it (RSS ttl, sy:updatePeriod/Frequency).
struct PollHints {
  std::optional<Seconds> ttl;
  std::optional<Seconds> update_period; ///< sy:updatePeriod / sy:updateFrequency
};

struct Feed {
  FeedFormat format = FeedFormat::unknown;
  std::string title;
  std::string link;
  std::vector<Entry> entries;
  PollHints hints;
  /// Problems the parser recovered from ("undefined entity &nbsp; at line 3"...).
  /// Non-empty means the feed was "recovered with N problems", not rejected.
  std::vector<std::string> warnings;
};

} // namespace reelfeed
