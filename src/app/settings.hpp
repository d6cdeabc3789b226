#pragma once
// Translates the loaded Config into each stage's own option types, so that stages never
// see config/ and the mapping lives in one place. Pure.

#include <string>
#include <vector>

#include "config/config.hpp"
#include "fetch/fetch.hpp"
#include "model/source_status.hpp"
#include "poll/pipeline.hpp"
#include "sched/sched.hpp"
#include "store/store.hpp"

namespace reelfeed::app {

[[nodiscard]] fetch::Limits fetch_limits(const config::Config& config);
[[nodiscard]] sched::Policy poll_policy(const config::Config& config,
                                        const config::SourceConfig& source);
[[nodiscard]] std::vector<store::SourceDef> source_defs(const config::Config& config);
[[nodiscard]] store::ClusterOptions cluster_options(const config::Config& config);
[[nodiscard]] poll::PipelineOptions pipeline_options(const config::Config& config);
/// What one poll of `source` needs besides its status; `rules` (with their fingerprint)
/// decide its new entries at poll time.
[[nodiscard]] poll::PollSettings poll_settings(const config::Config& config,
                                               const config::SourceConfig& source,
                                               const sched::Policy& policy,
                                               std::shared_ptr<const filter::Rules> rules,
                                               std::uint64_t rules_fingerprint);

/// "http://HOST:PORT" unless [server] base_url is set (then without a trailing slash).
[[nodiscard]] std::string base_url(const config::Config& config, std::uint16_t bound_port);

/// The status a source starts from: the stored one when there is one, else a fresh status
/// due within the next 10 s (sched::initial_due over that window). When the config's URL differs
/// from the stored one, the user edited it: polling restarts from the new URL with no validators
/// and no pending move.
[[nodiscard]] SourceStatus reconcile_status(const SourceStatus* stored,
                                            const config::SourceConfig& source,
                                            const sched::Policy& policy,
                                            Timestamp now);

} // namespace reelfeed::app
