// Byte-level UTF-8 work that runs over whole documents and every value: validation with an
// ASCII fast path, and the two repairs of mis-decoded text feedparser applies (double-encoded
// UTF-8, C1 controls meant as windows-1252).
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
/// Length of the leading pure-ASCII part, exact (not rounded down to a word) so that text
/// with scattered accented letters is not walked byte by byte. It runs over every byte of
/// every document: 32 bytes per step with SSE2 (the portable word loop made GCC spill the
/// words to the stack, 6% of parse time).
std::size_t ascii_prefix(const unsigned char* p, std::size_t n) {
  std::size_t i = 0;
#if defined(__SSE2__)
  while (i + 32 <= n) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
    if (_mm_movemask_epi8(_mm_or_si128(a, b)) != 0) {
      const auto ma = static_cast<unsigned>(_mm_movemask_epi8(a));
      const auto mb = static_cast<unsigned>(_mm_movemask_epi8(b));
      return i + static_cast<std::size_t>(std::countr_zero(ma | (mb << 16)));
    }
    i += 32;
  }
#endif
  constexpr std::uint64_t k_high = 0x8080808080808080ULL;
  while (i + 8 <= n) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, 8);
    if (const std::uint64_t m = w & k_high; m != 0) {
      static_assert(std::endian::native == std::endian::little, "byte order of the mask");
      return i + static_cast<std::size_t>(std::countr_zero(m)) / 8;
    }
    i += 8;
  }
  while (i < n && p[i] < 0x80) {
    ++i;
  }
  return i;
}
} // namespace

std::size_t ascii_len(std::string_view s) {
  return ascii_prefix(reinterpret_cast<const unsigned char*>(s.data()), s.size());
}

std::size_t utf8_seq_len(const unsigned char* p, std::size_t n) {
  const unsigned char c = p[0];
  std::size_t len = 0;
  char32_t cp = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    cp = c & 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (len > n) {
    return 0;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if ((p[k] & 0xC0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (p[k] & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are invalid (Python agrees).
  if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
      (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  return len;
}

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    i += ascii_prefix(p + i, n - i); // ASCII fast path: most feed text is ASCII markup
    if (i >= n) {
      break;
    }
    const std::size_t len = utf8_seq_len(p + i, n - i);
    if (len == 0) {
      return false;
    }
    i += len;
  }
  return true;
}

void repair_mojibake(std::string& s, std::size_t ascii) {
  // Only values whose non-ASCII characters are all U+0080-U+00FF (lead bytes C2/C3) can be
  // double-encoded UTF-8. The bytes they stand for are checked as UTF-8 on the fly, so the
  // common case (real Latin-1 text such as "café") is rejected without building anything.
  // ASCII bytes leave the scan's state (need == 0) unchanged: start after the ASCII prefix.
  const std::size_t start =
      ascii +
      ascii_prefix(reinterpret_cast<const unsigned char*>(s.data()) + ascii, s.size() - ascii);
  if (s.size() - start < 8 &&
      std::all_of(s.begin() + static_cast<std::ptrdiff_t>(start), s.end(),
                  [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return;
  }
  bool high = false;
  int need = 0;
  for (std::size_t i = start; i < s.size(); ++i) {
    if (need == 0 && i + 8 <= s.size()) {
      std::uint64_t w = 0;
      std::memcpy(&w, s.data() + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 7;
        continue;
      }
    }
    const auto c = static_cast<unsigned char>(s[i]);
    unsigned b = c;
    if (c >= 0x80) {
      if ((c != 0xC2 && c != 0xC3) || i + 1 >= s.size()) {
        return;
      }
      b = ((c & 0x1FU) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3FU);
      high = true;
      ++i;
    }
    if (need > 0) {
      if ((b & 0xC0) != 0x80) {
        return;
      }
      --need;
    } else if (b >= 0x80) {
      if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
      } else if (b >= 0xE0 && b <= 0xEF) {
        need = 2;
      } else if (b >= 0xF0 && b <= 0xF4) {
        need = 3;
      } else {
        return;
      }
    }
  }
  if (!high || need != 0) {
    return;
  }
  std::string bytes(s.size(), '\0');
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      bytes[n++] = static_cast<char>(c);
    } else {
      bytes[n++] =
          static_cast<char>(((c & 0x1F) << 6) | (static_cast<unsigned char>(s[i + 1]) & 0x3F));
      ++i;
    }
  }
  bytes.resize(n);
  if (valid_utf8(bytes)) {
    s = std::move(bytes);
  }
}

void map_cp1252(std::string& s, std::size_t ascii) {
  // U+0080-U+009F are encoded as C2 80..C2 9F; find the first one before copying anything.
  static constexpr std::array<char16_t, 32> k_map = {
      0x20AC, 0x81,   0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x8D,   0x017D, 0x8F,   0x90,   0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D,   0x017E, 0x0178};
  auto next_c1 = [&](std::size_t from) {
    for (std::size_t p = s.find('\xC2', from); p != std::string::npos; p = s.find('\xC2', p + 1)) {
      if (p + 1 < s.size() && static_cast<unsigned char>(s[p + 1]) >= 0x80 &&
          static_cast<unsigned char>(s[p + 1]) <= 0x9F) {
        return p;
      }
    }
    return std::string::npos;
  };
  std::size_t at = next_c1(ascii); // no C2 byte in an ASCII prefix
  if (at == std::string::npos) {
    return;
  }
  std::string out;
  out.reserve(s.size() + 8);
  std::size_t from = 0;
  while (at != std::string::npos) {
    out.append(s, from, at - from);
    append_utf8(out, k_map[static_cast<unsigned char>(s[at + 1]) - 0x80]);
    from = at + 2;
    at = next_c1(from);
  }
  out.append(s, from, std::string::npos);
  s = std::move(out);
}

} // namespace reelfeed::parse::detail
