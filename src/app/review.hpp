#pragma once
// The editor's view (render/review_page.hpp) of every topic, read from the stored
// decisions at publish time and served only on the loopback review listener
// ([server] review_listen): /topics/NAME/review.

#include <string>
#include <vector>

#include "config/config.hpp"
#include "serve/serve.hpp"
#include "store/store.hpp"

namespace reelfeed::app {

/// How many stories the view lists per topic (the newest); it looks as far back as the
/// feeds do ([output] max_age).
inline constexpr int k_review_limit = 200;

struct TopicReview {
  std::string name;
  std::string title;
  double threshold = 0;
  double margin = 0;
  std::vector<store::Reviewed> rows; ///< newest first
};

struct ReviewPlan {
  std::string site_title;
  int days = 0;                    ///< the window, [output] max_age
  std::vector<TopicReview> topics; ///< config order
};

/// "Near the threshold": within half the threshold of it, and at least 1.0.
[[nodiscard]] double review_margin(double threshold);

/// Reads what the view shows from the store (after the publish saved its decisions).
/// Store thread.
[[nodiscard]] ReviewPlan
review_from_store(store::Store& store, const config::Config& config, Timestamp now);

/// What kept a decision out, by name: "NAME (excluded by the rule)" for a negated concept
/// that fired, ""X" (negative term of CONCEPT)" for each negative term that matched.
/// Empty when it was published.
[[nodiscard]] std::vector<std::string> dropped_by(const Decision& decision);

/// /topics/NAME/review of every topic (rendered, gzipped). `previous`: as make_snapshot's.
[[nodiscard]] serve::Snapshot review_snapshot(const ReviewPlan& plan,
                                              const serve::Snapshot* previous = nullptr);

} // namespace reelfeed::app
