// The ISO-shaped date parsers of feedparser's chain: W3C-DTF / RFC 3339 and the compact
// ISO 8601 template. Hand-written scanners: feed text never goes through std::regex.
#include <cstdint>
#include <string>

#include "parse/date_scan.hpp"

namespace reelfeed::parse::detail::date_scan {
namespace {

bool all_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return !s.empty();
}

int num(std::string_view s) {
  int v = 0;
  for (char c : s) {
    v = v * 10 + (c - '0');
  }
  return v;
}
} // namespace

std::optional<Timestamp> parse_w3dtf(std::string_view in, std::int64_t missing) {
  const Lowered lowered(in);
  const std::string_view low = lowered.view();
  Parts parts = split_char(low, 't');
  std::string_view tz;
  if (parts.size() == 1) {
    parts = split_ws(parts[0]);
    if (parts.empty()) {
      return std::nullopt;
    }
    if (parts.size() == 1) {
      parts.emplace_back("00:00:00"); // feedparser appends "00:00:00z": UTC when missing is 0
    }
  } else if (parts.size() > 2) {
    return std::nullopt;
  }
  Parts date = split_char(parts[0], '-', 2);
  if (date[0].size() != 4) {
    return std::nullopt;
  }
  std::int64_t ymd[3] = {0, 1, 1};
  for (std::size_t i = 0; i < date.size(); ++i) {
    if (!py_int(date[i], ymd[i])) {
      return std::nullopt;
    }
  }
  std::string_view time = parts[1];
  bool had_z = false;
  if (!time.empty() && time.back() == 'z') {
    time.remove_suffix(1);
    had_z = true;
  }
  // MSSQL style "2004-01-01 12:00:00 -0500": the zone is a third whitespace-separated part.
  std::size_t loc = time.find('-');
  if (loc == std::string_view::npos) {
    loc = time.find('+');
  }
  if (loc == std::string_view::npos) {
    loc = time.size();
  }
  if (parts.size() > 2) {
    tz = parts[2];
  } else if (had_z) {
    tz = "z";
  } else {
    tz = time.substr(loc);
  }
  time = time.substr(0, loc);
  Parts tp = split_char(time, ':', 2);
  std::int64_t hms[3] = {0, 0, 0};
  std::int64_t tzh = 0, tzm = 0;
  if (!tz.empty() && (tz[0] == '-' || tz[0] == '+')) {
    if (!py_int(tz.substr(1, 2), tzh) ||
        !py_int(tz.size() > 4 ? tz.substr(4) : std::string_view{}, tzm)) {
      return std::nullopt;
    }
    if (tz[0] == '-') {
      tzh = -tzh;
      tzm = -tzm;
    }
  } else if (const auto hours = zone_hours(tz); hours && !tz.empty()) {
    tzh = *hours;
  } else {
    tzm = extra_zone_minutes(tz).value_or(missing); // feedparser: no zone or unknown is UTC
  }
  for (std::size_t i = 0; i < tp.size(); ++i) {
    if (!py_int_float(tp[i], hms[i])) {
      return std::nullopt;
    }
  }
  return make_utc(ymd[0], ymd[1], ymd[2], hms[0], hms[1], hms[2], tzh * 60 + tzm);
}
/// ISO 8601 "YYYY-?MM-?DD[T]HH:MM[:SS][.f][zone]" prefix match (feedparser's first template).
std::optional<Timestamp> parse_iso8601(std::string_view s, std::int64_t missing) {
  if (s.size() < 8 || !all_digits(s.substr(0, 4))) {
    return std::nullopt;
  }
  std::size_t p = 4;
  auto opt_dash = [&] {
    if (p < s.size() && s[p] == '-') {
      ++p;
    }
  };
  opt_dash();
  if (p + 2 > s.size() || !all_digits(s.substr(p, 2)) || s[p] > '1') {
    return std::nullopt;
  }
  const int mo = num(s.substr(p, 2));
  p += 2;
  opt_dash();
  if (p + 2 > s.size() || !all_digits(s.substr(p, 2)) || s[p] > '3') {
    return std::nullopt;
  }
  const int d = num(s.substr(p, 2));
  p += 2;
  int h = 0, mi = 0, se = 0;
  std::int64_t off = missing;
  std::size_t q = p;
  if (q < s.size() && s[q] == 'T') {
    ++q;
  }
  if (q + 5 <= s.size() && all_digits(s.substr(q, 2)) && s[q + 2] == ':' &&
      all_digits(s.substr(q + 3, 2))) {
    h = num(s.substr(q, 2));
    mi = num(s.substr(q + 3, 2));
    q += 5;
    if (q + 3 <= s.size() && s[q] == ':' && all_digits(s.substr(q + 1, 2))) {
      se = num(s.substr(q + 1, 2));
      q += 3;
    }
    if (q + 1 < s.size() && s[q] == '.' && s[q + 1] >= '0' && s[q + 1] <= '9') {
      ++q;
      while (q < s.size() && s[q] >= '0' && s[q] <= '9') {
        ++q;
      }
    }
    if (q + 3 <= s.size() && (s[q] == '+' || s[q] == '-') && all_digits(s.substr(q + 1, 2))) {
      int tm = 0;
      if (q + 6 <= s.size() && s[q + 3] == ':' && all_digits(s.substr(q + 4, 2))) {
        tm = num(s.substr(q + 4, 2));
      }
      off = (num(s.substr(q + 1, 2)) * 60 + tm) * (s[q] == '-' ? -1 : 1);
    } else if (q < s.size() && (s[q] == 'Z' || s[q] == 'z')) {
      off = 0;
    }
  }
  // feedparser normalises out-of-range fields through mktime; only accept valid ones.
  return make_utc(num(s.substr(0, 4)), mo, d, h, mi, se, off);
}
/// "YYYY/M/D[ H:MM[:SS]][ zone]", the same with '.', and "D.M.YYYY[ ...]" (Asian and European
/// CMSs). Not in feedparser's chain, which reads most of them as November 1st of the year;
/// the date the text names is better than that or null. The separator must be the same twice;
/// a zone is "+HHMM", "+HH:MM" or a known name (an unknown one makes the date null), and no
/// zone means `missing`.
std::optional<Timestamp> parse_numeric_date(std::string_view s, std::int64_t missing) {
  std::size_t p = 0;
  auto number = [&](std::size_t min, std::size_t max, int& out) {
    const std::size_t from = p;
    while (p < s.size() && p - from < max && s[p] >= '0' && s[p] <= '9') {
      ++p;
    }
    if (p - from < min) {
      return false;
    }
    out = num(s.substr(from, p - from));
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  std::size_t lead = 0;
  while (lead < s.size() && s[lead] >= '0' && s[lead] <= '9') {
    ++lead;
  }
  if (lead == 1 || lead == 2) {
    number(1, 2, d);
    // "D.M.YYYY": day first, as dots are written in Germany, Russia and their neighbours.
    // With slashes the order is the writer's habit (10/01 is October or January): null.
    if (p >= s.size() || s[p++] != '.' || !number(1, 2, mo) || p >= s.size() || s[p++] != '.' ||
        !number(4, 4, y)) {
      return std::nullopt;
    }
  } else {
    if (!number(4, 4, y) || p >= s.size() || (s[p] != '/' && s[p] != '.')) {
      return std::nullopt;
    }
    const char sep = s[p++];
    if (!number(1, 2, mo) || p >= s.size() || s[p++] != sep || !number(1, 2, d)) {
      return std::nullopt;
    }
  }
  std::int64_t off = missing;
  if (p < s.size()) {
    if (!is_space(s[p]) && s[p] != 'T') {
      return std::nullopt;
    }
    while (p < s.size() && (is_space(s[p]) || s[p] == 'T')) {
      ++p;
    }
    if (!number(1, 2, h) || p >= s.size() || s[p++] != ':' || !number(2, 2, mi)) {
      return std::nullopt;
    }
    if (p < s.size() && s[p] == ':') {
      ++p;
      if (!number(2, 2, se)) {
        return std::nullopt;
      }
    }
    while (p < s.size() && is_space(s[p])) {
      ++p;
    }
    const std::string_view zone = s.substr(p);
    if (!zone.empty()) {
      if ((zone[0] == '+' || zone[0] == '-') &&
          (zone.size() == 5 || (zone.size() == 6 && zone[3] == ':'))) {
        const std::string_view hh = zone.substr(1, 2);
        const std::string_view mm = zone.substr(zone.size() - 2);
        if (!all_digits(hh) || !all_digits(mm)) {
          return std::nullopt;
        }
        off = (num(hh) * 60 + num(mm)) * (zone[0] == '-' ? -1 : 1);
      } else if (const Lowered name(zone); const auto hours = zone_hours(name.view())) {
        off = *hours * 60;
      } else if (const auto minutes = extra_zone_minutes(name.view())) {
        off = *minutes;
      } else {
        return std::nullopt;
      }
    }
  }
  return make_utc(y, mo, d, h, mi, se, off);
}
} // namespace reelfeed::parse::detail::date_scan
