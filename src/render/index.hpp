#pragma once
// The HTML page at the server's root ("/"): what a person sees at the feeds' home link
// (Atom rel="alternate", RSS <link>, JSON Feed home_page_url), and what browsers and feed
// readers use to discover the feeds (<link rel="alternate"> autodiscovery). Pure; never
// throws on bad input (only on allocation); identical input gives identical bytes.

#include <span>
#include <string>

namespace reelfeed::render {

struct IndexFeed {
  std::string title;     ///< e.g. the topic's title
  std::string name;      ///< e.g. the topic's name, shown next to the title
  std::string atom_path; ///< absolute paths on this server ("/feed.atom")
  std::string rss_path;
  std::string json_path;
  std::size_t items = 0;
};

/// An HTML5 page titled `title` listing every feed with links to its three formats; every
/// feed is also announced in <head> for autodiscovery, the first one first (readers that
/// take one feed from a page take the first).
[[nodiscard]] std::string index_html(const std::string& title, std::span<const IndexFeed> feeds);

} // namespace reelfeed::render
