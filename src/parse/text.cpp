// Text rules copied from feedparser's behaviour, since conformance is measured against it.
#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

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
  static constexpr std::array<std::string_view, 107> k_ok = {"a",
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
                                                             ""};
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

char32_t html_entity(std::string_view name) {
  const auto* it =
      std::lower_bound(std::begin(k_entities), std::end(k_entities), name,
                       [](const NamedEntity& e, std::string_view n) { return e.name < n; });
  return (it != std::end(k_entities) && it->name == name) ? it->cp : 0;
}

std::string_view trim(std::string_view s) {
  auto sp = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!s.empty() && sp(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && sp(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

bool is_collapsed(std::string_view s) {
  if (s.empty()) {
    return true;
  }
  if (s.front() == ' ' || s.back() == ' ') {
    return false;
  }
  char prev = 'x';
  for (const char c : s) {
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

std::string html_to_text(std::string_view s) {
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
    out += c;
    ++i;
  }
  return collapse_ws(out);
}

bool looks_like_html(std::string_view s) {
  bool signal = false;
  for (std::size_t i = 0; i + 1 < s.size(); ++i) {
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
  s = trim(s);
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
