#pragma once
// Private to render/: what the HTML pages (story pages, the editor's review) share: the
// document head with its stylesheet and Content-Security-Policy, times, and the closing
// script that shows times in the reader's zone.

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "model/time.hpp"

namespace reelfeed::render::page {

/// Appends plain text (cleaned, whitespace collapsed) escaped for HTML text and attributes.
void text(std::string& out, std::string_view raw);

/// "<!DOCTYPE html>" up to and including "<body>": lang, charset, viewport, the policy,
/// the stylesheet and `title`. `head_extra` (already HTML) goes before </head>.
void open(std::string& out, std::string_view title, std::string_view head_extra = {});
/// The inline script and "</body></html>".
void close(std::string& out);

/// "<header>": the site's name (and `site_note`, HTML), the h1 `heading`, and, with two
/// topics or more, a "Topics" nav of (title, href) links, the one numbered `current` marked
/// as the current page. The caller closes the header.
void header(std::string& out,
            std::string_view site,
            std::string_view site_note,
            std::string_view heading,
            std::span<const std::pair<std::string, std::string>> topics,
            std::size_t current);

/// <time datetime="2026-11-28T04:10:00Z">28 Nov 2026, 04:10 UTC</time>: readable without
/// script; the closing script rewrites the text into the reader's zone and locale.
void time(std::string& out, Timestamp t);
/// "28 Nov 2026, 04:10 UTC".
[[nodiscard]] std::string readable_utc(Timestamp t);

/// The Content-Security-Policy every page carries (a <meta http-equiv>): only the page's
/// own stylesheet and script run; images may come from http(s) and data: URLs.
[[nodiscard]] std::string_view content_security_policy();

} // namespace reelfeed::render::page
