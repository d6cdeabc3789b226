#pragma once
// ASCII-only case helpers for protocol text (URL schemes and hosts, HTTP header names,
// config keywords). Deliberately not std::tolower: that depends on the C locale, and
// protocol text is case-insensitive in ASCII only. Human text goes through utf8proc.

#include <string>
#include <string_view>

namespace reelfeed::util {

constexpr char ascii_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

} // namespace reelfeed::util
