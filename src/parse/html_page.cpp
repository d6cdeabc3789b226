// An HTML page where a feed was expected, most often a site's address pasted as a source.
// The error then names the feeds the page advertises (<link rel="alternate"
// type="application/rss+xml" href=...>, what browsers and Miniflux discover feeds by), so
// that the user can put the right URL in the config. Runs only once parsing has failed.
#include <gumbo.h>

#include <algorithm>
#include <memory>

#include "parse/detail.hpp"
#include "util/ascii.hpp"

namespace reelfeed::parse::detail {
namespace {

bool is_feed_type(std::string_view type) {
  const std::string t =
      util::ascii_lower(util::trim_ascii_whitespace(type.substr(0, type.find(';'))));
  return t == "application/rss+xml" || t == "application/atom+xml" ||
         t == "application/feed+json" || t == "application/rdf+xml";
}

bool has_alternate(std::string_view rel) {
  const std::string r = util::ascii_lower(rel);
  std::string_view rest = r;
  while (!rest.empty()) {
    const std::size_t space = rest.find_first_of(" \t\n\r\f");
    if (rest.substr(0, space) == "alternate") {
      return true;
    }
    rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
  }
  return false;
}

void collect(const GumboNode* node,
             std::string_view base_url,
             std::vector<std::string>& out,
             int depth) {
  // Depth-bounded: a hostile page nests elements without end, and its feed links are near the
  // top (in <head>) anyway.
  if (node->type != GUMBO_NODE_ELEMENT || depth > 64) {
    return;
  }
  const GumboElement& el = node->v.element;
  if (el.tag == GUMBO_TAG_LINK) {
    const GumboAttribute* rel = gumbo_get_attribute(&el.attributes, "rel");
    const GumboAttribute* type = gumbo_get_attribute(&el.attributes, "type");
    const GumboAttribute* href = gumbo_get_attribute(&el.attributes, "href");
    if (rel != nullptr && type != nullptr && href != nullptr && has_alternate(rel->value) &&
        is_feed_type(type->value) && !util::trim_ascii_whitespace(href->value).empty()) {
      std::string url = urljoin(base_url, util::trim_ascii_whitespace(href->value));
      if (std::find(out.begin(), out.end(), url) == out.end()) {
        out.push_back(std::move(url));
      }
    }
  }
  for (unsigned i = 0; i < el.children.length; ++i) {
    collect(static_cast<const GumboNode*>(el.children.data[i]), base_url, out, depth + 1);
  }
}

} // namespace

bool is_html_page(std::string_view bytes) {
  const std::string head = util::ascii_lower(bytes.substr(0, 1024));
  return head.find("<!doctype html") != std::string::npos ||
         head.find("<html") != std::string::npos;
}

std::vector<std::string> advertised_feeds(std::string_view html, std::string_view base_url) {
  // Feed links live in <head>: only that much (at most 32 KB) goes to gumbo, which keeps its
  // time and its tree depth small on a page of any size.
  html = html.substr(0, std::size_t{32} * 1024);
  if (const std::size_t end = util::ascii_lower(html).find("</head"); end != std::string::npos) {
    html = html.substr(0, end);
  }
  const std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> doc(
      gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  std::vector<std::string> out;
  if (doc) {
    collect(doc->root, base_url, out, 0);
  }
  return out;
}

std::string html_page_error(std::string_view bytes, std::string_view base_url) {
  const std::vector<std::string> feeds = advertised_feeds(bytes, base_url);
  if (feeds.empty()) {
    return "an HTML page that names no feed (no <link rel=alternate> to a feed in its head)";
  }
  std::string msg = feeds.size() == 1 ? "an HTML page, which names a feed at "
                                      : "an HTML page, which names these feeds: ";
  constexpr std::size_t k_shown = 3;
  for (std::size_t i = 0; i < std::min(feeds.size(), k_shown); ++i) {
    msg += i == 0 ? "" : ", ";
    msg += feeds[i];
  }
  if (feeds.size() > k_shown) {
    msg += " and " + std::to_string(feeds.size() - k_shown) + " more";
  }
  msg += "; put one in the source's url";
  return msg;
}

} // namespace reelfeed::parse::detail
