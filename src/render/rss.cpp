// RSS 2.0 writer with atom:link rel=self, content:encoded and dc:creator.
#include "render/render.hpp"

#include "render/prepared.hpp"
#include "render/text.hpp"
#include "render/xml_out.hpp"

namespace reelfeed::render {

namespace {

void add_item(pugi::xml_node channel, const Prepared& p) {
  pugi::xml_node it = channel.append_child("item");
  add_text(it, "title", p.title);
  if (!p.link.empty()) {
    add_text(it, "link", p.link);
  }
  // The uid is a URN, not a URL: readers must not treat it as the article's address.
  add_attr(add_text(it, "guid", p.id), "isPermaLink", "false");
  add_text(it, "pubDate", format_rfc1123(p.published));
  if (!p.author.empty()) {
    add_text(it, "dc:creator", p.author);
  }
  for (const std::string& c : p.categories) {
    add_text(it, "category", c);
  }
  // RSS allows one enclosure per item.
  if (!p.enclosures.empty()) {
    const Enclosure& enc = p.enclosures.front();
    pugi::xml_node n = it.append_child("enclosure");
    add_attr(n, "url", enc.url);
    add_attr(n, "length", std::to_string(enc.length.value_or(0)));
    add_attr(n, "type", enc.type.empty() ? "application/octet-stream" : enc.type);
  }
  const std::string& description = p.summary_html.empty() ? p.content_html : p.summary_html;
  if (!description.empty()) {
    add_text(it, "description", description);
  }
  if (!p.content_html.empty()) {
    add_text(it, "content:encoded", p.content_html);
  }
}

} // namespace

std::string rss(const FeedInfo& info, std::span<const Item> items) {
  return rss(info, std::span<const Prepared>(prepare_all(items)));
}

std::string rss(const FeedInfo& info, std::span<const Prepared> prepared) {
  pugi::xml_document doc;
  add_declaration(doc);
  pugi::xml_node root = doc.append_child("rss");
  add_attr(root, "version", "2.0");
  add_attr(root, "xmlns:atom", "http://www.w3.org/2005/Atom");
  add_attr(root, "xmlns:content", "http://purl.org/rss/1.0/modules/content/");
  add_attr(root, "xmlns:dc", "http://purl.org/dc/elements/1.1/");
  pugi::xml_node channel = root.append_child("channel");
  const std::string title = clean_text(info.title);
  add_text(channel, "title", title);
  add_text(channel, "link", clean_text(info.home_url.empty() ? info.self_url : info.home_url));
  add_text(channel, "description", title);
  if (!info.self_url.empty()) {
    pugi::xml_node self = channel.append_child("atom:link");
    add_attr(self, "href", clean_text(info.self_url));
    add_attr(self, "rel", "self");
    add_attr(self, "type", "application/rss+xml");
  }
  if (!info.hub.empty()) {
    pugi::xml_node hub = channel.append_child("atom:link");
    add_attr(hub, "href", clean_text(info.hub));
    add_attr(hub, "rel", "hub");
  }
  const std::string updated = format_rfc1123(feed_updated(info, prepared));
  add_text(channel, "lastBuildDate", updated);
  add_text(channel, "pubDate", updated);
  add_text(channel, "generator", "reelfeed");
  add_text(channel, "docs", "https://www.rssboard.org/rss-specification");
  for (const Prepared& p : prepared) {
    add_item(channel, p);
  }
  return to_string(doc);
}

} // namespace reelfeed::render
