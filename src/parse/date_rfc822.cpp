// The mail-shaped date parsers of feedparser's chain: RFC 822 with its sloppy variants
// (named zones, 2-digit years, missing parts) and asctime, which is rewritten to RFC 822.
#include <cstdint>
#include <string>

#include "parse/date_scan.hpp"

namespace reelfeed::parse::detail::date_scan {

std::optional<Timestamp> parse_rfc822(std::string_view in, std::int64_t missing) {
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
  if (starts_with_weekday(parts[0])) {
    parts.erase(parts.begin());
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
  } else if (const auto hours = zone_hours(zone); hours && !zone.empty()) {
    tzh = *hours;
  } else {
    // No zone (the "0000" or a time appended above) or a name no table knows: feedparser
    // reads it as UTC; here it is at `missing` (0 unless a source sets utc_offset).
    tzm = extra_zone_minutes(zone).value_or(missing);
  }
  return make_utc(year, month, day, hms[0], hms[1], hms[2], tzh * 60 + tzm);
}
std::optional<Timestamp> parse_asctime(std::string_view s, std::int64_t missing) {
  Parts parts = split_ws(s);
  if (parts.size() == 5) {
    // No zone: a name no table knows, which parse_rfc822 reads as `missing` (feedparser
    // inserts +0000, the same when `missing` is 0).
    parts.insert(parts.begin() + 4, "?");
  }
  if (parts.size() != 6) {
    return std::nullopt;
  }
  std::string joined;
  for (std::size_t i : {0, 2, 1, 5, 3, 4}) {
    joined += parts[i];
    joined += ' ';
  }
  return parse_rfc822(joined, missing);
}

/// "[Weekday,] Month D[,] YYYY[ at| -][ H:MM[:SS][ am|pm][ zone]]", the US long form of
/// hand-made feeds, and RFC 822 with no space after the weekday's comma. Both are null in
/// feedparser; they run after its whole chain. Anything left over makes the date null.
std::optional<Timestamp> parse_month_first(std::string_view in, std::int64_t missing) {
  const Lowered lowered(in);
  std::string text(lowered.view());
  if (const auto comma = text.find(',');
      comma != std::string::npos && comma + 1 < text.size() && !is_space(text[comma + 1])) {
    // "fri,10 jan 2020 ..." is RFC 822 once spaced (built anew: g++ 12 warns, wrongly, on
    // an insert into a string here).
    std::string spaced;
    spaced.append(text, 0, comma + 1);
    spaced += ' ';
    spaced.append(text, comma + 1);
    if (auto t = parse_rfc822(spaced, missing)) {
      return t;
    }
  }
  for (char& c : text) {
    if (c == ',') {
      c = ' ';
    }
  }
  Parts parts = split_ws(text);
  std::size_t i = 0;
  auto word_is_month = [](std::string_view w) {
    static constexpr std::array<std::string_view, 12> k_names = {
        "january", "february", "march",     "april",   "may",      "june",
        "july",    "august",   "september", "october", "november", "december"};
    if (w.ends_with('.')) {
      w.remove_suffix(1);
    }
    const int m = month_of(w);
    if (m == 0 || w.size() < 3 ||
        w != k_names[static_cast<std::size_t>(m - 1)].substr(0, w.size())) {
      return 0;
    }
    return m;
  };
  if (i < parts.size() && word_is_month(parts[i]) == 0 && starts_with_weekday(parts[i])) {
    ++i; // a weekday name; the date itself decides the day
  }
  if (i + 3 > parts.size()) {
    return std::nullopt;
  }
  const int month = word_is_month(parts[i]);
  std::string_view day_text = parts[i + 1];
  for (std::string_view suffix : {"st", "nd", "rd", "th"}) {
    if (day_text.ends_with(suffix)) {
      day_text.remove_suffix(2);
      break;
    }
  }
  std::int64_t day = 0, year = 0;
  if (month == 0 || day_text.empty() || day_text.size() > 2 || !py_int(day_text, day) ||
      parts[i + 2].size() != 4 || !py_int(parts[i + 2], year)) {
    return std::nullopt;
  }
  i += 3;
  if (i < parts.size() && (parts[i] == "at" || parts[i] == "-")) {
    ++i;
  }
  std::int64_t hms[3] = {0, 0, 0};
  std::int64_t offset = missing;
  if (i < parts.size()) {
    const Parts tp = split_char(parts[i], ':');
    if (tp.size() < 2 || tp.size() > 3 || tp[1].size() != 2 || tp[0].empty() || tp[0].size() > 2) {
      return std::nullopt;
    }
    for (std::size_t k = 0; k < tp.size(); ++k) {
      if (!py_int(tp[k], hms[k])) {
        return std::nullopt;
      }
    }
    ++i;
    if (i < parts.size() && (parts[i] == "am" || parts[i] == "pm")) {
      if (hms[0] < 1 || hms[0] > 12) {
        return std::nullopt;
      }
      hms[0] = hms[0] % 12 + (parts[i] == "pm" ? 12 : 0);
      ++i;
    }
    if (i < parts.size()) {
      const std::string_view zone = parts[i++];
      if ((zone[0] == '+' || zone[0] == '-') && zone.size() == 5) {
        std::int64_t hh = 0, mm = 0;
        if (!py_int(zone.substr(1, 2), hh) || !py_int(zone.substr(3, 2), mm)) {
          return std::nullopt;
        }
        offset = (hh * 60 + mm) * (zone[0] == '-' ? -1 : 1);
      } else if (const auto hours = zone_hours(zone)) {
        offset = *hours * 60;
      } else if (const auto minutes = extra_zone_minutes(zone)) {
        offset = *minutes;
      } else {
        return std::nullopt;
      }
    }
  }
  if (i != parts.size()) {
    return std::nullopt;
  }
  return make_utc(year, month, day, hms[0], hms[1], hms[2], offset);
}
} // namespace reelfeed::parse::detail::date_scan
