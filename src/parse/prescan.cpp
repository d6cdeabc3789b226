// The one pass over a borrowed UTF-8 document before pugixml parses it: the copy pugixml
// parses in place, UTF-8 validation and the '&'/NUL checks of needs_repair. Three separate
// passes (plus pugixml's own copy) cost ~10% of parse_feed's instructions (callgrind).
#include <bit>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "parse/detail.hpp"

namespace reelfeed::parse::detail {

Scan copy_scan(std::string_view in, char* out) {
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const std::size_t n = in.size();
  Scan r;
  std::size_t utf8_done = 0; // bytes before this are part of a validated sequence
  CdataState cdata;
  // A byte the block test flagged: '&', NUL or a byte >= 0x80. Returns the length of the
  // UTF-8 sequence a lead byte starts (1 otherwise), 0 when it is invalid.
  auto visit = [&](std::size_t at) -> std::size_t {
    const unsigned char c = p[at];
    if (c == '&') {
      // "&lt;" "&gt;" (every tag of escaped HTML) tested here rather than by a call.
      if (!r.bad_amp && at >= cdata.until &&
          !(at + 3 < n && (p[at + 1] == 'l' || p[at + 1] == 'g') && p[at + 2] == 't' &&
            p[at + 3] == ';')) {
        r.bad_amp = xml_ref_len(in, at) == 0 && stray_amp(in, at, cdata);
      }
    } else if (c == 0) {
      r.has_nul = true;
    } else if (at >= utf8_done) { // a lead byte (continuations were validated with it)
      const std::size_t len = utf8_seq_len(p + at, n - at);
      if (len == 0) {
        return 0;
      }
      utf8_done = at + len;
      return len;
    }
    return 1;
  };
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i amp = _mm_set1_epi8('&');
  const __m128i zero = _mm_setzero_si128();
  while (i + 32 <= n) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 16));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i), a);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(out + i + 16), b);
    // High bit of each lane: non-ASCII byte, or 0xFF from a compare that matched.
    const __m128i fa =
        _mm_or_si128(a, _mm_or_si128(_mm_cmpeq_epi8(a, amp), _mm_cmpeq_epi8(a, zero)));
    const __m128i fb =
        _mm_or_si128(b, _mm_or_si128(_mm_cmpeq_epi8(b, amp), _mm_cmpeq_epi8(b, zero)));
    if (_mm_movemask_epi8(_mm_or_si128(fa, fb)) != 0) {
      std::uint64_t mask = static_cast<unsigned>(_mm_movemask_epi8(fa)) |
                           (static_cast<unsigned>(_mm_movemask_epi8(fb)) << 16);
      while (mask != 0) {
        const auto bit = static_cast<unsigned>(std::countr_zero(mask));
        const std::size_t len = visit(i + bit);
        if (len == 0) {
          r.valid_utf8 = false;
          return r;
        }
        // The continuation bytes of a sequence were checked with its lead: no visit each.
        mask &= ~(((std::uint64_t{1} << len) - 1) << bit);
      }
    }
    i += 32;
  }
#endif
  for (; i < n; ++i) {
    out[i] = static_cast<char>(p[i]);
    if ((p[i] == '&' || p[i] == 0 || p[i] >= 0x80) && visit(i) == 0) {
      r.valid_utf8 = false;
      return r;
    }
  }
  return r;
}

} // namespace reelfeed::parse::detail
