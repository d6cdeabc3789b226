#include "model/entry.hpp"

namespace reelfeed {

const char* to_string(FeedFormat f) {
  switch (f) {
  case FeedFormat::rss20:
    return "rss20";
  case FeedFormat::rss10:
    return "rss10";
  case FeedFormat::rss09x:
    return "rss09x";
  case FeedFormat::atom10:
    return "atom10";
  case FeedFormat::atom03:
    return "atom03";
  case FeedFormat::json10:
    return "json10";
  case FeedFormat::json11:
    return "json11";
  case FeedFormat::unknown:
    break;
  }
  return "unknown";
}

} // namespace reelfeed
