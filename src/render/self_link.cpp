#include "render/self_link.hpp"

#include "render/text.hpp"
#include "render/xml_out.hpp"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace reelfeed::render {

namespace {

/// Where the self URL's value is in `doc`, as the writer escaped it.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

[[noreturn]] void no_self_link() {
  throw std::invalid_argument("with_self_url: the document has no self link");
}

/// The attribute value after `prefix` (its first occurrence), up to the closing quote.
/// The writers put the self link before any item, and escaped text never contains '<'
/// or '"', so the first occurrence is the feed's own link, not an item's text.
Span xml_value(std::string_view doc, std::string_view prefix, std::string_view suffix) {
  const std::size_t at = doc.find(prefix);
  if (at == std::string_view::npos) {
    no_self_link();
  }
  const std::size_t begin = at + prefix.size();
  const std::size_t end = doc.find('"', begin);
  if (end == std::string_view::npos || doc.substr(end, suffix.size()) != suffix) {
    no_self_link();
  }
  return {begin, end};
}

/// The JSON string token (quotes included) that is the value of the top-level "feed_url".
/// A string value escapes every '"' it holds, so the key pattern cannot match inside one.
Span json_value(std::string_view doc) {
  constexpr std::string_view k_key = "\"feed_url\": \"";
  const std::size_t at = doc.find(k_key);
  if (at == std::string_view::npos) {
    no_self_link();
  }
  const std::size_t begin = at + k_key.size() - 1;
  for (std::size_t i = begin + 1; i < doc.size(); ++i) {
    if (doc[i] == '\\') {
      ++i;
    } else if (doc[i] == '"') {
      return {begin, i + 1};
    }
  }
  no_self_link();
}

/// `value` escaped for a double-quoted attribute exactly as the XML writers' pugixml does
/// it, by letting pugixml write it (a few hundred bytes, once per variant).
std::string xml_attr_escaped(std::string_view value) {
  pugi::xml_document doc;
  add_attr(doc.append_child("a"), "v", value);
  struct Writer : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override {
      out.append(static_cast<const char*>(data), size);
    }
  } writer;
  doc.save(writer, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  const std::size_t open = writer.out.find('"');
  const std::size_t close = writer.out.rfind('"');
  return writer.out.substr(open + 1, close - open - 1);
}

/// `value` as the JSON Feed writer dumps a string (same library, same error handler).
std::string json_string(std::string_view value) {
  return nlohmann::ordered_json(std::string(value))
      .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

} // namespace

std::string with_self_url(DocFormat format, std::string_view doc, std::string_view self_url) {
  if (self_url.empty()) {
    throw std::invalid_argument("with_self_url: empty self URL");
  }
  const std::string clean = clean_text(self_url);
  Span span;
  std::string value;
  switch (format) {
  case DocFormat::atom:
    span = xml_value(doc, "<link rel=\"self\" href=\"", "\" type=\"application/atom+xml\"");
    value = xml_attr_escaped(clean);
    break;
  case DocFormat::rss:
    span = xml_value(doc, "<atom:link href=\"", "\" rel=\"self\"");
    value = xml_attr_escaped(clean);
    break;
  case DocFormat::json:
    span = json_value(doc);
    value = json_string(clean);
    break;
  }
  std::string out;
  out.reserve(doc.size() - (span.end - span.begin) + value.size());
  out.append(doc.substr(0, span.begin));
  out += value;
  out.append(doc.substr(span.end));
  return out;
}

} // namespace reelfeed::render
