// Title normalisation and MinHash signatures of title + lede. Outlet decorations are
// removed first so that "EXCLUSIVE: X | Variety" and "X - Deadline" shingle alike.

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <utf8proc.h>
#include <xxhash.h>

#include "dedup/dedup.hpp"
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
constexpr std::size_t k_lede_bytes = 1200; // comfortably more than 60 words

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n\xC2\xA0"; // NBSP bytes too: feeds love them around separators
  const auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos)
    return {};
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
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
    const std::string l = util::ascii_lower(t);
    if (!l.empty() && (l[0] == '[' || l[0] == '(')) {
      const auto close = l.find(l[0] == '[' ? ']' : ')');
      if (close != std::string::npos && close < 24) {
        const std::string inner(trim(std::string_view(l).substr(1, close - 1)));
        if (std::find(k_prefix_tags.begin(), k_prefix_tags.end(), inner) != k_prefix_tags.end()) {
          t = t.substr(close + 1);
          changed = true;
          continue;
        }
      }
    }
    for (auto tag : k_prefix_tags) {
      if (!l.starts_with(tag))
        continue;
      std::string_view after = trim(std::string_view(l).substr(tag.size()));
      if (!is_separator_start(after))
        continue;
      const std::size_t consumed = l.size() - after.size() + separator_len(after);
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
    const std::string l = util::ascii_lower(t);
    if (!l.empty() && (l.back() == ']' || l.back() == ')')) {
      const auto open = l.rfind(l.back() == ']' ? '[' : '(');
      if (open != std::string::npos && open > 0) {
        const std::string inner(trim(std::string_view(l).substr(open + 1, l.size() - open - 2)));
        if (std::find(k_prefix_tags.begin(), k_prefix_tags.end(), inner) != k_prefix_tags.end()) {
          t = t.substr(0, open);
          changed = true;
          continue;
        }
      }
    }
    // The last " | X" is always an outlet/section decoration when X is short.
    if (auto bar = l.rfind(" | "); bar != std::string::npos && bar > 0) {
      const auto tail = std::string_view(l).substr(bar + 3);
      if (std::count(tail.begin(), tail.end(), ' ') < 5) {
        t = t.substr(0, bar);
        changed = true;
        continue;
      }
    }
    for (std::string_view dash : {" - ", " \xE2\x80\x94 ", " \xE2\x80\x93 ", ": "}) {
      const auto pos = l.rfind(dash);
      if (pos == std::string::npos || pos == 0)
        continue;
      const std::string tail(trim(std::string_view(l).substr(pos + dash.size())));
      const bool outlet = std::find(k_outlets.begin(), k_outlets.end(), tail) != k_outlets.end();
      const bool tag = dash != ": " && std::find(k_prefix_tags.begin(), k_prefix_tags.end(),
                                                 tail) != k_prefix_tags.end();
      if (outlet || tag) {
        t = t.substr(0, pos);
        changed = true;
        break;
      }
    }
  }
  // "Variety: ..." style outlet prefixes.
  const std::string l = util::ascii_lower(t);
  for (auto outlet : k_outlets) {
    if (l.starts_with(outlet) && l.substr(outlet.size()).starts_with(": "))
      return trim(t.substr(outlet.size() + 2));
  }
  return t;
}

// Case-fold, strip accents, NFKC; letters and digits kept, apostrophes dropped (so
// "Studio's" == "Studios"), everything else becomes a word break.
std::string fold(std::string_view text) {
  if (std::all_of(text.begin(), text.end(), [](char c) { return (c & 0x80) == 0; })) {
    // ASCII (most English headlines): same result as the utf8proc path, ten times faster.
    std::string out;
    out.reserve(text.size());
    bool space = true;
    for (const char c : text) {
      if (std::isalnum(static_cast<unsigned char>(c))) {
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        space = false;
      } else if (c != '\'' && !space) {
        out += ' ';
        space = true;
      }
    }
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    return out;
  }
  utf8proc_uint8_t* mapped = nullptr;
  const auto opts =
      static_cast<utf8proc_option_t>(UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                              static_cast<utf8proc_ssize_t>(text.size()), &mapped, opts);
  if (n < 0)
    return util::ascii_lower(text); // invalid UTF-8: fall back to bytes
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(mapped, &std::free);
  std::string out;
  out.reserve(static_cast<std::size_t>(n));
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
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  return out;
}

// Visible text of an HTML fragment, good enough for shingling a lede.
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

std::uint64_t mix(std::uint64_t x) { // splitmix64 finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

} // namespace

std::string normalise_title(std::string_view title) {
  return fold(strip_suffixes(strip_prefixes(title)));
}

Signature signature(const Entry& entry) {
  const std::string title = normalise_title(entry.title);
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
    const auto h = XXH3_64bits_withSeed(shingle.data(), shingle.size(), 1);
    for (std::size_t k = 0; k < Signature::k_size; ++k) {
      const auto v = static_cast<std::uint32_t>(mix(h + 0x9e3779b97f4a7c15ULL * (k + 1)));
      sig.minhash[k] = std::min(sig.minhash[k], v);
    }
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
