#pragma once
// Stories -> Atom 1.0, RSS 2.0, JSON Feed 1.1 documents. Pure functions with no shared
// state: safe to call from any thread; they never throw on bad input (only on allocation).
//
// What every writer guarantees:
// - ids: Story::uid (else "urn:reelfeed:story:<id>"), so an edited story is never "new";
//   RSS guid has isPermaLink="false".
// - dates: RFC 3339 (Atom, JSON) / RFC 822 (RSS) in UTC; published falls back to updated.
// - text is valid UTF-8 without XML-illegal characters (bad bytes become U+FFFD); titles
//   and names are plain text, escaped by the writer.
// - titles (the item's and each outlet's) are the clean headline: outlet decorations such
//   as "EXCLUSIVE: " or " | Variety" removed by dedup::undecorated(); a title that is
//   nothing but decoration is kept whole.
// - HTML (summary, content) goes through gumbo and an allowlist (render/sanitize.hpp):
//   script/style/iframe/object/embed/form/svg/math dropped, on* attributes dropped, only
//   relative, http(s) and mailto URLs kept; Atom uses type="html".
// - categories: Decision::topic, Decision::concepts_matched, then Story::categories,
//   de-duplicated in that order.
// - a summary or body over 256 KiB of HTML is not republished: a paragraph linking to the
//   article stands in (bounded documents, bounded publish cost).
// - a story with other outlets gets "<p>Also covered by: <a>Deadline</a>, ...</p>" after
//   its content (Atom also adds rel="related" links); JSON items carry
//   "_reelfeed": {"outlets": [{"source","link","title"}...], "topic", "score", "concepts"}.
// - identical input renders identical bytes (no "now" inside), so ETags stay stable.

#include <span>
#include <string>
#include <vector>

#include "model/decision.hpp"
#include "model/story.hpp"

namespace reelfeed::render {

/// The three document formats the writers below produce.
enum class DocFormat { atom, rss, json };

struct FeedInfo {
  std::string title;
  std::string id;       ///< stable feed id, e.g. "urn:reelfeed:topic:ai-hollywood"
  std::string self_url; ///< absolute URL of this document
  std::string home_url; ///< absolute URL of the server's root
  Timestamp updated{};  ///< newest story's updated time
  /// WebSub hub URL, or empty: Atom <link rel="hub">, RSS <atom:link rel="hub">, JSON Feed
  /// "hubs" (type "WebSub"), each after the self link.
  std::string hub = {};
};

struct Item {
  Story story;
  Decision decision; ///< topic + matched concepts become categories; may be empty (--all)
};

[[nodiscard]] std::string atom(const FeedInfo& info, std::span<const Item> items);
[[nodiscard]] std::string rss(const FeedInfo& info, std::span<const Item> items);
[[nodiscard]] std::string json_feed(const FeedInfo& info, std::span<const Item> items);

} // namespace reelfeed::render
