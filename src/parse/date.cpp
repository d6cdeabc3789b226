// Date parsing modelled on feedparser's handler chain (W3C-DTF, RFC 822, ISO 8601 compact,
// asctime), because feedparser is the reference the corpus is scored against. Each parser
// is a hand-written scanner: feed text never goes through std::regex.
#include <boost/container/small_vector.hpp>

#include <array>
#include <cstdint>
#include <string>

#include "parse/detail.hpp"
#include "parse/parse.hpp"

namespace reelfeed::parse {
namespace {

using detail::make_utc;

// Inline storage: a date has a handful of parts, and a heap allocation per split showed up
// in profiles (dates are parsed for every entry).
using Parts = boost::container::small_vector<std::string_view, 8>;

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// A lower-cased copy that lives on the stack for date-sized inputs.
class Lowered {
public:
  explicit Lowered(std::string_view s) {
    char* out = m_buf.data();
    if (s.size() > m_buf.size()) {
      m_heap.resize(s.size());
      out = m_heap.data();
    }
    for (std::size_t i = 0; i < s.size(); ++i) {
      out[i] = lower(s[i]);
    }
    m_view = std::string_view(out, s.size());
  }
  Lowered(const Lowered&) = delete;
  Lowered& operator=(const Lowered&) = delete;
  std::string_view view() const { return m_view; }

private:
  std::array<char, 64> m_buf{};
  std::string m_heap;
  std::string_view m_view;
};

Parts split_ws(std::string_view s) {
  Parts out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) {
      ++i;
    }
    std::size_t j = i;
    while (j < s.size() && !is_space(s[j])) {
      ++j;
    }
    if (j > i) {
      out.push_back(s.substr(i, j - i));
    }
    i = j;
  }
  return out;
}

Parts split_char(std::string_view s, char sep, std::size_t max_splits = SIZE_MAX) {
  Parts out;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size() && out.size() < max_splits; ++i) {
    if (s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  out.push_back(s.substr(start));
  return out;
}

/// Python int(): optional surrounding whitespace, optional sign, decimal digits.
bool py_int(std::string_view s, std::int64_t& out) {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  bool neg = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    neg = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || s.size() > 12) {
    return false;
  }
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  out = neg ? -v : v;
  return true;
}

/// Python int(float(s)) for the simple decimal forms seen in dates ("55", "55.123").
bool py_int_float(std::string_view s, std::int64_t& out) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) {
    return py_int(s, out);
  }
  std::string_view frac = s.substr(dot + 1);
  for (char c : frac) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  std::string_view whole = s.substr(0, dot);
  if (whole.empty() || whole == "+" || whole == "-") {
    if (frac.empty()) {
      return false;
    }
    out = 0;
    return true;
  }
  return py_int(whole, out);
}

std::optional<std::int64_t> zone_hours(std::string_view name) {
  struct Z {
    std::string_view n;
    int h;
  };
  static constexpr std::array<Z, 26> k_zones = {
      {{"ut", 0},   {"gmt", 0},  {"z", 0},    {"adt", -3}, {"ast", -4}, {"at", -4},  {"edt", -4},
       {"est", -5}, {"et", -5},  {"cdt", -5}, {"cst", -6}, {"ct", -6},  {"mdt", -6}, {"mst", -7},
       {"mt", -7},  {"pdt", -7}, {"pst", -8}, {"pt", -8},  {"a", -1},   {"n", 1},    {"m", -12},
       {"y", 12},   {"met", 1},  {"mest", 2}, {"utc", 0},  {"", 0}}};
  for (const auto& z : k_zones) {
    if (z.n == name) {
      return z.h;
    }
  }
  return std::nullopt;
}

int month_of(std::string_view s) {
  static constexpr std::array<std::string_view, 12> k_months = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  const std::string_view p = s.substr(0, 3);
  for (std::size_t i = 0; i < k_months.size(); ++i) {
    if (k_months[i] == p) {
      return static_cast<int>(i) + 1;
    }
  }
  return 0;
}

std::optional<Timestamp> parse_w3dtf(std::string_view in) {
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
      parts.emplace_back("00:00:00z");
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
  } else {
    tzh = zone_hours(tz).value_or(0);
  }
  for (std::size_t i = 0; i < tp.size(); ++i) {
    if (!py_int_float(tp[i], hms[i])) {
      return std::nullopt;
    }
  }
  return make_utc(ymd[0], ymd[1], ymd[2], hms[0], hms[1], hms[2], tzh * 60 + tzm);
}

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
  } else {
    tzh = zone_hours(zone).value_or(0);
  }
  return make_utc(year, month, day, hms[0], hms[1], hms[2], tzh * 60 + tzm);
}

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

/// ISO 8601 "YYYY-?MM-?DD[T]HH:MM[:SS][.f][zone]" prefix match (feedparser's first template).
std::optional<Timestamp> parse_iso8601(std::string_view s) {
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
  std::int64_t off = 0;
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
    }
  }
  // feedparser normalises out-of-range fields through mktime; only accept valid ones.
  return make_utc(num(s.substr(0, 4)), mo, d, h, mi, se, off);
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

} // namespace

std::optional<Timestamp> parse_date(std::string_view s) {
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
  if (auto t = parse_w3dtf(s)) {
    return t;
  }
  if (auto t = parse_rfc822(s)) {
    return t;
  }
  if (auto t = parse_iso8601(s)) {
    return t;
  }
  return parse_asctime(s);
}

} // namespace reelfeed::parse
