// JSON Feed 1.1 writer, with a `_reelfeed` extension object per item.
#include "render/render.hpp"

#include "render/prepared.hpp"
#include "render/text.hpp"

#include <nlohmann/json.hpp>

namespace reelfeed::render {

namespace {

// Insertion order, so "version" comes first: some readers sniff it from the first bytes.
using json = nlohmann::ordered_json;

json item_json(const Prepared& p) {
  json it = json::object();
  it["id"] = p.id;
  if (!p.link.empty()) {
    it["url"] = p.link;
  }
  it["title"] = p.title;
  if (!p.content_html.empty()) {
    it["content_html"] = p.content_html;
  } else {
    it["content_text"] = p.summary_text;
  }
  if (!p.summary_text.empty()) {
    it["summary"] = p.summary_text;
  }
  it["date_published"] = format_rfc3339(p.published);
  it["date_modified"] = format_rfc3339(p.updated);
  if (!p.author.empty()) {
    it["authors"] = json::array({json{{"name", p.author}}});
  }
  if (!p.categories.empty()) {
    it["tags"] = p.categories;
  }
  if (!p.enclosures.empty()) {
    json attachments = json::array();
    for (const Enclosure& e : p.enclosures) {
      json a{{"url", e.url}, {"mime_type", e.type.empty() ? "application/octet-stream" : e.type}};
      if (e.length) {
        a["size_in_bytes"] = *e.length;
      }
      attachments.push_back(std::move(a));
    }
    it["attachments"] = std::move(attachments);
  }
  // The filter's CI gate maps output items back to labelled inputs through these links,
  // so every sighting is listed, the representative first.
  json outlets = json::array();
  for (const PreparedOutlet& o : p.outlets) {
    outlets.push_back(json{{"source", o.source}, {"link", o.link}, {"title", o.title}});
  }
  it["_reelfeed"] = json{{"outlets", std::move(outlets)},
                         {"topic", p.topic},
                         {"score", p.score},
                         {"concepts", p.concepts}};
  return it;
}

} // namespace

std::string json_feed(const FeedInfo& info, std::span<const Item> items) {
  return json_feed(info, std::span<const Prepared>(prepare_all(items)));
}

std::string json_feed(const FeedInfo& info, std::span<const Prepared> prepared) {
  json feed = json::object();
  feed["version"] = "https://jsonfeed.org/version/1.1";
  feed["title"] = clean_text(info.title);
  if (!info.home_url.empty()) {
    feed["home_page_url"] = clean_text(info.home_url);
  }
  if (!info.self_url.empty()) {
    feed["feed_url"] = clean_text(info.self_url);
  }
  if (!info.hub.empty()) {
    feed["hubs"] = json::array({json{{"type", "WebSub"}, {"url", clean_text(info.hub)}}});
  }
  feed["description"] = clean_text(info.title);
  feed["authors"] = json::array({json{{"name", "reelfeed"}}});
  feed["_reelfeed"] = json{{"id", clean_text(info.id)},
                           {"updated", format_rfc3339(feed_updated(info, prepared))},
                           {"generator", "reelfeed"}};
  json list = json::array();
  for (const Prepared& p : prepared) {
    list.push_back(item_json(p));
  }
  feed["items"] = std::move(list);
  // Text was cleaned to valid UTF-8 already; `replace` is a second line of defence.
  return feed.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

} // namespace reelfeed::render
