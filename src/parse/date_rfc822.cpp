// The mail-shaped date parsers of feedparser's chain: RFC 822 with its sloppy variants
// (named zones, 2-digit years, missing parts) and asctime, which is rewritten to RFC 822.
#include <cstdint>
#include <string>

#include "parse/date_scan.hpp"

namespace reelfeed::parse::detail::date_scan {

std::optional<Timestamp> parse_rfc822(std::string_view in) {
  const Lowered lowered(in);
  const std::string_view low = lowered.view();
  Parts parts = split_ws(low);
  if (parts.empty()) {
    return std::nullopt;
  }
  if (parts.size() < 5) {
    parts.emplace_back("00:00:00");
    parts.emplace_back("0000");
  }
  static constexpr std::array<std::string_view, 7> k_days = {"mon", "tue", "wed", "thu",
                                                             "fri", "sat", "sun"};
  for (auto d : k_days) {
    if (parts[0].substr(0, 3) == d) {
      parts.erase(parts.begin());
      break;
    }
  }
  if (parts.size() < 5) {
    return std::nullopt;
  }
  int month = month_of(parts[1]);
  std::int64_t day = 0;
  if (!py_int(parts[0], day)) {
    if (month_of(parts[0]) == 0 || !py_int(parts[1], day)) {
      return std::nullopt;
    }
    month = month_of(parts[0]);
  }
  if (month == 0) {
    return std::nullopt;
  }
  std::int64_t year = 0;
  if (!py_int(parts[2], year)) {
    return std::nullopt;
  }
  if (parts[2].size() <= 2) {
    year += year < 90 ? 2000 : 1900;
  }
  Parts tp = split_char(parts[3], ':');
  if (tp.size() > 3) {
    return std::nullopt;
  }
  std::int64_t hms[3] = {0, 0, 0};
  for (std::size_t i = 0; i < tp.size(); ++i) {
    if (!py_int(tp[i], hms[i])) {
      return std::nullopt;
    }
  }
  std::string zone(parts[4]);
  if (zone.rfind("etc/", 0) == 0) {
    zone.erase(0, 4);
  }
  if (zone.rfind("gmt", 0) == 0) {
    std::string rest;
    for (char c : std::string_view(zone).substr(3)) {
      if (c != ':') {
        rest += c;
      }
    }
    zone = rest.empty() ? "gmt" : rest;
  }
  std::int64_t tzh = 0, tzm = 0;
  if (!zone.empty() && (zone[0] == '-' || zone[0] == '+')) {
    const std::string_view z = zone;
    const std::string_view mins = z.find(':') != std::string_view::npos
                                      ? (z.size() > 4 ? z.substr(4) : "")
                                      : (z.size() > 3 ? z.substr(3) : "");
    if (!py_int(z.substr(1, 2), tzh) || !py_int(mins, tzm)) {
      return std::nullopt;
    }
    if (zone[0] == '-') {
      tzh = -tzh;
      tzm = -tzm;
    }
  } else if (const auto hours = zone_hours(zone)) {
    tzh = *hours;
  } else {
    tzm = extra_zone_minutes(zone).value_or(0); // feedparser: an unknown zone is UTC
  }
  return make_utc(year, month, day, hms[0], hms[1], hms[2], tzh * 60 + tzm);
}
std::optional<Timestamp> parse_asctime(std::string_view s) {
  Parts parts = split_ws(s);
  if (parts.size() == 5) {
    parts.insert(parts.begin() + 4, "+0000");
  }
  if (parts.size() != 6) {
    return std::nullopt;
  }
  std::string joined;
  for (std::size_t i : {0, 2, 1, 5, 3, 4}) {
    joined += parts[i];
    joined += ' ';
  }
  return parse_rfc822(joined);
}
} // namespace reelfeed::parse::detail::date_scan
