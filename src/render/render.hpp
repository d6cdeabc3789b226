#pragma once
// Stories -> Atom 1.0, RSS 2.0, JSON Feed 1.1 documents. Pure; HTML in summaries and
// content is sanitised (no script, no event handlers) before it is republished.

#include <span>
#include <string>
#include <vector>

#include "model/decision.hpp"
#include "model/story.hpp"

namespace reelfeed::render {

struct FeedInfo {
  std::string title;
  std::string id;       ///< stable feed id, e.g. "urn:reelfeed:topic:ai-hollywood"
  std::string self_url; ///< absolute URL of this document
  std::string home_url; ///< absolute URL of the server's root
  Timestamp updated{};  ///< newest story's updated time
};

struct Item {
  Story story;
  Decision decision; ///< topic + matched concepts become categories; may be empty (--all)
};

[[nodiscard]] std::string atom(const FeedInfo& info, std::span<const Item> items);
[[nodiscard]] std::string rss(const FeedInfo& info, std::span<const Item> items);
[[nodiscard]] std::string json_feed(const FeedInfo& info, std::span<const Item> items);

} // namespace reelfeed::render
