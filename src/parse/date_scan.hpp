#pragma once
// Scanning helpers shared by the date parsers (date.cpp, date_w3dtf.cpp, date_rfc822.cpp):
// Python-compatible int() and split(), zone names and month names. Internal to parse;
// inline because they run for every entry's dates.
#include <boost/container/small_vector.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/entry.hpp"
#include "parse/detail.hpp"

namespace reelfeed::parse::detail::date_scan {

using detail::make_utc;

// Inline storage: a date has a handful of parts, and a heap allocation per split showed up
// in profiles (dates are parsed for every entry).
using Parts = boost::container::small_vector<std::string_view, 8>;

inline bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
inline char lower(char c) {
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

inline Parts split_ws(std::string_view s) {
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

inline Parts split_char(std::string_view s, char sep, std::size_t max_splits = SIZE_MAX) {
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
inline bool py_int(std::string_view s, std::int64_t& out) {
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
inline bool py_int_float(std::string_view s, std::int64_t& out) {
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

inline std::optional<std::int64_t> zone_hours(std::string_view name) {
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

/// Offsets, in minutes, of zone names feedparser does not know (it reads them as UTC: a
/// Japanese feed's "JST" dates would be 9 hours late). Only names with one meaning in feeds:
/// IST, BST and the like name several zones and stay UTC, as in feedparser. `name` is
/// lower-case.
inline std::optional<std::int64_t> extra_zone_minutes(std::string_view name) {
  struct Z {
    std::string_view n;
    int minutes;
  };
  static constexpr std::array<Z, 21> k_zones = {{
      {"jst", 540},  {"kst", 540},   {"hkt", 480},   {"sgt", 480},  {"awst", 480}, {"acst", 570},
      {"acdt", 630}, {"aest", 600},  {"aedt", 660},  {"nzst", 720}, {"nzdt", 780}, {"msk", 180},
      {"eet", 120},  {"eest", 180},  {"cet", 60},    {"cest", 120}, {"wet", 0},    {"west", 60},
      {"hst", -600}, {"akst", -540}, {"akdt", -480},
  }};
  for (const auto& z : k_zones) {
    if (z.n == name) {
      return z.minutes;
    }
  }
  return std::nullopt;
}

/// A lower-case word that begins with a weekday's three letters ("fri", "friday,").
inline bool starts_with_weekday(std::string_view s) {
  static constexpr std::array<std::string_view, 7> k_days = {"mon", "tue", "wed", "thu",
                                                             "fri", "sat", "sun"};
  for (const auto d : k_days) {
    if (s.substr(0, 3) == d) {
      return true;
    }
  }
  return false;
}

inline int month_of(std::string_view s) {
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

// The parsers of feedparser's handler chain, tried in this order by parse_date. `missing` is
// the offset, in minutes, of a date that names no zone or one no table here knows (feedparser:
// 0, UTC); a source's utc_offset sets it.
std::optional<Timestamp> parse_w3dtf(std::string_view in, std::int64_t missing);
std::optional<Timestamp> parse_rfc822(std::string_view in, std::int64_t missing);
std::optional<Timestamp> parse_iso8601(std::string_view s, std::int64_t missing);
std::optional<Timestamp> parse_asctime(std::string_view s, std::int64_t missing);
// Sloppy forms feedparser has no parser for, tried after its chain.
std::optional<Timestamp> parse_numeric_date(std::string_view s, std::int64_t missing);
std::optional<Timestamp> parse_month_first(std::string_view in, std::int64_t missing);

} // namespace reelfeed::parse::detail::date_scan
