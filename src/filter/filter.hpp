#pragma once
// Topic rules compiled from the config (RE2 for regexes, never std::regex on feed text),
// evaluated on the titles, summaries and categories of every outlet of a story, its
// representative's content and its sources' tags.
// Immutable after construction and thread-safe to evaluate.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/topics.hpp"
#include "model/decision.hpp"
#include "model/story.hpp"

namespace reelfeed::filter {

class Rules {
public:
  /// Throws std::invalid_argument if a topic does not compile (config/ validates first,
  /// so this only fires on a programming error).
  explicit Rules(const std::vector<config::TopicConfig>& topics);
  ~Rules();
  Rules(Rules&&) noexcept;
  Rules& operator=(Rules&&) noexcept;

  [[nodiscard]] std::vector<std::string> topic_names() const;
  /// Index of the topic called `name` in topic_names(), if any.
  [[nodiscard]] std::optional<std::size_t> find_topic(std::string_view name) const;
  /// The decision of topic number `topic` (index into topic_names()) for this story.
  /// Throws std::out_of_range for a bad index.
  [[nodiscard]] Decision evaluate(std::size_t topic, const Story& story) const;
  /// One decision per topic, in topic_names() order.
  [[nodiscard]] std::vector<Decision> evaluate_all(const Story& story) const;

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

/// A decision as text for `reelfeed explain` and `reelfeed rules test`: a headline
/// ("ai-hollywood: published, score 7.5 >= 3.0"), the reason, then one line per hit
/// (concept, field, weight, term). Ends with a newline.
[[nodiscard]] std::string format_decision(const Decision& d);

} // namespace reelfeed::filter
