#pragma once
// Text preparation for matching: HTML -> text, Unicode NFKC, case folding, word tokens with
// possessives removed and a light plural stem. Pure functions / value types, thread-safe.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace reelfeed::filter {

/// Tags removed (replaced by a space; <script>/<style> bodies dropped), common entities
/// decoded. Cheap single pass; the result is only matched, never republished.
[[nodiscard]] std::string strip_html(std::string_view html);

/// NFKC + Unicode case folding (utf8proc); ASCII takes a fast path. Invalid UTF-8 is
/// returned as-is lower-cased byte-wise, so matching never fails.
[[nodiscard]] std::string fold(std::string_view text);

/// Removes a plural ending so that "studios"/"studio" and "celebrities"/"celebrity" meet.
/// Applied to both the pattern's and the text's words, so it only has to be consistent.
void stem_in_place(std::string& word);

/// Words of one or more segments (e.g. a title, or each category). Owns its storage.
class TokenList {
public:
  struct Token {
    std::uint32_t folded_off, folded_len; ///< case-folded stem
    std::uint32_t cased_off, cased_len;   ///< NFKC stem, case kept
    std::uint32_t segment;                ///< phrases never span segments
  };

  /// Appends the words of `text` (plain text, HTML already stripped) as a new segment.
  void add_segment(std::string_view text);
  void clear();

  [[nodiscard]] const std::vector<Token>& tokens() const { return m_tokens; }
  [[nodiscard]] std::string_view folded(const Token& t) const {
    return std::string_view(m_buf).substr(t.folded_off, t.folded_len);
  }
  [[nodiscard]] std::string_view cased(const Token& t) const {
    return std::string_view(m_buf).substr(t.cased_off, t.cased_len);
  }

private:
  void push_word(std::string_view word);
  std::vector<Token> m_tokens;
  std::string m_buf;
  std::string m_scratch;
  std::uint32_t m_segment = 0;
};

/// The words of a term, tokenised and stemmed like text: folded, or case kept when
/// `case_sensitive`.
[[nodiscard]] std::vector<std::string> term_words(std::string_view term, bool case_sensitive);

} // namespace reelfeed::filter
