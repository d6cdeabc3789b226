// HTML rules copied from feedparser's behaviour (entity tables and references, the
// acceptable-element list, HTML titles to text, looks_like_html), apart from the plain-text
// rules in text.cpp because they share the entity tables and tag scanning.
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

struct NamedEntity {
  std::string_view name;
  char32_t cp;
};
constexpr NamedEntity k_entities[] = {
#include "html_entities.inc"
};

struct Html5Entity {
  std::string_view name;
  std::string_view utf8;
};
constexpr Html5Entity k_html5[] = {
#include "html5_entities.inc"
};

std::string_view html5_entity(std::string_view name) {
  const auto* it =
      std::lower_bound(std::begin(k_html5), std::end(k_html5), name,
                       [](const Html5Entity& e, std::string_view n) { return e.name < n; });
  return (it != std::end(k_html5) && it->name == name) ? it->utf8 : std::string_view{};
}
bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_word(char c) {
  return is_alpha(c) || (c >= '0' && c <= '9') || c == '_';
}
char lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool acceptable_element(std::string_view tag) {
  static constexpr auto k_ok = std::to_array<std::string_view>({"a",
                                                                "abbr",
                                                                "acronym",
                                                                "address",
                                                                "area",
                                                                "article",
                                                                "aside",
                                                                "audio",
                                                                "b",
                                                                "big",
                                                                "blockquote",
                                                                "br",
                                                                "button",
                                                                "canvas",
                                                                "caption",
                                                                "center",
                                                                "cite",
                                                                "code",
                                                                "col",
                                                                "colgroup",
                                                                "command",
                                                                "datagrid",
                                                                "datalist",
                                                                "dd",
                                                                "del",
                                                                "details",
                                                                "dfn",
                                                                "dialog",
                                                                "dir",
                                                                "div",
                                                                "dl",
                                                                "dt",
                                                                "em",
                                                                "event-source",
                                                                "fieldset",
                                                                "figcaption",
                                                                "figure",
                                                                "font",
                                                                "footer",
                                                                "form",
                                                                "h1",
                                                                "h2",
                                                                "h3",
                                                                "h4",
                                                                "h5",
                                                                "h6",
                                                                "header",
                                                                "hr",
                                                                "i",
                                                                "img",
                                                                "input",
                                                                "ins",
                                                                "kbd",
                                                                "keygen",
                                                                "label",
                                                                "legend",
                                                                "li",
                                                                "m",
                                                                "map",
                                                                "menu",
                                                                "meter",
                                                                "multicol",
                                                                "nav",
                                                                "nextid",
                                                                "noscript",
                                                                "ol",
                                                                "optgroup",
                                                                "option",
                                                                "output",
                                                                "p",
                                                                "pre",
                                                                "progress",
                                                                "q",
                                                                "s",
                                                                "samp",
                                                                "section",
                                                                "select",
                                                                "small",
                                                                "sound",
                                                                "source",
                                                                "spacer",
                                                                "span",
                                                                "strike",
                                                                "strong",
                                                                "sub",
                                                                "sup",
                                                                "table",
                                                                "tbody",
                                                                "td",
                                                                "textarea",
                                                                "tfoot",
                                                                "th",
                                                                "thead",
                                                                "time",
                                                                "tr",
                                                                "tt",
                                                                "u",
                                                                "ul",
                                                                "var",
                                                                "video",
                                                                "",
                                                                "",
                                                                "",
                                                                "",
                                                                ""});
  std::string low(tag);
  std::transform(low.begin(), low.end(), low.begin(), lower);
  if (low.empty()) {
    return false;
  }
  return std::find(k_ok.begin(), k_ok.end(), std::string_view(low)) != k_ok.end();
}

/// Decodes an entity/char reference starting at s[i] == '&' (HTML rules, ';' required for
/// names). Returns false when it is not one.
bool decode_ref(std::string_view s, std::size_t& i, std::string& out) {
  std::size_t j = i + 1;
  if (j < s.size() && s[j] == '#') {
    ++j;
    const bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
    if (hex) {
      ++j;
    }
    std::uint32_t v = 0;
    const std::size_t start = j;
    while (j < s.size() && (hex ? std::isxdigit(static_cast<unsigned char>(s[j])) != 0
                                : (s[j] >= '0' && s[j] <= '9'))) {
      const char c = lower(s[j]);
      v = v * (hex ? 16U : 10U) + static_cast<std::uint32_t>(c <= '9' ? c - '0' : c - 'a' + 10);
      v = std::min<std::uint32_t>(v, 0x110000);
      ++j;
    }
    if (j == start) {
      return false;
    }
    if (j < s.size() && s[j] == ';') {
      ++j;
    }
    if (v == 0 || v >= 0x110000 || (v >= 0xD800 && v <= 0xDFFF)) {
      v = 0xFFFD;
    }
    append_utf8(out, static_cast<char32_t>(v));
    i = j;
    return true;
  }
  while (j < s.size() && is_word(s[j])) {
    ++j;
  }
  if (j == i + 1 || j >= s.size() || s[j] != ';') {
    return false;
  }
  const std::string_view text = html5_entity(s.substr(i + 1, j - i - 1));
  if (text.empty()) {
    return false;
  }
  out.append(text);
  i = j + 1;
  return true;
}

} // namespace

char32_t html_entity(std::string_view name) {
  const auto* it =
      std::lower_bound(std::begin(k_entities), std::end(k_entities), name,
                       [](const NamedEntity& e, std::string_view n) { return e.name < n; });
  return (it != std::end(k_entities) && it->name == name) ? it->cp : 0;
}

std::string feedparser_html_to_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (c == '<' && i + 1 < s.size() &&
        (is_alpha(s[i + 1]) || s[i + 1] == '/' || s[i + 1] == '!' || s[i + 1] == '?')) {
      if (s.compare(i, 4, "<!--") == 0) {
        const auto e = s.find("-->", i + 4);
        if (e == std::string_view::npos) {
          out.append(s.substr(i)); // html.parser emits an unterminated construct as data
          break;
        }
        i = e + 3;
        continue;
      }
      const auto e = s.find('>', i);
      if (e == std::string_view::npos) {
        out.append(s.substr(i)); // html.parser emits an unterminated tag as data at close()
        break;
      }
      std::size_t n = i + 1;
      while (n < e && (is_alpha(s[n]) || (s[n] >= '0' && s[n] <= '9'))) {
        ++n;
      }
      std::string name(s.substr(i + 1, n - i - 1));
      std::transform(name.begin(), name.end(), name.begin(), lower);
      i = e + 1;
      if (name == "script" || name == "style") {
        const std::string close = "</" + name;
        std::size_t k = i;
        while (k < s.size()) {
          k = s.find("</", k);
          if (k == std::string_view::npos) {
            break;
          }
          std::string cand(s.substr(k, close.size()));
          std::transform(cand.begin(), cand.end(), cand.begin(), lower);
          if (cand == close) {
            break;
          }
          k += 2;
        }
        if (k == std::string_view::npos || k >= s.size()) {
          i = s.size();
        } else {
          const auto ce = s.find('>', k);
          i = ce == std::string_view::npos ? s.size() : ce + 1;
        }
      }
      continue;
    }
    if (c == '&' && decode_ref(s, i, out)) {
      continue;
    }
    // The run up to the next '<' or '&' is plain text: appended whole, not byte by byte.
    std::size_t j = i + 1;
    while (j < s.size() && s[j] != '<' && s[j] != '&') {
      ++j;
    }
    out.append(s.data() + i, j - i);
    i = j;
  }
  if (is_collapsed(out)) {
    return out; // most titles: no second pass, no second string
  }
  return collapse_ws(out);
}

namespace {
/// Position of the next '<' or '&' at or after `from` (s.size() if none): 16 bytes per step,
/// since most plain-text values have neither.
std::size_t next_lt_amp(std::string_view s, std::size_t from) {
  std::size_t i = from;
#if defined(__SSE2__)
  const __m128i lt = _mm_set1_epi8('<');
  const __m128i amp = _mm_set1_epi8('&');
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    const int m = _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, lt), _mm_cmpeq_epi8(v, amp)));
    if (m != 0) {
      return i + static_cast<std::size_t>(std::countr_zero(static_cast<unsigned>(m)));
    }
  }
#endif
  while (i < s.size() && s[i] != '<' && s[i] != '&') {
    ++i;
  }
  return i;
}
} // namespace

bool looks_like_html(std::string_view s) {
  bool signal = false;
  // Only a '<' or '&' can give the signal: jump from one to the next (the loop's ++i then
  // moves past it; landing on s.size() - 1 or later ends the loop as before).
  for (std::size_t i = next_lt_amp(s, 0); i + 1 < s.size() && !signal; i = next_lt_amp(s, i + 1)) {
    if (s[i] == '<' && s[i + 1] == '/') {
      std::size_t j = i + 2;
      while (j < s.size() && is_word(s[j])) {
        ++j;
      }
      if (j > i + 2 && j < s.size() && s[j] == '>') {
        signal = true;
      }
    } else if (s[i] == '&') {
      std::size_t j = i + 1;
      if (j < s.size() && s[j] == '#') {
        ++j;
      }
      const std::size_t w = j;
      while (j < s.size() && is_word(s[j])) {
        ++j;
      }
      if (j > w && j < s.size() && s[j] == ';') {
        signal = true;
      }
    }
  }
  if (!signal) {
    return false;
  }
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '<') {
      std::size_t j = i + 1;
      if (s[j] == '/') {
        ++j;
      }
      const std::size_t w = j;
      while (j < s.size() && is_word(s[j])) {
        ++j;
      }
      if (j > w && !acceptable_element(s.substr(w, j - w))) {
        return false;
      }
    } else if (s[i] == '&' && is_word(s[i + 1])) {
      std::size_t j = i + 1;
      while (j < s.size() && is_word(s[j])) {
        ++j;
      }
      if (j < s.size() && s[j] == ';' && html_entity(s.substr(i + 1, j - i - 1)) == 0) {
        return false;
      }
    }
  }
  return true;
}

} // namespace reelfeed::parse::detail
