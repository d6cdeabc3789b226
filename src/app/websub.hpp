#pragma once
// Which published feeds a WebSub hub must hear about ([output] websub_hub).

#include <string>
#include <vector>

#include "serve/serve.hpp"

namespace reelfeed::app {

/// The absolute URLs (base_url + path) of the feeds (.atom, .rss, .json) of `next` whose
/// bytes are new: absent from `previous`, or not its Resource any more (make_snapshot keeps
/// an unchanged document's Resource). Every feed when `previous` is null (a start: what
/// changed while the daemon was down is unknown). Pages are not feeds: hubs are not told.
[[nodiscard]] std::vector<std::string> changed_feeds(const serve::Snapshot* previous,
                                                     const serve::Snapshot& next,
                                                     const std::string& base_url);

} // namespace reelfeed::app
