#include "app/settings.hpp"

#include <algorithm>

namespace reelfeed::app {

namespace {
constexpr Seconds k_first_poll_spread{10};
} // namespace

fetch::Limits fetch_limits(const config::Config& config) {
  fetch::Limits limits;
  const config::PollConfig& p = config.poll;
  limits.max_concurrent = p.max_concurrent;
  limits.max_per_host = p.max_per_host;
  limits.max_redirects = p.max_redirects;
  limits.connect_timeout = p.connect_timeout;
  limits.timeout = p.timeout;
  limits.max_body_bytes = p.max_body_bytes;
  limits.user_agent = p.user_agent;
  limits.allow_private_redirects = p.allow_private_redirects;
  return limits;
}

sched::Policy poll_policy(const config::Config& config, const config::SourceConfig& source) {
  sched::Policy policy;
  policy.interval = source.interval.value_or(config.poll.interval);
  policy.min_interval = config.poll.min_interval;
  policy.max_interval = config.poll.max_interval;
  // A configured interval below the global floor is the user's explicit wish.
  if (policy.interval < policy.min_interval) {
    policy.min_interval = policy.interval;
  }
  if (policy.interval > policy.max_interval) {
    policy.max_interval = policy.interval;
  }
  return policy;
}

std::vector<store::SourceDef> source_defs(const config::Config& config) {
  std::vector<store::SourceDef> defs;
  defs.reserve(config.sources.size());
  for (const config::SourceConfig& s : config.sources) {
    defs.push_back(store::SourceDef{s.name, s.url, s.tags, s.enabled});
  }
  return defs;
}

store::ClusterOptions cluster_options(const config::Config& config) {
  return store::ClusterOptions{config.dedup.window, config.dedup.similarity,
                               config.dedup.event_similarity};
}

poll::PipelineOptions pipeline_options(const config::Config& config) {
  return poll::PipelineOptions{.db = config.storage.path,
                               .cluster = cluster_options(config),
                               .cache_bytes = config.storage.cache_bytes,
                               .fetch = fetch_limits(config)};
}

poll::PollSettings poll_settings(const config::Config& config,
                                 const config::SourceConfig& source,
                                 const sched::Policy& policy,
                                 std::shared_ptr<const filter::Rules> rules,
                                 std::uint64_t rules_fingerprint) {
  return poll::PollSettings{.policy = policy,
                            .utc_offset_minutes = source.utc_offset_minutes,
                            .encoding = source.encoding,
                            .rules = std::move(rules),
                            .rules_fingerprint = rules_fingerprint,
                            .tags = source.tags,
                            .window = config.output.max_age,
                            .max_items_per_fetch =
                                static_cast<std::size_t>(config.poll.max_items_per_fetch)};
}

std::string base_url(const config::Config& config, std::uint16_t bound_port) {
  std::string url = config.server.base_url;
  // With port 0 ("any free port", tests) the loader's default base URL names port 0; the
  // bound port is the real one.
  const std::string placeholder = ":0";
  if (config.server.port == 0 && url.size() >= placeholder.size() &&
      url.compare(url.size() - placeholder.size(), placeholder.size(), placeholder) == 0) {
    url.clear();
  }
  if (url.empty()) {
    url = "http://" + config.server.host + ":" + std::to_string(bound_port);
  }
  while (!url.empty() && url.back() == '/') {
    url.pop_back();
  }
  return url;
}

SourceStatus reconcile_status(const SourceStatus* stored,
                              const config::SourceConfig& source,
                              const sched::Policy& policy,
                              Timestamp now) {
  SourceStatus status;
  if (stored != nullptr) {
    status = *stored;
  } else {
    // A new source is polled soon (a user who adds one wants to see it), spread over a
    // short window so that a thousand new sources do not all start in the same second.
    sched::Policy first = policy;
    first.interval = std::min(policy.interval, k_first_poll_spread);
    status.next_due = sched::initial_due(source.name, now, first);
  }
  status.name = source.name;
  if (stored != nullptr && !stored->url.empty() && stored->url != source.url) {
    status.effective_url.clear();
    status.validators = {};
    status.pending_move_to.clear();
    status.pending_move_count = 0;
    status.error_count = 0;
    if (status.state == SourceState::moved || status.state == SourceState::gone) {
      status.state = SourceState::ok;
    }
    status.next_due = now;
  }
  status.url = source.url;
  return status;
}

} // namespace reelfeed::app
