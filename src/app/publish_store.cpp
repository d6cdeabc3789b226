// Publishing from what changed: the store queues every story that changes; a publish
// evaluates only those (in bounded batches) and saves their decisions, then reads each
// topic's output through the stored decisions. Its cost follows the news, not the window.

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <unordered_set>
#include <utility>

#include <xxhash.h>

#include "app/publish.hpp"

namespace reelfeed::app {

namespace {

/// Appends `v` with its length, so that no two different inputs write the same bytes.
void put(std::string& out, std::string_view v) {
  out += std::to_string(v.size());
  out += ':';
  out += v;
  out += ';';
}

void put(std::string& out, double v) {
  put(out, std::to_string(v));
}

void put_patterns(std::string& out, const std::vector<config::PatternConfig>& patterns) {
  put(out, static_cast<double>(patterns.size()));
  for (const config::PatternConfig& p : patterns) {
    put(out, p.text);
    put(out, p.is_regex ? "re" : "term");
    put(out, p.case_sensitive ? "cs" : "ci");
    put(out, p.weight);
  }
}

void put_names(std::string& out, const std::vector<std::string>& names) {
  put(out, static_cast<double>(names.size()));
  for (const std::string& n : names) {
    put(out, n);
  }
}

std::size_t max_items(const config::Config& config) {
  return config.output.max_items > 0 ? static_cast<std::size_t>(config.output.max_items) : 0;
}

std::string topic_title(const config::Config& config, const std::string& name) {
  for (const config::TopicConfig& t : config.topics) {
    if (t.name == name && !t.title.empty()) {
      return t.title;
    }
  }
  return config.output.title;
}

/// Newest first, as the outputs are ordered (Story::published, then id).
bool newer(Timestamp a_published, std::int64_t a_id, Timestamp b_published, std::int64_t b_id) {
  return a_published != b_published ? a_published > b_published : a_id > b_id;
}

/// The topics' outputs from (story id, decision) lists, newest first: the stories are loaded
/// once each, however many topics publish them.
PublishPlan outputs_of(store::Store& store,
                       const config::Config& config,
                       const std::vector<std::string>& names,
                       std::vector<std::vector<std::pair<std::int64_t, Decision>>> chosen,
                       std::map<std::int64_t, Story> loaded = {}) {
  std::vector<std::int64_t> missing;
  for (const auto& list : chosen) {
    for (const auto& [id, decision] : list) {
      if (loaded.count(id) == 0) {
        missing.push_back(id);
      }
    }
  }
  std::sort(missing.begin(), missing.end());
  missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
  for (Story& s : store.stories_by_id(missing)) {
    const std::int64_t id = s.id;
    loaded.emplace(id, std::move(s));
  }
  PublishPlan plan;
  plan.title = config.output.title;
  plan.hub = config.output.websub_hub;
  plan.stories = loaded.size();
  for (std::size_t t = 0; t < names.size(); ++t) {
    TopicOutput out{names[t], topic_title(config, names[t]), {}};
    for (auto& [id, decision] : chosen[t]) {
      const auto it = loaded.find(id);
      if (it != loaded.end()) { // (pruned meanwhile: left out)
        out.items.push_back(render::Item{it->second, std::move(decision)});
      }
    }
    std::stable_sort(out.items.begin(), out.items.end(),
                     [](const render::Item& a, const render::Item& b) {
                       return newer(a.story.published, a.story.id, b.story.published, b.story.id);
                     });
    plan.topics.push_back(std::move(out));
  }
  return plan;
}

} // namespace

std::uint64_t rules_fingerprint(const std::vector<config::TopicConfig>& topics, Seconds max_age) {
  std::string text;
  put(text, "reelfeed " REELFEED_VERSION " rules 1");
  put(text, static_cast<double>(max_age.count()));
  for (const config::TopicConfig& t : topics) {
    put(text, t.name);
    put(text, static_cast<double>(t.concepts.size()));
    for (const config::ConceptConfig& c : t.concepts) {
      put(text, c.name);
      put_patterns(text, c.patterns);
      put_patterns(text, c.negative);
      put_patterns(text, c.ignore);
      put(text, c.min_score);
    }
    put(text, t.when);
    put_names(text, t.require_all);
    put_names(text, t.require_any);
    put_names(text, t.exclude);
    for (const double w :
         {t.threshold, t.weight_title, t.weight_summary, t.weight_content, t.weight_categories}) {
      put(text, w);
    }
    put(text, static_cast<double>(t.priors.size()));
    for (const config::TopicConfig::Prior& p : t.priors) {
      put(text, p.tag);
      put(text, p.concept_name);
      put(text, p.score);
    }
  }
  const std::uint64_t h = XXH3_64bits(text.data(), text.size());
  return h == 0 ? 1 : h;
}

bool adopt_rules(store::Store& store,
                 const filter::Rules& rules,
                 const config::Config& config,
                 Timestamp now) {
  return store.adopt_rules(rules_fingerprint(config.topics, config.output.max_age),
                           rules.topic_names(), now - config.output.max_age);
}

std::size_t settle_batch(store::Store& store, const filter::Rules& rules, std::int64_t& after) {
  const std::vector<std::int64_t> ids =
      store.changed_stories(after, static_cast<int>(k_settle_batch));
  if (ids.empty()) {
    return 0;
  }
  std::vector<std::pair<std::int64_t, Decision>> decisions;
  for (const Story& story : store.stories_by_id(ids)) {
    for (Decision& d : rules.evaluate_all(story)) {
      decisions.emplace_back(story.id, std::move(d));
    }
  }
  store.settle(ids, decisions);
  after = ids.back();
  return ids.size();
}

std::size_t settle_all(store::Store& store,
                       const filter::Rules& rules,
                       const config::Config& config,
                       Timestamp now) {
  adopt_rules(store, rules, config, now);
  std::size_t evaluated = 0;
  std::int64_t after = 0;
  while (const std::size_t n = settle_batch(store, rules, after)) {
    evaluated += n;
  }
  return evaluated;
}

PublishPlan plan_outputs(store::Store& store,
                         const filter::Rules& rules,
                         const config::Config& config,
                         Timestamp now) {
  const Timestamp since = now - config.output.max_age;
  const int limit = static_cast<int>(max_items(config));
  const std::vector<std::string> names = rules.topic_names();
  if (names.empty()) {
    // A plain aggregator: the newest stories of the window, unfiltered.
    PublishPlan plan;
    plan.title = config.output.title;
    plan.hub = config.output.websub_hub;
    plan.topics.push_back(all_stories(store.stories(since, limit), config));
    plan.stories = plan.topics.front().items.size();
    return plan;
  }
  std::vector<std::vector<std::pair<std::int64_t, Decision>>> chosen;
  chosen.reserve(names.size());
  for (const std::string& name : names) {
    chosen.push_back(store.published_stories(name, since, limit));
  }
  return outputs_of(store, config, names, std::move(chosen));
}

PublishPlan plan_from_store(store::Store& store,
                            const filter::Rules& rules,
                            const config::Config& config,
                            Timestamp now) {
  const std::vector<std::string> names = rules.topic_names();
  const Timestamp since = now - config.output.max_age;
  const bool same_rules =
      store.rules_fingerprint() == rules_fingerprint(config.topics, config.output.max_age);
  if (names.empty() || (same_rules && store.changed_stories(0, 1).empty())) {
    return plan_outputs(store, rules, config, now); // what the daemon serves
  }
  // Evaluated here: the queued stories (or the whole window under other rules), batch by
  // batch, each topic keeping only its newest max_items published ones.
  const std::size_t limit = max_items(config);
  struct Pick {
    Story story;
    Decision decision;
  };
  std::vector<std::vector<Pick>> best(names.size());
  const auto keep_newest = [limit](std::vector<Pick>& picks) {
    std::sort(picks.begin(), picks.end(), [](const Pick& a, const Pick& b) {
      return newer(a.story.published, a.story.id, b.story.published, b.story.id);
    });
    if (picks.size() > limit) {
      picks.erase(picks.begin() + static_cast<std::ptrdiff_t>(limit), picks.end());
    }
  };
  std::unordered_set<std::int64_t> evaluated;
  std::int64_t after = 0;
  for (;;) {
    std::vector<std::int64_t> ids =
        same_rules ? store.changed_stories(after, static_cast<int>(k_settle_batch))
                   : store.story_ids_since(since, after, static_cast<int>(k_settle_batch));
    if (ids.empty()) {
      break;
    }
    after = ids.back();
    evaluated.insert(ids.begin(), ids.end());
    for (Story& story : store.stories_by_id(ids)) {
      std::vector<Decision> decisions = rules.evaluate_all(story);
      const bool in_window = std::any_of(story.outlets.begin(), story.outlets.end(),
                                         [&](const Outlet& o) {
                                           return o.published.value_or(story.published) >= since;
                                         }) ||
                             story.published >= since;
      for (std::size_t t = 0; t < names.size() && in_window; ++t) {
        if (!decisions[t].published) {
          continue;
        }
        best[t].push_back(Pick{story, std::move(decisions[t])});
        if (best[t].size() >= 2 * limit + 16) {
          keep_newest(best[t]);
        }
      }
    }
  }
  for (auto& picks : best) {
    keep_newest(picks);
  }
  std::vector<std::vector<std::pair<std::int64_t, Decision>>> chosen(names.size());
  std::map<std::int64_t, Story> loaded;
  for (std::size_t t = 0; t < names.size(); ++t) {
    if (same_rules) {
      // Stored decisions of the stories not evaluated here; enough of them that the queued
      // ones it skips still leave max_items.
      for (auto& [id, d] :
           store.published_stories(names[t], since, static_cast<int>(limit + evaluated.size()))) {
        if (evaluated.count(id) == 0 && chosen[t].size() < limit) {
          chosen[t].emplace_back(id, std::move(d));
        }
      }
    }
    for (Pick& p : best[t]) {
      chosen[t].emplace_back(p.story.id, std::move(p.decision));
      loaded.emplace(p.story.id, std::move(p.story));
    }
  }
  PublishPlan plan = outputs_of(store, config, names, std::move(chosen), std::move(loaded));
  for (TopicOutput& out : plan.topics) {
    if (out.items.size() > limit) {
      out.items.resize(limit);
    }
  }
  plan.stories = evaluated.size();
  return plan;
}

} // namespace reelfeed::app
