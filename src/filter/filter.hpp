#pragma once
// Topic rules compiled from the config (RE2 for regexes, never std::regex on feed text),
// evaluated on a story's title, summary, content, categories and its sources' tags.
// Immutable after construction and thread-safe to evaluate.

#include <memory>
#include <string>
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
  /// The decision of topic number `topic` (index into topic_names()) for this story.
  [[nodiscard]] Decision evaluate(std::size_t topic, const Story& story) const;

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
};

} // namespace reelfeed::filter
