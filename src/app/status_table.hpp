#pragma once
// `reelfeed status`: one row per configured source. Pure formatting, for tests.

#include <string>
#include <vector>

#include "config/config.hpp"
#include "model/source_status.hpp"

namespace reelfeed::app {

/// "3m ago", "in 2h", "now", "-" (for tables a human reads).
[[nodiscard]] std::string relative_time(Timestamp t, Timestamp now);

/// Columns: SOURCE STATE LAST-SUCCESS HTTP BYTES ERRORS NEXT-POLL NOTE. Sources follow the
/// config's order; one never polled shows state "new"; a source disabled in the config
/// shows "disabled"; one healthy but answering with a permanent redirect not yet followed
/// for good shows "moving"; NOTE carries the (pending) moved-to URL or the last error.
[[nodiscard]] std::string format_status_table(const std::vector<config::SourceConfig>& sources,
                                              const std::vector<SourceStatus>& statuses,
                                              Timestamp now);

} // namespace reelfeed::app
