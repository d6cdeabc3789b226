#pragma once
// Internal to config/: the [[topic]] parser called by load.cpp.

#include <string>
#include <vector>

#include <toml++/toml.h>

#include "config/load.hpp"
#include "config/topics.hpp"

namespace reelfeed::config {

/// Parses the top-level `topic` node (may be null: then the topics are empty).
/// Every problem (unknown key, bad type, invalid RE2 regex, empty topic, reference to an
/// unknown concept) is appended to `errors` with `file`, the node's line/column and its key
/// path ("topic[0].concept[1].weight: ..."), as detail::Reader reports every other table.
void parse_topics(const toml::node* node,
                  const std::string& file,
                  std::vector<TopicConfig>& out,
                  std::vector<Error>& errors);

} // namespace reelfeed::config
