#pragma once
// /metrics: the daemon's per-source health in Prometheus' text format (version 0.0.4), so
// that the dashboards and alerts self-hosters already run can watch every feed. Pure.

#include <cstddef>
#include <optional>
#include <span>
#include <string>

#include "model/source_status.hpp"
#include "model/time.hpp"

namespace reelfeed::app {

/// What the last publish served.
struct PublishFigures {
  std::size_t stories = 0;   ///< stories in the store
  std::size_t published = 0; ///< items in the published feeds
  std::optional<Timestamp> at;
};

inline constexpr const char* k_metrics_content_type = "text/plain; version=0.0.4; charset=utf-8";

/// One gauge family per figure; per-source families carry a `source` label (the source's
/// name, escaped as the format requires).
[[nodiscard]] std::string format_metrics(std::span<const SourceStatus> sources,
                                         const PublishFigures& publish);

} // namespace reelfeed::app
