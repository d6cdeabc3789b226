#pragma once
// The HTML pages a person reads: each topic's recent stories, newest first (the river of
// news), at "/" for the first topic and at "/topics/NAME/" for every topic. Written at
// publish time from the same Prepared items as the feeds (so escaped and sanitised exactly
// as they are), in pages of k_stories_per_page; a page after the first is addressed
// "?before=ID", ID being the story id of the previous page's last story.
//
// What a page shows: per story the clean headline linking to the founding outlet, the time
// as <time datetime> (readable UTC text; a small inline script rewrites it into the
// reader's zone), the sanitised summary, every outlet that covered it with its own
// headline, and the concepts that matched. Also every topic's feeds, linked and announced
// for autodiscovery (this page's topic first). No script is needed to read it; an inline
// stylesheet suits phones and dark mode; a Content-Security-Policy allows only that
// stylesheet and script, so markup that got past the sanitiser still cannot run.
// Pure; never throws on bad input (only on allocation); identical input, identical bytes.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "render/prepared.hpp"

namespace reelfeed::render {

inline constexpr std::size_t k_stories_per_page = 25;

/// A topic as the pages list it.
struct PageTopic {
  std::string name;
  std::string title;
  std::string page_path; ///< its story page ("/" for the first topic, else "/topics/NAME/")
  std::string atom_path; ///< absolute paths on this server ("/feed.atom")
  std::string rss_path;
  std::string json_path;
  std::size_t items = 0;
};

struct StoryPageInfo {
  std::string site_title;        ///< [output] title
  std::vector<PageTopic> topics; ///< every topic, config order
  std::size_t current = 0;       ///< index in `topics` of the topic these pages show
  std::string path;              ///< where the pages are served: "/" or "/topics/NAME/"
};

/// One page, served at info.path + query.
struct StoryPageDoc {
  std::string query; ///< "" for the first page, else "?before=ID"
  /// Other queries that are answered with this page: "?before=X" for every story X whose
  /// successor is on it, so a link made before new stories shifted the pages still shows
  /// what came after X (with a few stories of overlap), never a 404.
  std::vector<std::string> aliases;
  std::string html;
  Timestamp updated{}; ///< newest story's updated time on the page
};

/// Every page of `items` (newest first; `ids` parallel: Story::id of each). At least one
/// page, even without items.
[[nodiscard]] std::vector<StoryPageDoc> story_pages(const StoryPageInfo& info,
                                                    std::span<const Prepared> items,
                                                    std::span<const std::int64_t> ids,
                                                    std::size_t per_page = k_stories_per_page);

} // namespace reelfeed::render
