#pragma once
// Bytes -> Feed. Detects the dialect from the content (RSS 0.9x/1.0/2.0, Atom 0.3/1.0,
// JSON Feed 1.0/1.1), transcodes to UTF-8, recovers from common breakage (recorded in
// Feed::warnings) and never loads a DTD or external entity. Pure and thread-safe.

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "model/entry.hpp"

namespace reelfeed::parse {

struct Options {
  std::string content_type; ///< HTTP Content-Type, for its charset (RFC 7303 precedence)
  std::string base_url;     ///< document URL: base for relative links
  /// Offset from UTC, in minutes, of dates that name no zone (or a zone name unknown here):
  /// a source's utc_offset. feedparser, and the default, read them as UTC.
  int missing_zone_minutes = 0;
  /// A source's encoding: read the document in it whatever the HTTP charset or the XML
  /// declaration say (a byte order mark still wins). Empty: detect.
  std::string encoding = {};
};

/// Thrown when the bytes are not a feed at all (HTML page, empty, unrecoverable). For an HTML
/// page, what() names the feeds the page links to (rel="alternate"), resolved against base_url.
class Error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

[[nodiscard]] Feed parse_feed(std::string_view bytes, const Options& options = {});

/// Parses a feed date the way feedparser does: W3C-DTF / RFC 3339 / ISO 8601, RFC 822 and
/// its sloppy variants (named zones, 2-digit years, missing seconds or weekday), asctime.
/// Dates without a zone (or with an unknown zone name) are at `missing_zone_minutes` from UTC,
/// UTC by default. nullopt when unparseable (never "now", never 1970).
[[nodiscard]] std::optional<Timestamp> parse_date(std::string_view text,
                                                  int missing_zone_minutes = 0);

/// The normalised JSON of shared/tools/FEED_JSON.md (used by `reelfeed parse`).
[[nodiscard]] std::string to_feed_json(const Feed& feed);

} // namespace reelfeed::parse
