#pragma once
// Trimming, one function per whitespace contract. Each names the set it strips, because the
// formats disagree: XML's S, HTTP's OWS, C's isspace and the URL standard's C0-or-space are
// four different sets, and a parser that trims with the wrong one accepts or rejects what
// its format does not.

#include <string_view>

namespace reelfeed::util {

/// `s` without the leading and trailing bytes for which `is_space(char)` holds.
template <typename IsSpace>
constexpr std::string_view trim_if(std::string_view s, IsSpace is_space) noexcept {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

/// Without ASCII whitespace at either end: space, \t, \n, \v, \f, \r (isspace in the "C"
/// locale; Python's str.strip() on ASCII).
constexpr std::string_view trim_ascii_whitespace(std::string_view s) noexcept {
  return trim_if(s, [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  });
}

/// Without XML whitespace (the S production: space, \t, \r, \n) at either end.
constexpr std::string_view trim_xml_whitespace(std::string_view s) noexcept {
  return trim_if(s, [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

/// Without HTTP optional whitespace (OWS: space and \t, RFC 9110) at either end.
constexpr std::string_view trim_http_ows(std::string_view s) noexcept {
  return trim_if(s, [](char c) { return c == ' ' || c == '\t'; });
}

/// Without C0 controls and spaces (bytes 0x00-0x20) at either end: what the URL standard
/// strips from an input URL.
constexpr std::string_view trim_c0_and_space(std::string_view s) noexcept {
  return trim_if(s, [](char c) { return static_cast<unsigned char>(c) <= 0x20; });
}

} // namespace reelfeed::util
