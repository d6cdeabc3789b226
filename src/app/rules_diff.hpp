#pragma once
// `reelfeed rules test`: what the edited rules would change in the output, compared with
// the decisions stored by the running rules.

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "app/publish.hpp"
#include "store/store.hpp"

namespace reelfeed::app {

/// (story id, topic) -> published, as stored.
using StoredDecisions = std::map<std::pair<std::int64_t, std::string>, bool>;

/// Reads the stored decision of every story (through Store::explain, which reports them).
[[nodiscard]] StoredDecisions stored_decisions(store::Store& store,
                                               const std::vector<Story>& stories);

struct RulesChange {
  std::string topic;
  bool enters = false; ///< false: leaves
  std::int64_t story_id = 0;
  std::string title;
  std::string source; ///< representative outlet
  std::string reason; ///< the new decision's reason
};

struct RulesDiff {
  std::vector<std::string> topics; ///< new rules' topics, in order
  std::map<std::string, std::size_t> published_before;
  std::map<std::string, std::size_t> published_after;
  std::vector<RulesChange> changes; ///< per topic, newest story first
};

/// Pure: the plan of the new rules over `stories` against `before`. A story with no stored
/// decision counts as not published before; a topic that disappeared makes its stories leave.
[[nodiscard]] RulesDiff diff_rules(const PublishPlan& plan,
                                   const std::vector<Story>& stories,
                                   const StoredDecisions& before);

[[nodiscard]] std::string
format_rules_diff(const RulesDiff& diff, std::size_t stories, const std::string& config_name);

} // namespace reelfeed::app
