#pragma once
// A story: one or more entries (sightings of an item in a source) folded together,
// possibly across outlets. Read from store/, filtered by filter/, rendered by render/.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/entry.hpp"
#include "model/time.hpp"

namespace reelfeed {

/// One sighting of the story in one source.
struct Outlet {
  std::int64_t entry_id = 0;
  std::string source; ///< source name
  std::string title;
  std::string link;
  std::optional<Timestamp> published;
  /// What the filter reads of this sighting besides its title (see filter/README.md: a
  /// story is judged on the evidence of all its sightings). The full text (`content`) is
  /// the representative's only, on Story.
  std::string summary; ///< HTML
  std::vector<std::string> categories;
};

struct Story {
  std::int64_t id = 0; ///< stable for the story's life, never reused
  std::string uid;     ///< stable public id for <id>/<guid>, e.g. "urn:reelfeed:story:42"
  // The representative entry's fields (see store/ for the rule that picks it).
  std::string title;
  std::string link; ///< canonical URL of the representative entry
  std::string author;
  std::string summary; ///< HTML
  std::string content; ///< HTML
  std::vector<std::string> categories;
  std::vector<Enclosure> enclosures;
  Timestamp published{};                ///< first time any outlet published it (or first seen)
  Timestamp updated{};                  ///< moves only on a material change
  std::vector<Outlet> outlets;          ///< every sighting, representative first
  std::vector<std::string> source_tags; ///< union of the tags of the sources that carry it
};

} // namespace reelfeed
