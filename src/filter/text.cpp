#include "filter/text.hpp"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace reelfeed::filter {
namespace {

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};

bool is_ascii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80)
      return false;
  return true;
}

/// utf8proc_map with `options`; on invalid UTF-8 returns the input unchanged.
std::string map_utf8(std::string_view s, int options) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                        static_cast<utf8proc_ssize_t>(s.size()), &out,
                        static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> guard(out);
  if (n < 0)
    return std::string(s);
  return std::string(reinterpret_cast<const char*>(out), static_cast<std::size_t>(n));
}

constexpr int k_nfkc = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT;

void ascii_lower(std::string& s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
}

bool ascii_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool ascii_letter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/// Length of the code point at `i` and whether it is part of a word (letter, mark, digit).
[[gnu::noinline]] std::pair<std::size_t, bool> classify_slow(std::string_view s, std::size_t i) {
  utf8proc_int32_t cp = 0;
  auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                            static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
  if (n <= 0)
    return {1, false};
  switch (utf8proc_category(cp)) {
  case UTF8PROC_CATEGORY_LU:
  case UTF8PROC_CATEGORY_LL:
  case UTF8PROC_CATEGORY_LT:
  case UTF8PROC_CATEGORY_LM:
  case UTF8PROC_CATEGORY_LO:
  case UTF8PROC_CATEGORY_MN:
  case UTF8PROC_CATEGORY_MC:
  case UTF8PROC_CATEGORY_ND:
  case UTF8PROC_CATEGORY_NL:
  case UTF8PROC_CATEGORY_NO:
    return {static_cast<std::size_t>(n), true};
  default:
    return {static_cast<std::size_t>(n), false};
  }
}

inline std::pair<std::size_t, bool> classify(std::string_view s, std::size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) [[likely]]
    return {1, ascii_word(c)};
  return classify_slow(s, i);
}

/// Apostrophe (ASCII or U+2019) at i: its byte length, else 0.
std::size_t apostrophe(std::string_view s, std::size_t i) {
  if (s[i] == '\'')
    return 1;
  if (s.substr(i, 3) == "\xE2\x80\x99")
    return 3;
  return 0;
}

struct Entity {
  std::string_view name;
  std::string_view text;
};
constexpr Entity k_entities[] = {{"amp", "&"},
                                 {"lt", "<"},
                                 {"gt", ">"},
                                 {"quot", "\""},
                                 {"apos", "'"},
                                 {"nbsp", " "},
                                 {"rsquo", "\xE2\x80\x99"},
                                 {"lsquo", "'"},
                                 {"ldquo", "\""},
                                 {"rdquo", "\""},
                                 {"ndash", "-"},
                                 {"mdash", " - "},
                                 {"hellip", "..."}};

void append_codepoint(std::string& out, long cp) {
  utf8proc_uint8_t buf[4];
  if (cp <= 0 || cp > 0x10FFFF || !utf8proc_codepoint_valid(static_cast<utf8proc_int32_t>(cp)))
    return;
  auto n = utf8proc_encode_char(static_cast<utf8proc_int32_t>(cp), buf);
  out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
}

/// Decodes the entity starting at s[i] == '&'; returns bytes consumed (0: not an entity).
std::size_t decode_entity(std::string_view s, std::size_t i, std::string& out) {
  auto semi = s.find(';', i);
  if (semi == std::string_view::npos || semi - i > 10)
    return 0;
  auto body = s.substr(i + 1, semi - i - 1);
  if (body.size() >= 2 && body[0] == '#') {
    bool hex = body[1] == 'x' || body[1] == 'X';
    std::string digits(body.substr(hex ? 2 : 1));
    if (digits.empty())
      return 0;
    char* end = nullptr;
    long cp = std::strtol(digits.c_str(), &end, hex ? 16 : 10);
    if (*end != '\0')
      return 0;
    append_codepoint(out, cp);
    return semi - i + 1;
  }
  for (const auto& e : k_entities)
    if (e.name == body) {
      out += e.text;
      return semi - i + 1;
    }
  return 0;
}

} // namespace

std::string strip_html(std::string_view html) {
  std::string out;
  out.reserve(html.size());
  std::size_t i = 0;
  while (i < html.size()) {
    char c = html[i];
    if (c == '<') {
      auto close = html.find('>', i);
      if (close == std::string_view::npos) {
        out += ' ';
        break;
      }
      auto tag = html.substr(i + 1, close - i - 1);
      auto is_tag = [&](std::string_view name) {
        if (tag.size() < name.size())
          return false;
        for (std::size_t k = 0; k < name.size(); ++k)
          if ((tag[k] | 0x20) != name[k])
            return false;
        return tag.size() == name.size() ||
               !ascii_word(static_cast<unsigned char>(tag[name.size()]));
      };
      i = close + 1;
      for (std::string_view skip : {"script", "style"})
        if (is_tag(skip)) {
          // Drop the element's body: it is code, never words of the story.
          std::string end_tag = "</" + std::string(skip);
          std::size_t k = i;
          for (; k + end_tag.size() <= html.size(); ++k) {
            bool eq = true;
            for (std::size_t m = 0; m < end_tag.size() && eq; ++m)
              eq = (html[k + m] | 0x20) == end_tag[m];
            if (eq)
              break;
          }
          auto e = html.find('>', k);
          i = e == std::string_view::npos ? html.size() : e + 1;
        }
      out += ' ';
    } else if (c == '&') {
      auto n = decode_entity(html, i, out);
      if (n == 0) {
        out += '&';
        ++i;
      } else {
        i += n;
      }
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string fold(std::string_view text) {
  if (is_ascii(text)) {
    std::string s(text);
    ascii_lower(s);
    return s;
  }
  auto s = map_utf8(text, k_nfkc | UTF8PROC_CASEFOLD);
  ascii_lower(s); // only matters when the input was invalid UTF-8 and came back unmapped
  return s;
}

void stem_in_place(std::string& w) {
  // Only consistency matters (both sides are stemmed), so a handful of English rules do.
  auto n = w.size();
  if (n < 3)
    return;
  auto lower = [&](std::size_t k) { return static_cast<char>(w[k] | 0x20); };
  char last = lower(n - 1);
  if (n >= 4 && last == 's' && lower(n - 2) == 'e' && lower(n - 3) == 'i') {
    w.resize(n - 3);
    w += (w.back() >= 'A' && w.back() <= 'Z') ? 'Y' : 'y';
    return;
  }
  if (last == 'e' && lower(n - 2) == 'i') { // movie/movies meet at "movy"
    w.resize(n - 2);
    w += 'y';
    return;
  }
  if (last != 's')
    return;
  if (w[n - 1] == 's' && w[n - 2] >= 'A' && w[n - 2] <= 'Z') { // acronym plural: AIs, NPCs
    w.resize(n - 1);
    return;
  }
  char prev = lower(n - 2);
  if (prev == 's' || prev == 'u' || prev == 'i')
    return; // class, status, analysis
  if (n >= 5 && prev == 'e' &&
      ((lower(n - 3) == 's' && lower(n - 4) == 's') || lower(n - 3) == 'x' ||
       (lower(n - 3) == 'h' && (lower(n - 4) == 'c' || lower(n - 4) == 's')))) {
    w.resize(n - 2); // actresses, boxes, matches, clashes
    return;
  }
  w.resize(n - 1);
}

void TokenList::clear() {
  m_tokens.clear();
  m_buf.clear();
  m_segment = 0;
}

void TokenList::push_word(std::string_view word) {
  Token t{};
  t.segment = m_segment;
  // NFKC per word, and only for the rare non-ASCII words: normalising whole fields cost
  // more than all the matching (curly quotes and dashes make most fields non-ASCII).
  const bool ascii = is_ascii(word);
  if (ascii)
    m_scratch.assign(word);
  else
    m_scratch = map_utf8(word, k_nfkc);
  stem_in_place(m_scratch);
  bool lower = ascii;
  for (std::size_t k = 0; lower && k < m_scratch.size(); ++k)
    lower = !(m_scratch[k] >= 'A' && m_scratch[k] <= 'Z');
  if (lower) { // most words: the cased and folded forms are one string
    t.cased_off = t.folded_off = static_cast<std::uint32_t>(m_buf.size());
    t.cased_len = t.folded_len = static_cast<std::uint32_t>(m_scratch.size());
    m_buf += m_scratch;
    m_tokens.push_back(t);
    return;
  }
  t.cased_off = static_cast<std::uint32_t>(m_buf.size());
  t.cased_len = static_cast<std::uint32_t>(m_scratch.size());
  m_buf += m_scratch;
  if (ascii) {
    ascii_lower(m_scratch);
  } else {
    m_scratch = fold(word);
    stem_in_place(m_scratch);
  }
  t.folded_off = static_cast<std::uint32_t>(m_buf.size());
  t.folded_len = static_cast<std::uint32_t>(m_scratch.size());
  m_buf += m_scratch;
  m_tokens.push_back(t);
}

void TokenList::add_segment(std::string_view raw) {
  ++m_segment;
  std::string_view s = raw;
  std::string acronym;
  std::size_t i = 0;
  while (i < s.size()) {
    auto [len, word] = classify(s, i);
    if (!word) {
      i += len;
      continue;
    }
    // "A.I." / "a.i" -> one word "AI": single letters joined by dots.
    if (ascii_letter(static_cast<unsigned char>(s[i])) && i + 2 < s.size() && s[i + 1] == '.' &&
        ascii_letter(static_cast<unsigned char>(s[i + 2])) &&
        (i + 3 >= s.size() || !ascii_word(static_cast<unsigned char>(s[i + 3])))) {
      acronym.clear();
      std::size_t k = i;
      while (k < s.size() && ascii_letter(static_cast<unsigned char>(s[k])) &&
             (k + 1 >= s.size() || !ascii_word(static_cast<unsigned char>(s[k + 1])))) {
        acronym += s[k];
        if (k + 1 < s.size() && s[k + 1] == '.')
          k += 2;
        else {
          ++k;
          break;
        }
      }
      push_word(acronym);
      i = k;
      continue;
    }
    std::size_t start = i;
    std::size_t end = i;
    while (end < s.size()) {
      auto [l, w] = classify(s, end);
      if (!w)
        break;
      end += l;
    }
    i = end;
    // Possessive: "Runway's" -> "Runway"; other apostrophes split words.
    if (end < s.size()) {
      if (auto a = apostrophe(s, end);
          a > 0 && end + a < s.size() && (s[end + a] == 's' || s[end + a] == 'S') &&
          (end + a + 1 >= s.size() || !classify(s, end + a + 1).second))
        i = end + a + 1;
    }
    push_word(s.substr(start, end - start));
  }
}

std::vector<std::string> term_words(std::string_view term, bool case_sensitive) {
  TokenList list;
  list.add_segment(term);
  std::vector<std::string> out;
  for (const auto& t : list.tokens())
    out.emplace_back(case_sensitive ? list.cased(t) : list.folded(t));
  return out;
}

} // namespace reelfeed::filter
