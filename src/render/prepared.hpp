#pragma once
// What all three writers need from an Item, computed once: cleaned text, sanitised HTML,
// the "Also covered by" paragraph, categories and the dates to publish.
//
// Preparing (gumbo parses and sanitises every summary and body) is most of a document's
// cost, so a publish prepares each topic's items once and writes the three formats from
// the same Prepared values. Pure functions, like render.hpp's; the writers below produce
// exactly the bytes of their Item overloads for prepare_all() of the same items.

#include <span>
#include <string>
#include <vector>

#include "model/time.hpp"
#include "render/render.hpp"

namespace reelfeed::render {

struct PreparedOutlet {
  std::string source;
  std::string link;
  std::string title; ///< the outlet's headline, plain text without decorations
};

struct Prepared {
  std::string id;           ///< Story::uid, or urn:reelfeed:story:<id> when it is empty
  std::string title;        ///< plain text, outlet decorations removed (dedup::undecorated)
  std::string link;         ///< safe URL or empty
  std::string author;       ///< plain text; the representative outlet's name as fallback
  std::string summary_html; ///< sanitised
  std::string summary_text; ///< plain text of the summary
  std::string content_html; ///< sanitised content (or summary) + "Also covered by" paragraph
  std::vector<std::string> categories; ///< topic, matched concepts, story categories; unique
  std::vector<PreparedOutlet> outlets; ///< every sighting, representative first
  std::vector<Enclosure> enclosures;   ///< only those with safe URLs
  Timestamp published{};
  Timestamp updated{}; ///< never before published
  std::string topic;
  double score = 0;
  std::vector<std::string> concepts;
};

[[nodiscard]] Prepared prepare(const Item& item);
/// prepare() of every item, in order (what each document writer starts from).
[[nodiscard]] std::vector<Prepared> prepare_all(std::span<const Item> items);

/// The feed's updated time: info.updated, else the newest item's, else the epoch.
[[nodiscard]] Timestamp feed_updated(const FeedInfo& info, std::span<const Prepared> items);

/// The writers of render.hpp, from items prepared already (render.hpp's guarantees hold).
[[nodiscard]] std::string atom(const FeedInfo& info, std::span<const Prepared> items);
[[nodiscard]] std::string rss(const FeedInfo& info, std::span<const Prepared> items);
[[nodiscard]] std::string json_feed(const FeedInfo& info, std::span<const Prepared> items);

} // namespace reelfeed::render
