#pragma once
// Text hygiene shared by the writers: everything we republish came from hostile feeds.

#include <string>
#include <string_view>

namespace reelfeed::render {

/// Returns `in` as valid UTF-8 without characters XML 1.0 forbids (C0 controls other
/// than tab/LF/CR, U+FFFE/U+FFFF, surrogates). Invalid byte sequences become U+FFFD, so
/// the result is safe for both XML and JSON writers.
[[nodiscard]] std::string clean_text(std::string_view in);

/// clean_text() plus whitespace runs collapsed to one space and trimmed (titles, names).
[[nodiscard]] std::string plain_text(std::string_view in);

/// Escapes `in` for HTML text (`quote` also escapes '"' for attribute values).
void append_html_escaped(std::string& out, std::string_view in, bool quote);

/// `in` (valid UTF-8) cut to at most `max_bytes`: at a character boundary, at a word
/// boundary when there is one near the end, with "…" appended. `in` itself if it fits.
[[nodiscard]] std::string truncated(std::string in, std::size_t max_bytes);

} // namespace reelfeed::render
