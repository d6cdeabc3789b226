// Atom 1.0 (RFC 4287) writer.
#include "render/render.hpp"

#include "render/prepared.hpp"
#include "render/text.hpp"
#include "render/xml_out.hpp"

namespace reelfeed::render {

namespace {

void add_link(pugi::xml_node parent,
              std::string_view rel,
              std::string_view href,
              std::string_view type = {},
              std::string_view title = {}) {
  pugi::xml_node l = parent.append_child("link");
  add_attr(l, "rel", rel);
  add_attr(l, "href", href);
  if (!type.empty()) {
    add_attr(l, "type", type);
  }
  if (!title.empty()) {
    add_attr(l, "title", title);
  }
}

void add_entry(pugi::xml_node feed, const Prepared& p) {
  pugi::xml_node e = feed.append_child("entry");
  add_attr(add_text(e, "title", p.title), "type", "text");
  add_text(e, "id", p.id);
  if (!p.link.empty()) {
    add_link(e, "alternate", p.link, "text/html");
  }
  // Every other sighting as a related link, so readers can offer "other sources".
  for (std::size_t i = 1; i < p.outlets.size(); ++i) {
    if (!p.outlets[i].link.empty() && p.outlets[i].link != p.link) {
      add_link(e, "related", p.outlets[i].link, "text/html", p.outlets[i].source);
    }
  }
  for (const Enclosure& enc : p.enclosures) {
    pugi::xml_node l = e.append_child("link");
    add_attr(l, "rel", "enclosure");
    add_attr(l, "href", enc.url);
    if (!enc.type.empty()) {
      add_attr(l, "type", enc.type);
    }
    if (enc.length) {
      add_attr(l, "length", std::to_string(*enc.length));
    }
  }
  add_text(e, "published", format_rfc3339(p.published));
  add_text(e, "updated", format_rfc3339(p.updated));
  if (!p.author.empty()) {
    add_text(e.append_child("author"), "name", p.author);
  }
  for (const std::string& c : p.categories) {
    add_attr(e.append_child("category"), "term", c);
  }
  if (!p.summary_html.empty()) {
    add_attr(add_text(e, "summary", p.summary_html), "type", "html");
  }
  // RFC 4287 4.1.1.1: an entry without an alternate link must have content.
  if (!p.content_html.empty() || p.link.empty()) {
    add_attr(add_text(e, "content", p.content_html), "type", "html");
  }
}

} // namespace

std::string atom(const FeedInfo& info, std::span<const Item> items) {
  return atom(info, std::span<const Prepared>(prepare_all(items)));
}

std::string atom(const FeedInfo& info, std::span<const Prepared> prepared) {
  pugi::xml_document doc;
  add_declaration(doc);
  pugi::xml_node feed = doc.append_child("feed");
  add_attr(feed, "xmlns", "http://www.w3.org/2005/Atom");
  add_attr(add_text(feed, "title", clean_text(info.title)), "type", "text");
  add_text(feed, "id", clean_text(info.id));
  if (!info.self_url.empty()) {
    add_link(feed, "self", clean_text(info.self_url), "application/atom+xml");
  }
  if (!info.hub.empty()) {
    add_link(feed, "hub", clean_text(info.hub), "");
  }
  if (!info.home_url.empty()) {
    add_link(feed, "alternate", clean_text(info.home_url), "text/html");
  }
  add_text(feed, "updated", format_rfc3339(feed_updated(info, prepared)));
  // A feed-level author makes entries without one valid (RFC 4287 4.1.1).
  add_text(feed.append_child("author"), "name", "reelfeed");
  add_attr(add_text(feed, "generator", "reelfeed"), "uri", "https://github.com/reelfeed/reelfeed");
  for (const Prepared& p : prepared) {
    add_entry(feed, p);
  }
  return to_string(doc);
}

} // namespace reelfeed::render
