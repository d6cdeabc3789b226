// Text rules copied from feedparser's behaviour, since conformance is measured against it:
// UTF-8 encoding, whitespace collapsing and trimming, escaping, lengths (HTML rules:
// text_html.cpp).
#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "parse/detail.hpp"

namespace reelfeed::parse::detail {
namespace {

/// Decodes one UTF-8 sequence at s[i]; returns the code point and advances i.
/// Invalid bytes yield U+FFFD and advance by one.
char32_t next_cp(std::string_view s, std::size_t& i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) {
    ++i;
    return c;
  }
  int n = 0;
  char32_t cp = 0;
  if ((c & 0xE0) == 0xC0) {
    n = 1;
    cp = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 2;
    cp = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 3;
    cp = c & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + static_cast<std::size_t>(n) >= s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k <= n; ++k) {
    const auto cc = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((cc & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (cc & 0x3F);
  }
  i += static_cast<std::size_t>(n) + 1;
  return cp;
}

bool is_py_space(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

} // namespace

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_collapsed(std::string_view s) {
  if (s.empty()) {
    return true;
  }
  if (s.front() == ' ' || s.back() == ' ') {
    return false;
  }
  std::size_t i = 0;
#if defined(__SSE2__)
  // 16 bytes per step (titles, names and terms all come through here: 1.3% of parse
  // instructions as a byte loop). A byte is bad when, as a signed char, it is below 0x20
  // (controls and every non-ASCII byte) or is 0x7F; a space followed by a space is bad too.
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i del = _mm_set1_epi8(0x7F);
  for (; i + 17 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const __m128i next = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i + 1));
    const __m128i bad =
        _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, space), _mm_cmpeq_epi8(v, del)),
                     _mm_and_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(next, space)));
    if (_mm_movemask_epi8(bad) != 0) {
      return false;
    }
  }
#endif
  char prev = i > 0 ? s[i - 1] : 'x';
  for (; i < s.size(); ++i) {
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u >= 0x7F || (c == ' ' && prev == ' ')) {
      return false; // control/whitespace, non-ASCII (maybe a Unicode space), double space
    }
    prev = c;
  }
  return true;
}

std::string collapse_ws(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending = false;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b > 0x20 && b < 0x80) { // printable ASCII: the common case
      if (pending) {
        out += ' ';
        pending = false;
      }
      // Copy the whole run of printable ASCII words joined by single spaces at once
      // (nothing in it changes) instead of appending byte by byte.
      auto printable = [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u > 0x20 && u < 0x80;
      };
      std::size_t j = i + 1;
      while (j < s.size()) {
        if (printable(s[j])) {
          ++j;
        } else if (s[j] == ' ' && j + 1 < s.size() && printable(s[j + 1])) {
          j += 2;
        } else {
          break;
        }
      }
      out.append(s.data() + i, j - i);
      i = j;
      continue;
    }
    const std::size_t start = i;
    const char32_t cp = next_cp(s, i);
    if (is_py_space(cp)) {
      pending = !out.empty();
      continue;
    }
    if (pending) {
      out += ' ';
      pending = false;
    }
    if (cp == 0xFFFD && i - start != 3) {
      append_utf8(out, cp); // invalid byte
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  return out;
}
void html_escape_append(std::string& out, std::string_view s) {
  // Append unescaped runs whole: content bodies are long and mostly need no escaping. The
  // run ends are found with a byte table (string_view::find_first_of calls memchr on the
  // three-byte set once per input byte: 5% of all parse instructions, profiled).
  static constexpr auto k_special = [] {
    std::array<bool, 256> t{};
    t['&'] = t['<'] = t['>'] = true;
    return t;
  }();
  const std::size_t n = s.size();
  std::size_t from = 0;
  std::size_t at = 0;
  while (true) {
#if defined(__SSE2__)
    // 16 bytes per step (the byte loop below was 2% of parse instructions on xhtml content).
    const __m128i amp = _mm_set1_epi8('&');
    const __m128i lt = _mm_set1_epi8('<');
    const __m128i gt = _mm_set1_epi8('>');
    while (at + 16 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + at));
      const __m128i hit = _mm_or_si128(_mm_cmpeq_epi8(v, amp),
                                       _mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, gt)));
      if (const int m = _mm_movemask_epi8(hit); m != 0) {
        at += static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(m)));
        break;
      }
      at += 16;
    }
#endif
    while (at < n && !k_special[static_cast<unsigned char>(s[at])]) {
      ++at;
    }
    out.append(s.data() + from, at - from);
    if (at == n) {
      return;
    }
    out += s[at] == '&' ? "&amp;" : s[at] == '<' ? "&lt;" : "&gt;";
    from = ++at;
  }
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  html_escape_append(out, s);
  return out;
}

std::optional<std::int64_t> parse_length(std::string_view s) {
  s = util::trim_ascii_whitespace(s);
  if (s.empty() || s.size() > 18) { // 18 digits always fit in int64
    return std::nullopt;
  }
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + (c - '0');
  }
  return v;
}

} // namespace reelfeed::parse::detail
