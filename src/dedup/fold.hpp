#pragma once
// Private to src/dedup (and its tests): the text folding under titles and ledes.

#include <string>
#include <string_view>

namespace reelfeed::dedup {

/// Case-folded, accent-stripped NFKC text: letters and digits kept, apostrophes dropped
/// ("Studio's" == "Studios"), every other run one space; no space at either end. Invalid
/// UTF-8 falls back to ASCII lower-casing of the bytes. Pure, thread-safe.
std::string fold(std::string_view text);

/// Visible text of an HTML fragment, good enough for a lede's words: tags and entities
/// become spaces; stops once `limit` bytes are out (it may end mid-word). Pure.
std::string strip_tags(std::string_view html, std::size_t limit);

} // namespace reelfeed::dedup
