// libFuzzer target for the feed parser: any bytes must either parse or throw parse::Error,
// and whatever parses must serialise to FEED_JSON. Crashes, leaks and sanitizer reports are
// the failures. A first control byte selects an HTTP Content-Type, a source encoding and a
// utc_offset, so that the charset, forced-encoding and zone paths are fuzzed too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "parse/parse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace reelfeed;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  parse::Options options;
  if (!bytes.empty()) {
    static constexpr std::string_view k_types[] = {
        "", "application/rss+xml; charset=iso-8859-1", "text/xml",
        "application/atom+xml; charset=utf-16", "text/html; charset=windows-1251"};
    static constexpr std::string_view k_encodings[] = {"", "UTF-8", "UTF-16", "Shift_JIS",
                                                       "windows-1251"};
    const auto pick = static_cast<unsigned char>(bytes.front());
    // Only control bytes select; feeds in the corpus start with '<' or '{'.
    if (pick < 25) {
      options.content_type = k_types[pick % 5];
      options.encoding = k_encodings[pick / 5];
      options.missing_zone_minutes = (pick % 3 - 1) * 570; // -09:30, UTC, +09:30
      bytes.remove_prefix(1);
    }
  }
  try {
    const Feed feed = parse::parse_feed(bytes, options);
    const std::string json = parse::to_feed_json(feed);
    if (json.empty() || json.front() != '{') {
      __builtin_trap();
    }
  } catch (const parse::Error&) {
    // not a feed: a valid outcome
  }
  (void)parse::parse_date(bytes.substr(0, 64), options.missing_zone_minutes);
  return 0;
}
