#pragma once
// Internal helpers of the parse stage (not part of the public API). All functions are pure.

#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/entry.hpp"
#include "parse/parse.hpp"
#include "util/trim.hpp"

namespace reelfeed::parse::detail {

/// s == lit with the literal's length known at compile time, so the compare is inlined
/// (string_view == "..." calls memcmp with a run-time length: 3% of parse time, profiled).
template <std::size_t N> inline bool is(std::string_view s, const char (&lit)[N]) {
  return s.size() == N - 1 && std::memcmp(s.data(), lit, N - 1) == 0;
}

// ---- text.cpp: feedparser's text rules -------------------------------------------------
/// Appends the UTF-8 encoding of code point cp.
void append_utf8(std::string& out, char32_t cp);
/// Code point of an HTML 4 named entity (the set feedparser knows), or 0.
char32_t html_entity(std::string_view name);
/// Python str.split()-join: runs of Unicode whitespace -> one space, trimmed.
std::string collapse_ws(std::string_view s);
/// True when collapse_ws(s) == s for sure: printable ASCII words joined by single spaces.
bool is_collapsed(std::string_view s);
/// HTML-typed title -> text as feedparser gives it: tags removed (no space), script/style
/// dropped, entities decoded, whitespace kept (the conformance oracle's contract).
std::string feedparser_html_to_text(std::string_view s);
/// feedparser's looks_like_html for plain-text values of non-Atom feeds.
bool looks_like_html(std::string_view s);
/// "&" "<" ">" escaped (Python html.escape(quote=False) / saxutils.escape).
std::string html_escape(std::string_view s);
void html_escape_append(std::string& out, std::string_view s);
/// Undo double encoding: a value of only U+0000-U+00FF whose bytes are valid UTF-8.
/// `ascii`: a length of s known to be ASCII (ascii_len(s), or 0), so it is not scanned again.
void repair_mojibake(std::string& s, std::size_t ascii = 0);
/// U+0080-U+009F -> their windows-1252 characters.
void map_cp1252(std::string& s, std::size_t ascii = 0);
/// An enclosure length: all digits (surrounding whitespace allowed), else nullopt.
std::optional<std::int64_t> parse_length(std::string_view s);
/// Length of the leading part of s that is ASCII.
std::size_t ascii_len(std::string_view s);
/// Decode invalid UTF-8 sequences to U+FFFD (so every output is valid UTF-8).
bool valid_utf8(std::string_view s);
/// Length of the valid UTF-8 sequence at p[0] (a byte >= 0x80; n bytes readable), or 0.
std::size_t utf8_seq_len(const unsigned char* p, std::size_t n);

// ---- date_fast.cpp -----------------------------------------------------------------------
/// Python datetime(y, mo, d, h, mi, s) - offset, with datetime's range checks.
std::optional<Timestamp> make_utc(std::int64_t y,
                                  std::int64_t mo,
                                  std::int64_t d,
                                  std::int64_t h,
                                  std::int64_t mi,
                                  std::int64_t s,
                                  std::int64_t offset_minutes);
/// The exact RFC 822 and W3C-DTF layouts most feeds use. handled=false: not one of them,
/// use the general chain; handled=true: the result (nullopt for an impossible date).
std::optional<Timestamp> fast_date(std::string_view s, bool& handled);

// ---- url.cpp ---------------------------------------------------------------------------
/// Python urllib.parse.urljoin after feedparser's "scheme:///x" -> "scheme://x" fix.
std::string urljoin(std::string_view base, std::string_view ref);
/// True when urljoin(base, ref) == ref for sure (an absolute http(s) link needing no
/// normalisation): callers holding ref in a string keep it instead of copying it.
bool urljoin_keeps(std::string_view base, std::string_view ref);
/// An absolute http(s) reference that urljoin returns unchanged whatever the base, unless
/// the base has brackets (url_has_bracket): most feed links. Checked without splitting.
bool url_plain_absolute(std::string_view ref);
/// The base part of urljoin_keeps: '[' or ']' anywhere in s.
bool url_has_bracket(std::string_view s);
/// feedparser's make_safe_absolute_uri: "" when the result has an unacceptable scheme.
std::string safe_absolute_uri(std::string_view base, std::string_view ref);

// ---- prescan.cpp -----------------------------------------------------------------------
struct Scan {
  bool valid_utf8 = true; ///< false: the copy stopped early and is unusable
  bool has_nul = false;
  bool bad_amp = false; ///< an '&' outside CDATA starts no XML reference
};
/// Copies in to out (in.size() bytes) while checking what valid_utf8 and the text part of
/// needs_repair check, in one pass instead of three (plus pugixml's own copy of the bytes).
Scan copy_scan(std::string_view in, char* out);

// ---- encoding.cpp ----------------------------------------------------------------------
struct Decoded {
  std::string text;       ///< UTF-8, BOM removed
  bool utf8 = true;       ///< the document's encoding was UTF-8 (enables mojibake repair)
  bool borrowed = false;  ///< text is empty: the input from `offset` on is valid UTF-8
  std::size_t offset = 0; ///< bytes of BOM to skip when borrowed
  /// When borrowed: a copy of the borrowed bytes pugixml may parse in place (it saves the
  /// copy load_buffer would make), and what copy_scan saw while making it.
  std::unique_ptr<char[]> scratch;
  Scan scan;
};
/// Bytes -> UTF-8 by BOM, HTTP charset (content_type), XML declaration (RFC 7303 order),
/// then feedparser's fallbacks (utf-8, windows-1252, iso-8859-2). `forced` (a source's
/// encoding) takes the place of the HTTP charset and the declaration; a BOM still wins.
Decoded decode_xml(std::string_view bytes,
                   std::string_view content_type,
                   std::vector<std::string>& warnings,
                   std::string_view forced = {});

// ---- repair.cpp ------------------------------------------------------------------------
/// Makes common breakage well-formed enough for pugixml: undefined HTML entities become
/// character references, bare '&' becomes "&amp;", XML-invalid control characters are
/// dropped, junk before the first '<' is removed. Returns false (and leaves out untouched)
/// when nothing needed fixing.
bool repair_xml(std::string_view in, std::string& out, std::vector<std::string>& warnings);
/// Cheap pre-check (memchr speed): false when the document has nothing repair_xml would
/// fix before pugixml sees it. Structural errors are caught by pugixml itself afterwards.
bool needs_repair(std::string_view in);
/// The part of needs_repair that is not about text bytes: junk before the first '<' or a
/// DTD internal subset (what remains to check once copy_scan found the text clean).
bool needs_repair_outside_text(std::string_view in);
/// Length of a valid XML reference at s[i] == '&' (including ';'), or 0.
std::size_t xml_ref_len(std::string_view s, std::size_t i);
/// CDATA sections located so far by stray_amp (positions only grow).
struct CdataState {
  std::size_t scan = 0;  ///< CDATA structure is known up to here
  std::size_t until = 0; ///< '&' before this sit in the last CDATA section found
};
/// needs_repair's verdict on an '&' at a >= cdata.until that starts no reference: true
/// unless it sits in a (closed) CDATA section.
bool stray_amp(std::string_view in, std::size_t a, CdataState& cdata);

// ---- xml_feed.cpp / json_feed_reader.cpp ----------------------------------------------
/// `inplace`: a mutable copy of utf8 (or nullptr) that pugixml may parse in place, with
/// `scan` its copy_scan result; utf8 itself stays intact for the repair passes.
Feed parse_xml(std::string_view utf8,
               bool doc_utf8,
               const Options& options,
               std::vector<std::string> warnings,
               char* inplace = nullptr,
               const Scan& scan = {});
Feed parse_json(std::string_view bytes, int missing_zone_minutes);

// ---- html_page.cpp ---------------------------------------------------------------------
/// A doctype or <html> tag in the first KB.
bool is_html_page(std::string_view bytes);
/// The feeds a page's <link rel="alternate" type="application/rss+xml"...> name, resolved
/// against base_url, in page order, without repeats.
std::vector<std::string> advertised_feeds(std::string_view html, std::string_view base_url);
/// The Error message for an HTML page: the feeds it names, or that it names none.
std::string html_page_error(std::string_view bytes, std::string_view base_url);

} // namespace reelfeed::parse::detail
