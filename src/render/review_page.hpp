#pragma once
// The editor's view of one topic (served only on the loopback review listener): stories
// of the last days that scored near the threshold, on either side, each with its score and
// the rule terms that fired; and stories a negative rule dropped, with that rule's name.
// `reelfeed explain` and `rules test` for a person in a browser. Same page frame, escaping
// and sanitising as the story pages (render/story_page.hpp). Pure; identical input,
// identical bytes.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/decision.hpp"
#include "render/prepared.hpp"

namespace reelfeed::render {

struct ReviewItem {
  Prepared story;
  std::int64_t id = 0; ///< Story::id
  Decision decision;
  /// What kept it out: "fiction-review (excluded by the rule)",
  /// "\"Kingdom Hearts\" (negative term of ai)".
  /// Empty: it is listed for its score alone.
  std::vector<std::string> dropped_by;
};

struct ReviewPageInfo {
  std::string site_title;
  std::string topic_name;
  std::string topic_title;
  std::string topic_page; ///< the topic's public story page ("/topics/NAME/")
  double threshold = 0;
  double margin = 0; ///< "near": |score - threshold| <= margin
  int days = 0;      ///< how far back the view looks
  /// Every topic's review page, (title, path), config order; `current` is this one's.
  std::vector<std::pair<std::string, std::string>> topics;
  std::size_t current = 0;
};

[[nodiscard]] std::string review_page(const ReviewPageInfo& info,
                                      std::span<const ReviewItem> items);

} // namespace reelfeed::render
