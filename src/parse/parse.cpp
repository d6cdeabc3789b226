// Entry point: JSON or XML by content, then the encoding pipeline for XML.
#include "parse/parse.hpp"

#include "parse/detail.hpp"

namespace reelfeed::parse {

Feed parse_feed(std::string_view bytes, const Options& options) {
  std::string_view head = bytes.substr(0, 64);
  if (head.substr(0, 3) == "\xEF\xBB\xBF") {
    head.remove_prefix(3);
  }
  head = util::trim_ascii_whitespace(head);
  if (!head.empty() && head.front() == '{') {
    return detail::parse_json(bytes, options.missing_zone_minutes);
  }
  if (util::trim_ascii_whitespace(bytes).empty()) {
    throw Error("empty document");
  }
  std::vector<std::string> warnings;
  detail::Decoded dec = detail::decode_xml(bytes, options.content_type, warnings, options.encoding);
  const std::string_view text =
      dec.borrowed ? bytes.substr(dec.offset) : std::string_view(dec.text);
  try {
    return detail::parse_xml(text, dec.utf8, options, std::move(warnings), dec.scratch.get(),
                             dec.scan);
  } catch (const Error&) {
    if (detail::is_html_page(text)) { // a site's address given for its feed's
      throw Error(detail::html_page_error(text, options.base_url));
    }
    throw;
  }
}

} // namespace reelfeed::parse
