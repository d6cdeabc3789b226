// Title normalisation and MinHash signatures of title + lede. Outlet decorations are
// removed first so that "EXCLUSIVE: X | Variety" and "X - Deadline" shingle alike.

#include <algorithm>
#include <array>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <utf8proc.h>
#include <xxhash.h>

#include "dedup/dedup.hpp"
#include "dedup/fold.hpp"
#include "util/ascii.hpp"

namespace reelfeed::dedup {
namespace {

constexpr std::array<std::string_view, 18> k_prefix_tags = {
    "exclusive", "excl",  "updated", "update",     "breaking news", "breaking",
    "watch",     "video", "report",  "first look", "photos",        "listen",
    "just in",   "live",  "new",     "trailer",    "sources",       "scoop"};
constexpr std::array<std::string_view, 26> k_outlets = {"variety",
                                                        "deadline",
                                                        "deadline hollywood",
                                                        "the hollywood reporter",
                                                        "hollywood reporter",
                                                        "thr",
                                                        "indiewire",
                                                        "thewrap",
                                                        "the wrap",
                                                        "vulture",
                                                        "the verge",
                                                        "techcrunch",
                                                        "wired",
                                                        "ars technica",
                                                        "engadget",
                                                        "reuters",
                                                        "ap",
                                                        "associated press",
                                                        "screen daily",
                                                        "screen international",
                                                        "collider",
                                                        "slashfilm",
                                                        "/film",
                                                        "the guardian",
                                                        "bbc news",
                                                        "cnn"};
constexpr std::size_t k_lede_words = 60;
/// Fewer letters/digits (UTF-8 bytes count as letters) than this is not a headline.
constexpr std::ptrdiff_t k_min_undecorated = 3;
constexpr std::size_t k_lede_bytes = 1200; // comfortably more than 60 words

bool is_ws_byte(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

// Whitespace and NBSP (feeds love them around separators). NBSP is matched as the whole
// two-byte sequence, so a trailing "à" (C3 A0) is never cut in half.
std::string_view trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && is_ws_byte(s.front()))
      s.remove_prefix(1);
    else if (s.starts_with("\xC2\xA0"))
      s.remove_prefix(2);
    else
      break;
  }
  for (;;) {
    if (!s.empty() && is_ws_byte(s.back()))
      s.remove_suffix(1);
    else if (s.ends_with("\xC2\xA0"))
      s.remove_suffix(2);
    else
      break;
  }
  return s;
}

/// ASCII case-insensitive prefix test; the decoration lists are lower-case ASCII, so no
/// lower-cased copy of the title is needed.
bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && util::iequals(s.substr(0, prefix.size()), prefix);
}

template <std::size_t N>
bool in_list(const std::array<std::string_view, N>& list, std::string_view s) {
  return std::any_of(list.begin(), list.end(),
                     [&](std::string_view x) { return util::iequals(x, s); });
}

/// Last position of `p` (2..5 bytes) in `s`. libstdc++'s rfind calls memcmp at every
/// position; titles are short and the patterns start with common bytes, so compare inline.
std::size_t rfind_seq(std::string_view s, std::string_view p) {
  if (p.size() > s.size())
    return std::string_view::npos;
  for (std::size_t i = s.size() - p.size() + 1; i-- > 0;) {
    std::size_t k = 0;
    while (k < p.size() && s[i + k] == p[k])
      ++k;
    if (k == p.size())
      return i;
  }
  return std::string_view::npos;
}

bool is_separator_start(std::string_view s) {
  return s.starts_with(":") || s.starts_with("-") || s.starts_with("|") ||
         s.starts_with("\xE2\x80\x94") /* em dash */ || s.starts_with("\xE2\x80\x93") /* en */;
}

std::size_t separator_len(std::string_view s) {
  if (s.starts_with("\xE2\x80\x94") || s.starts_with("\xE2\x80\x93"))
    return 3;
  return 1;
}

// "EXCLUSIVE: ...", "[UPDATED] ...", "(Video) ..." — possibly stacked.
std::string_view strip_prefixes(std::string_view t) {
  for (bool changed = true; changed;) {
    changed = false;
    t = trim(t);
    if (!t.empty() && (t[0] == '[' || t[0] == '(')) {
      const auto close = t.find(t[0] == '[' ? ']' : ')');
      if (close != std::string_view::npos && close < 24 &&
          in_list(k_prefix_tags, trim(t.substr(1, close - 1)))) {
        t = t.substr(close + 1);
        changed = true;
        continue;
      }
    }
    for (auto tag : k_prefix_tags) {
      if (!istarts_with(t, tag))
        continue;
      const std::string_view after = trim(t.substr(tag.size()));
      if (!is_separator_start(after))
        continue;
      const std::size_t consumed = t.size() - after.size() + separator_len(after);
      t = t.substr(std::min(consumed, t.size()));
      changed = true;
      break;
    }
  }
  return t;
}

// "... | Variety", "... - Deadline", "... (UPDATED)", "... — UPDATE".
std::string_view strip_suffixes(std::string_view t) {
  for (bool changed = true; changed;) {
    changed = false;
    t = trim(t);
    if (!t.empty() && (t.back() == ']' || t.back() == ')')) {
      const auto open = t.rfind(t.back() == ']' ? '[' : '(');
      if (open != std::string_view::npos && open > 0 &&
          in_list(k_prefix_tags, trim(t.substr(open + 1, t.size() - open - 2)))) {
        t = t.substr(0, open);
        changed = true;
        continue;
      }
    }
    // The last " | X" is always an outlet/section decoration when X is short.
    if (auto bar = rfind_seq(t, " | "); bar != std::string_view::npos && bar > 0) {
      const auto tail = t.substr(bar + 3);
      if (std::count(tail.begin(), tail.end(), ' ') < 5) {
        t = t.substr(0, bar);
        changed = true;
        continue;
      }
    }
    for (std::string_view dash : {" - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", ": "}) {
      const auto pos = rfind_seq(t, dash);
      if (pos == std::string_view::npos || pos == 0)
        continue;
      const std::string_view tail = trim(t.substr(pos + dash.size()));
      if (in_list(k_outlets, tail) || (dash != ": " && in_list(k_prefix_tags, tail))) {
        t = t.substr(0, pos);
        changed = true;
        break;
      }
    }
  }
  // "Variety: ..." style outlet prefixes.
  for (auto outlet : k_outlets) {
    if (istarts_with(t, outlet) && t.substr(outlet.size()).starts_with(": "))
      return trim(t.substr(outlet.size() + 2));
  }
  return t;
}

bool ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The Unicode rule of fold() for one run of text, appended to `out` with single spaces
// between words and none at either end. False for invalid UTF-8 (nothing appended).
bool fold_unicode(std::string_view text, std::string& out) {
  utf8proc_uint8_t* mapped = nullptr;
  const auto opts =
      static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                              static_cast<utf8proc_ssize_t>(text.size()), &mapped, opts);
  if (n < 0)
    return false;
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
  const auto start = out.size();
  bool space = true;
  utf8proc_ssize_t i = 0;
  while (i < n) {
    utf8proc_int32_t cp = 0;
    const auto len = utf8proc_iterate(mapped + i, n - i, &cp);
    if (len <= 0)
      break;
    const auto cat = utf8proc_category(cp);
    const bool alnum = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
                       (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
    if (alnum) {
      out.append(reinterpret_cast<const char*>(mapped + i), static_cast<std::size_t>(len));
      space = false;
    } else if (cp != '\'' && cp != 0x2019 && cp != 0x2018 && !space) {
      out += ' ';
      space = true;
    }
    i += len;
  }
  while (out.size() > start && out.back() == ' ')
    out.pop_back();
  return true;
}

} // namespace

// Case-fold, strip accents, NFKC; letters and digits kept, apostrophes dropped (so
// "Studio's" == "Studios"), everything else becomes a word break.
//
// ASCII bytes take a plain rule (same result as utf8proc, ten times faster); only the
// words that hold a non-ASCII byte go through utf8proc. A word here is a run between
// ASCII whitespace, which is a word break under both rules and which no normalisation
// joins to its neighbours, so folding word by word equals folding the whole text. Most
// English text has a few such words (curly quotes, dashes, accented names), and mapping
// a whole 1,200-byte lede for them cost more than parsing its feed.
std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = true; // nothing written yet, or a break last
  const auto ascii_rule = [&](char c) {
    const auto u = static_cast<unsigned char>(c);
    const auto lower = static_cast<unsigned char>(u | 0x20);
    if (static_cast<unsigned>(lower - 'a') < 26) {
      out += static_cast<char>(lower);
      space = false;
    } else if (static_cast<unsigned>(u - '0') < 10) {
      out += c;
      space = false;
    } else if (c != '\'' && !space) {
      out += ' ';
      space = true;
    }
  };
  for (std::size_t i = 0; i < text.size();) {
    if (ascii_space(text[i])) {
      ascii_rule(text[i++]);
      continue;
    }
    std::size_t end = i;
    bool ascii = true;
    for (; end < text.size() && !ascii_space(text[end]); ++end)
      ascii = ascii && static_cast<unsigned char>(text[end]) < 0x80;
    if (ascii) {
      for (; i < end; ++i)
        ascii_rule(text[i]);
      continue;
    }
    // A word starts the text or follows whitespace: `out` is empty or ends in a break.
    const auto before = out.size();
    if (!fold_unicode(text.substr(i, end - i), out))
      return util::ascii_lower(text); // invalid UTF-8: fall back to bytes
    if (out.size() > before)
      space = false;
    i = end;
  }
  if (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

std::string strip_tags(std::string_view html, std::size_t limit) {
  std::string out;
  bool in_tag = false;
  for (std::size_t i = 0; i < html.size() && out.size() <= limit; ++i) {
    const char c = html[i];
    if (c == '<')
      in_tag = true;
    else if (c == '>') {
      in_tag = false;
      out += ' ';
    } else if (!in_tag) {
      if (c == '&') {
        const auto semi = html.find(';', i);
        if (semi != std::string_view::npos && semi - i < 10) {
          out += ' ';
          i = semi;
          continue;
        }
      }
      out += c;
    }
  }
  return out;
}

namespace {

std::vector<std::string_view> words(std::string_view s, std::size_t max) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < s.size() && out.size() < max) {
    const auto sp = s.find(' ', i);
    const auto end = sp == std::string_view::npos ? s.size() : sp;
    if (end > i)
      out.push_back(s.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

// minhash[k] = min(minhash[k], splitmix64 finaliser of (h + golden * (k + 1))) for all k.
// The 32 lanes are independent 64-bit integer work: where the CPU has AVX-512 (vpmullq)
// the clone does them 8 at a time, with AVX2 4 at a time; elsewhere the plain loop. All
// give the same bits (integer arithmetic), so stored signatures stay comparable.
__attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"))) void
add_hash(std::uint32_t* __restrict minhash, std::uint64_t h) {
  for (std::size_t k = 0; k < Signature::k_size; ++k) {
    std::uint64_t x = h + 0x9e3779b97f4a7c15ULL * (k + 1);
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    const auto v = static_cast<std::uint32_t>(x);
    minhash[k] = v < minhash[k] ? v : minhash[k];
  }
}

} // namespace

std::vector<std::string> figures(std::string_view title, std::string_view html_lede) {
  constexpr std::size_t k_lede_figures = 400; // bytes of lede: its first sentences
  const std::string text =
      normalise_title(title) + " " + fold(strip_tags(html_lede, k_lede_figures));
  std::vector<std::string> out;
  for (const auto w : words(text, std::numeric_limits<std::size_t>::max()))
    if (std::any_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }))
      out.emplace_back(w);
  std::sort(out.begin(), out.end());
  return out;
}

std::string normalise_title(std::string_view title) {
  return fold(strip_suffixes(strip_prefixes(title)));
}

std::string_view undecorated(std::string_view title) {
  const std::string_view whole = trim(title);
  const std::string_view core = strip_suffixes(strip_prefixes(whole));
  // A title that is nothing but decoration ("UPDATED: Variety") keeps its text: a
  // headline of a letter or two says less than the decorated original.
  const auto alnum = std::count_if(core.begin(), core.end(), [](char c) {
    return (c & 0x80) != 0 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  });
  return alnum < k_min_undecorated ? whole : core;
}

Signature signature(const Entry& entry) {
  return signature(entry, normalise_title(entry.title));
}

Signature signature(const Entry& entry, std::string_view title) {
  // Only the lede's first words count: cut long bodies before the (costly) Unicode fold.
  std::string text = strip_tags(
      entry.summary.empty() ? std::string_view(entry.content) : entry.summary, k_lede_bytes);
  if (text.size() > k_lede_bytes) {
    std::size_t cut = k_lede_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80)
      --cut; // never split a UTF-8 sequence
    text.resize(cut);
  }
  const std::string lede = fold(text);
  // Shingles: word pairs of title and lede. Single words are left out: two box-office
  // reports ("Box office weekend: Dune wins" / "...: Wicked wins") share most of them.
  // Each shingle's hash goes straight into the minimums: a repeated shingle cannot lower
  // a minimum twice, so no set of distinct shingles is needed.
  Signature sig;
  sig.minhash.fill(std::numeric_limits<std::uint32_t>::max());
  const auto add_shingle = [&](std::string_view shingle) {
    add_hash(sig.minhash.data(), XXH3_64bits_withSeed(shingle.data(), shingle.size(), 1));
  };
  std::string pair;
  const auto add_text = [&](std::string_view words_of) {
    const auto w = words(words_of, k_lede_words);
    for (std::size_t i = 0; i + 1 < w.size(); ++i) {
      // fold() leaves exactly one space between words: the pair is usually a substring.
      if (w[i + 1].data() == w[i].data() + w[i].size() + 1) {
        add_shingle(std::string_view(w[i].data(), w[i].size() + 1 + w[i + 1].size()));
      } else {
        pair.assign(w[i]).append(1, ' ').append(w[i + 1]);
        add_shingle(pair);
      }
    }
    if (w.size() == 1)
      add_shingle(w[0]);
  };
  add_text(title);
  add_text(lede);
  return sig;
}

double similarity(const Signature& a, const Signature& b) {
  std::size_t same = 0;
  std::size_t empty = 0;
  for (std::size_t k = 0; k < Signature::k_size; ++k) {
    if (a.minhash[k] == std::numeric_limits<std::uint32_t>::max())
      ++empty;
    if (a.minhash[k] == b.minhash[k])
      ++same;
  }
  if (empty == Signature::k_size)
    return 0.0; // nothing to compare: never a duplicate
  return static_cast<double>(same) / static_cast<double>(Signature::k_size);
}

} // namespace reelfeed::dedup
