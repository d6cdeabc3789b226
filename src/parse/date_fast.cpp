// Exact-layout fast paths for the two date forms nearly every feed uses, and the civil-time
// arithmetic shared with date.cpp's general chain. A fast path either decodes its layout
// completely (the same result the general chain gives) or declines and leaves the input to
// that chain, so it changes speed, never results.
#include <array>
#include <cstdint>

#include "parse/detail.hpp"

namespace reelfeed::parse::detail {
namespace {

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, std::int64_t& out) {
  if (at + n > s.size()) {
    return false;
  }
  std::int64_t v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    const char c = s[i];
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  out = v;
  return true;
}

char low(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool lower_is(std::string_view s, std::size_t at, std::string_view word) {
  if (at + word.size() > s.size()) {
    return false;
  }
  for (std::size_t i = 0; i < word.size(); ++i) {
    if (low(s[at + i]) != word[i]) {
      return false;
    }
  }
  return true;
}

/// "HH:MM:SS" at s[at].
bool clock(std::string_view s, std::size_t at, std::int64_t (&hms)[3]) {
  return digits(s, at, 2, hms[0]) && at + 8 <= s.size() && s[at + 2] == ':' &&
         digits(s, at + 3, 2, hms[1]) && s[at + 5] == ':' && digits(s, at + 6, 2, hms[2]);
}

/// "[Ddd, ]D[D] Mon YYYY HH:MM:SS (+hhmm|-hhmm|GMT|UT|UTC|Z)"
bool rfc822(std::string_view s, std::optional<Timestamp>& out) {
  static constexpr std::array<std::string_view, 7> k_days = {"mon", "tue", "wed", "thu",
                                                             "fri", "sat", "sun"};
  static constexpr std::array<std::string_view, 12> k_months = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::size_t i = 0;
  if (s.size() > 5 && s[3] == ',' && s[4] == ' ') {
    bool day_name = false;
    for (auto d : k_days) {
      day_name = day_name || lower_is(s, 0, d);
    }
    if (!day_name) {
      return false;
    }
    i = 5;
  }
  std::int64_t day = 0;
  if (i + 2 < s.size() && s[i + 1] == ' ' && digits(s, i, 1, day)) {
    i += 2;
  } else if (i + 3 < s.size() && s[i + 2] == ' ' && digits(s, i, 2, day)) {
    i += 3;
  } else {
    return false;
  }
  std::int64_t month = 0;
  for (std::size_t m = 0; m < k_months.size() && month == 0; ++m) {
    if (lower_is(s, i, k_months[m])) {
      month = static_cast<std::int64_t>(m) + 1;
    }
  }
  std::int64_t year = 0;
  std::int64_t hms[3] = {0, 0, 0};
  if (month == 0 || i + 4 >= s.size() || s[i + 3] != ' ' || !digits(s, i + 4, 4, year) ||
      i + 8 >= s.size() || s[i + 8] != ' ' || !clock(s, i + 9, hms) || i + 17 >= s.size() ||
      s[i + 17] != ' ') {
    return false;
  }
  const std::string_view zone = s.substr(i + 18);
  std::int64_t offset = 0;
  if (zone.size() == 5 && (zone[0] == '+' || zone[0] == '-')) {
    std::int64_t h = 0, m = 0;
    if (!digits(zone, 1, 2, h) || !digits(zone, 3, 2, m)) {
      return false;
    }
    offset = (zone[0] == '-' ? -1 : 1) * (h * 60 + m);
  } else if (!((zone.size() == 3 && (lower_is(zone, 0, "gmt") || lower_is(zone, 0, "utc"))) ||
               (zone.size() == 2 && lower_is(zone, 0, "ut")) ||
               (zone.size() == 1 && low(zone[0]) == 'z'))) {
    return false;
  }
  out = make_utc(year, month, day, hms[0], hms[1], hms[2], offset);
  return true;
}

/// "YYYY-MM-DDTHH:MM:SS[.fff](Z|+HH:MM|-HH:MM)"
bool w3dtf(std::string_view s, std::optional<Timestamp>& out) {
  std::int64_t y = 0, mo = 0, d = 0;
  std::int64_t hms[3] = {0, 0, 0};
  if (s.size() < 20 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
      !digits(s, 8, 2, d) || low(s[10]) != 't' || !clock(s, 11, hms)) {
    return false;
  }
  std::size_t i = 19;
  if (s[i] == '.') {
    ++i;
    const std::size_t from = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      ++i;
    }
    if (i == from) {
      return false;
    }
  }
  const std::string_view zone = s.substr(i);
  std::int64_t offset = 0;
  if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    std::int64_t h = 0, m = 0;
    if (!digits(zone, 1, 2, h) || !digits(zone, 4, 2, m)) {
      return false;
    }
    offset = (zone[0] == '-' ? -1 : 1) * (h * 60 + m);
  } else if (!(zone.size() == 1 && low(zone[0]) == 'z')) {
    return false;
  }
  out = make_utc(y, mo, d, hms[0], hms[1], hms[2], offset);
  return true;
}

} // namespace

/// Python datetime(y, m, d, h, mi, s) - offset, with datetime's range checks.
std::optional<Timestamp> make_utc(std::int64_t y,
                                  std::int64_t mo,
                                  std::int64_t d,
                                  std::int64_t h,
                                  std::int64_t mi,
                                  std::int64_t s,
                                  std::int64_t offset_minutes) {
  static constexpr std::array<int, 12> k_mdays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      s < 0 || s > 59) {
    return std::nullopt;
  }
  const int md = k_mdays[static_cast<std::size_t>(mo - 1)] + ((mo == 2 && leap(y)) ? 1 : 0);
  if (d > md) {
    return std::nullopt;
  }
  const std::int64_t secs =
      days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 +
      mi * 60 + s - offset_minutes * 60;
  // datetime's own range (year 1..9999) also bounds the shifted value.
  if (secs < -62135596800LL || secs > 253402300799LL) {
    return std::nullopt;
  }
  return Timestamp{Seconds{secs}};
}

std::optional<Timestamp> fast_date(std::string_view s, bool& handled) {
  std::optional<Timestamp> out;
  handled =
      !s.empty() && (s[0] >= '0' && s[0] <= '9' ? w3dtf(s, out) || rfc822(s, out) : rfc822(s, out));
  return out;
}

} // namespace reelfeed::parse::detail
