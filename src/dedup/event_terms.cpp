// Event terms of an item: tokens of title and lede with their case and position, stop words
// dropped, Snowball-stemmed, mapped through the news lexicon, weighted and hashed.
//
// Weights: a title word counts twice a lede word (a headline is the report's own summary);
// a number, an acronym, or a capitalised word that does not start a sentence counts 1.5
// times (names and figures tell one event from another: "$1 billion", "SAG-AFTRA",
// "Johansson"). In a Title Case headline capitals say nothing, so only acronyms count there.

#include "dedup/event_terms.hpp"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <libstemmer.h>
#include <utf8proc.h>
#include <xxhash.h>

#include "dedup/fold.hpp"

namespace reelfeed::dedup {
namespace {

#include "dedup/event_lexicon.inc"

constexpr float k_title_weight = 2.0F;
constexpr float k_lede_weight = 1.0F;
constexpr float k_name_boost = 1.5F;
constexpr std::size_t k_lede_bytes = 1200; // the lede's first ~200 words at most
/// Beyond this many distinct words a stem cache starts over (bounded memory).
constexpr std::size_t k_cache_limit = 1 << 15;

struct Token {
  std::string text;      ///< as written, UTF-8
  bool first = false;    ///< starts the text or a sentence
  bool capital = false;  ///< starts with an upper-case letter
  bool all_caps = false; ///< two or more letters, all upper-case
  bool digit = false;    ///< holds a digit
};

// ASCII (nearly every character of English news) is classified without a table look-up.

bool is_word_cp(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
  }
  const auto cat = utf8proc_category(cp);
  return (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
         (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO) ||
         cat == UTF8PROC_CATEGORY_MN || cat == UTF8PROC_CATEGORY_MC;
}

bool is_upper_cp(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    return cp >= 'A' && cp <= 'Z';
  }
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

bool is_letter_cp(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  }
  const auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool is_digit_cp(utf8proc_int32_t cp) {
  if (cp < 0x80) {
    return cp >= '0' && cp <= '9';
  }
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
}

/// Words of `text`. Inside a word, '-' and an apostrophe join letters ("SAG-AFTRA",
/// "don't") and ',' or '.' join digits ("1,000", "2.5"); anything else breaks. Invalid
/// UTF-8 bytes break words too.
std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> out;
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  const auto n = static_cast<utf8proc_ssize_t>(text.size());
  const auto decode = [&](utf8proc_ssize_t at, utf8proc_int32_t& cp) -> utf8proc_ssize_t {
    if (at >= n) {
      return 0;
    }
    if (p[at] < 0x80) {
      cp = p[at];
      return 1;
    }
    const auto len = utf8proc_iterate(p + at, n - at, &cp);
    if (len <= 0) {
      cp = -1;
      return 1;
    }
    return len;
  };
  bool sentence_start = true;
  utf8proc_ssize_t i = 0;
  while (i < n) {
    utf8proc_int32_t cp = 0;
    auto len = decode(i, cp);
    if (cp < 0 || !is_word_cp(cp)) {
      if (cp == '.' || cp == '!' || cp == '?' || cp == ':' || cp == ';') {
        sentence_start = true;
      }
      i += len;
      continue;
    }
    Token t;
    t.first = sentence_start;
    sentence_start = false;
    t.capital = is_upper_cp(cp);
    int letters = 0;
    int uppers = 0;
    const auto start = i;
    utf8proc_int32_t prev = 0;
    while (i < n) {
      decode(i, cp);
      if (cp >= 0 && is_word_cp(cp)) {
        letters += is_letter_cp(cp) ? 1 : 0;
        uppers += is_upper_cp(cp) ? 1 : 0;
        t.digit = t.digit || is_digit_cp(cp);
        prev = cp;
        i += decode(i, cp);
        continue;
      }
      // A joiner continues the word only between two word characters of the right kind.
      const bool apostrophe = cp == '\'' || cp == 0x2019;
      const bool hyphen = cp == '-' || cp == 0x2010 || cp == 0x2011;
      const bool group = cp == ',' || cp == '.';
      if (apostrophe || hyphen || group) {
        utf8proc_int32_t next = 0;
        const auto jl = decode(i, cp);
        decode(i + jl, next);
        const bool ok = next >= 0 && (group ? is_digit_cp(prev) && is_digit_cp(next)
                                            : is_word_cp(prev) && is_word_cp(next));
        if (ok) {
          i += jl;
          continue;
        }
      }
      break;
    }
    t.text.assign(text.data() + start, static_cast<std::size_t>(i - start));
    t.all_caps = letters >= 2 && uppers == letters;
    out.push_back(std::move(t));
  }
  return out;
}

/// Lower-case, accents stripped, curly apostrophes straight; hyphens and apostrophes kept.
std::string lower_word(std::string_view word) {
  std::string out;
  out.reserve(word.size());
  bool ascii = true;
  for (const char c : word) {
    ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  }
  if (ascii) {
    for (const char c : word) {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
    return out;
  }
  // fold() breaks words at '-' and drops apostrophes: fold the parts between them.
  std::size_t i = 0;
  while (i <= word.size()) {
    std::size_t j = i;
    std::size_t sep = 0;
    while (j < word.size()) {
      if (word[j] == '-' || word[j] == '\'') {
        sep = 1;
        break;
      }
      if (word.substr(j).starts_with("\xE2\x80\x99") ||
          word.substr(j).starts_with("\xE2\x80\x90") ||
          word.substr(j).starts_with("\xE2\x80\x91")) {
        sep = 3;
        break;
      }
      ++j;
    }
    std::string part = fold(word.substr(i, j - i));
    std::erase(part, ' ');
    out += part;
    if (j >= word.size()) {
      break;
    }
    out += word[j] == '-' || word.substr(j).starts_with("\xE2\x80\x90") ||
                   word.substr(j).starts_with("\xE2\x80\x91")
               ? '-'
               : '\'';
    i = j + sep;
  }
  return out;
}

} // namespace

std::uint32_t event_term_hash(std::string_view word) {
  const auto h = static_cast<std::uint32_t>(XXH3_64bits(word.data(), word.size()));
  return h == 0 ? 1 : h;
}

struct EventTermizer::Impl {
  sb_stemmer* stemmer = nullptr;
  std::unordered_set<std::string_view> stop;
  /// stem -> lexicon group index
  std::unordered_map<std::string, std::size_t> lexicon;
  /// A term: its text (a stem, a number, or a concept as "@deal"), hash, action bits.
  struct Term {
    std::string text;
    std::uint32_t hash = 0;
    std::uint16_t action = 0;
  };
  static constexpr std::uint32_t k_dropped = UINT32_MAX;
  /// A word seen before: the 64-bit hash of its lower-cased form and its term (an index
  /// into `terms`, k_dropped for a stop word). Open addressing, at most half full: a look-up
  /// is one probe into a flat array, not a walk over heap nodes.
  struct Seen {
    std::uint64_t key = 0; ///< 0: empty
    std::uint32_t term = 0;
  };
  std::vector<Seen> seen = std::vector<Seen>(1024);
  std::size_t seen_count = 0;
  std::vector<Term> terms;
  std::unordered_map<std::string, std::uint32_t> term_ids;

  Impl() {
    stemmer = sb_stemmer_new("english", "UTF_8");
    if (stemmer == nullptr) {
      throw std::bad_alloc();
    }
    for (std::string_view s = k_stop_words; !s.empty();) {
      const auto sp = s.find(' ');
      stop.insert(s.substr(0, sp));
      s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
    }
    for (std::size_t g = 0; g < std::size(k_lexicon); ++g) {
      for (std::string_view s = k_lexicon[g].words; !s.empty();) {
        const auto sp = s.find(' ');
        lexicon.emplace(stem(s.substr(0, sp)), g);
        s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
      }
    }
  }
  ~Impl() { sb_stemmer_delete(stemmer); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  std::string stem(std::string_view word) {
    const auto* s = sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                    static_cast<int>(word.size()));
    if (s == nullptr) {
      return std::string(word);
    }
    return {reinterpret_cast<const char*>(s), static_cast<std::size_t>(sb_stemmer_length(stemmer))};
  }

  /// Forgets every word seen once the cache is full (bounded memory). Only between items:
  /// a Weighted list holds indexes into `terms`.
  void trim() {
    if (seen_count < k_cache_limit) {
      return;
    }
    seen.assign(1024, Seen{});
    seen_count = 0;
    terms.clear();
    term_ids.clear();
  }

  /// The term of a lower-cased word (its stem or lexicon concept), or k_dropped.
  std::uint32_t term_of(const std::string& lower, bool digit) {
    auto key = XXH3_64bits(lower.data(), lower.size());
    key = key == 0 ? 1 : key;
    if (2 * (seen_count + 1) > seen.size()) {
      std::vector<Seen> old = std::move(seen);
      seen.assign(2 * old.size(), Seen{});
      for (const Seen& x : old) {
        std::size_t i = x.key & (seen.size() - 1);
        while (x.key != 0 && seen[i].key != 0) {
          i = (i + 1) & (seen.size() - 1);
        }
        if (x.key != 0) {
          seen[i] = x;
        }
      }
    }
    const std::size_t mask = seen.size() - 1;
    std::size_t i = key & mask;
    for (; seen[i].key != 0; i = (i + 1) & mask) {
      if (seen[i].key == key) {
        return seen[i].term;
      }
    }
    std::string term;
    std::string_view w = lower;
    if (w.ends_with("'s")) {
      w.remove_suffix(2);
    }
    if (stop.count(lower) == 0 && (w.size() >= 2 || digit)) {
      std::string bare(w);
      std::erase(bare, '\'');
      if (digit) {
        term = std::move(bare);
      } else {
        term = stem(bare);
        if (const auto g = lexicon.find(term); g != lexicon.end()) {
          term = k_lexicon[g->second].concept_name;
        }
      }
    }
    std::uint32_t id = k_dropped;
    if (!term.empty()) {
      const auto [it, added] = term_ids.emplace(term, static_cast<std::uint32_t>(terms.size()));
      if (added) {
        Term t{term, event_term_hash(term), 0};
        if (term.starts_with('@')) {
          for (const auto& g : k_lexicon) {
            if (term == g.concept_name) {
              t.action |= g.action;
            }
          }
        }
        terms.push_back(std::move(t));
      }
      id = it->second;
    }
    seen[i] = {key, id};
    ++seen_count;
    return id;
  }

  struct Weighted {
    std::uint32_t term = 0; ///< index into `terms`
    float weight = 0;
  };

  void add_field(std::string_view text,
                 float field_weight,
                 std::vector<Weighted>& out,
                 EventTerms* title) {
    const auto tokens = tokenize(text);
    std::size_t capitals = 0;
    for (const auto& t : tokens) {
      capitals += t.capital ? 1 : 0;
    }
    const bool title_case = capitals * 10 > tokens.size() * 6;
    for (const auto& t : tokens) {
      const std::uint32_t term = term_of(lower_word(t.text), t.digit);
      if (term == k_dropped) {
        continue;
      }
      const bool name = t.all_caps || (t.capital && !t.first && !title_case);
      const float w = field_weight * (t.digit || name ? k_name_boost : 1.0F);
      out.push_back({term, w}); // (repeats summed in weighted())
      if (title == nullptr) {
        continue;
      }
      if (t.digit) {
        title->title_numbers |= std::uint32_t{1} << (terms[term].hash % 32);
      }
      title->actions |= terms[term].action;
    }
  }

  std::vector<Weighted> weighted(const Entry& e, EventTerms* title) {
    trim();
    std::vector<Weighted> out;
    add_field(e.title, k_title_weight, out, title);
    const std::string lede =
        strip_tags(e.summary.empty() ? std::string_view(e.content) : e.summary, k_lede_bytes);
    add_field(lede, k_lede_weight, out, nullptr);
    // One entry per term, its weights summed (multiples of 0.5: exact in any order).
    std::sort(out.begin(), out.end(),
              [](const Weighted& a, const Weighted& b) { return a.term < b.term; });
    std::size_t n = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (n > 0 && out[n - 1].term == out[i].term) {
        out[n - 1].weight += out[i].weight;
      } else if (n++ != i) {
        out[n - 1] = out[i];
      }
    }
    out.resize(n);
    // The strongest terms; ties by term text so the choice never depends on input order.
    std::sort(out.begin(), out.end(), [&](const Weighted& a, const Weighted& b) {
      return a.weight != b.weight ? a.weight > b.weight : terms[a.term].text < terms[b.term].text;
    });
    if (out.size() > EventTerms::k_max_terms) {
      out.resize(EventTerms::k_max_terms);
    }
    return out;
  }
};

EventTermizer::EventTermizer() : m_impl(std::make_unique<Impl>()) {}
EventTermizer::~EventTermizer() = default;

EventTerms EventTermizer::terms(const Entry& entry) {
  EventTerms out;
  for (const auto& w : m_impl->weighted(entry, &out)) {
    out.terms.push_back({m_impl->terms[w.term].hash, w.weight});
  }
  std::sort(out.terms.begin(), out.terms.end(),
            [](const EventTerm& a, const EventTerm& b) { return a.hash < b.hash; });
  // Two terms with one 32-bit hash (rare): one term of their summed weight.
  for (std::size_t i = 1; i < out.terms.size();) {
    if (out.terms[i].hash == out.terms[i - 1].hash) {
      out.terms[i - 1].weight += out.terms[i].weight;
      out.terms.erase(out.terms.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  return out;
}

std::vector<std::uint32_t> EventTermizer::beat_terms() {
  std::vector<std::uint32_t> out;
  m_impl->trim();
  for (std::string_view s = k_beat_words; !s.empty();) {
    const auto sp = s.find(' ');
    const auto term = m_impl->term_of(std::string(s.substr(0, sp)), false);
    if (term != Impl::k_dropped) {
      out.push_back(m_impl->terms[term].hash);
    }
    s = sp == std::string_view::npos ? std::string_view() : s.substr(sp + 1);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::pair<std::uint32_t, std::string>> EventTermizer::words(const Entry& entry) {
  std::vector<std::pair<std::uint32_t, std::string>> out;
  for (const auto& w : m_impl->weighted(entry, nullptr)) {
    out.emplace_back(m_impl->terms[w.term].hash, m_impl->terms[w.term].text);
  }
  return out;
}

} // namespace reelfeed::dedup
