#pragma once
// HTML from feeds is republished only after it went through an HTML5 parser (gumbo) and an
// allowlist: scripts, styles, frames, plugins, forms, event-handler attributes and
// non-http(s)/mailto URLs never reach a subscriber's reader.

#include <string>
#include <string_view>

namespace reelfeed::render {

/// Parses `html` as a fragment and re-serialises the allowed subset: ordinary markup
/// (p, a, img, lists, tables, emphasis, headings...) with a few safe attributes.
/// Elements that can run code or submit data are dropped with their content; unknown
/// elements are unwrapped (their text kept). Pure; never throws on bad input.
/// `base`, when an absolute http(s) URL (the article's link): relative href/src/cite
/// values are resolved against it (libcurl's URL API), because a reader resolves them
/// against the republished feed's address, where they point at nothing. A value that
/// cannot be resolved is dropped. Without a usable base, relative values stay as they are.
[[nodiscard]] std::string sanitize_html(std::string_view html, std::string_view base = {});

/// The text of an HTML fragment for a plain-text field: parsed as HTML (gumbo), what
/// sanitize_html drops with its content dropped, block boundaries a space, entities decoded,
/// whitespace runs collapsed to one space and trimmed (plain_text).
[[nodiscard]] std::string html_to_collapsed_text(std::string_view html);

/// True if `url` is safe to put in an href/src: relative, or http, https, mailto.
[[nodiscard]] bool safe_url(std::string_view url);

} // namespace reelfeed::render
