// Date parsing modelled on feedparser's handler chain (W3C-DTF, RFC 822, ISO 8601 compact,
// asctime), because feedparser is the reference the corpus is scored against. This file is
// the chain itself; the parsers are in date_w3dtf.cpp and date_rfc822.cpp.
#include <string>

#include "parse/date_scan.hpp"
#include "parse/detail.hpp"
#include "parse/parse.hpp"

namespace reelfeed::parse {

using detail::date_scan::is_space;
using detail::date_scan::parse_asctime;
using detail::date_scan::parse_iso8601;
using detail::date_scan::parse_month_first;
using detail::date_scan::parse_numeric_date;
using detail::date_scan::parse_rfc822;
using detail::date_scan::parse_w3dtf;

std::optional<Timestamp> parse_date(std::string_view s, int missing_zone_minutes) {
  const std::int64_t missing = missing_zone_minutes;
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  if (s.empty()) {
    return std::nullopt;
  }
  // Nearly every feed date is in one of two exact layouts: decode those directly (the chain
  // below splits, lower-cases and tries W3C-DTF first, for every entry).
  if (bool handled = false; auto t = detail::fast_date(s, handled)) {
    return t;
  } else if (handled) {
    return std::nullopt;
  }
  if (auto t = parse_w3dtf(s, missing)) {
    return t;
  }
  if (auto t = parse_rfc822(s, missing)) {
    return t;
  }
  if (auto t = parse_iso8601(s, missing)) {
    return t;
  }
  if (auto t = parse_asctime(s, missing)) {
    return t;
  }
  // Last: a date any earlier parser reads keeps the reading feedparser gives it.
  // "Fri, 10 Jan 2020 14:33:00", RFC 822 with a weekday and no zone, is one part short for
  // feedparser's split (null there); a zone no table knows gives it `missing`.
  if (auto t = parse_rfc822(std::string(s) + " ?", missing)) {
    return t;
  }
  if (auto t = parse_numeric_date(s, missing)) {
    return t;
  }
  return parse_month_first(s, missing);
}

} // namespace reelfeed::parse
