#pragma once
// Publish planning: stored stories + the current rules -> decisions to store and the items
// of every topic's output; then the documents served at /feed.* and /topics/NAME.*.
// Pure functions (values in, values out), so the daemon can run them on its store thread
// and `render` / `rules test` can run them directly.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "filter/filter.hpp"
#include "model/decision.hpp"
#include "model/story.hpp"
#include "render/prepared.hpp"
#include "render/render.hpp"
#include "serve/serve.hpp"
#include "store/store.hpp"

namespace reelfeed::app {

using Format = render::DocFormat; ///< `--format`, and which writer a document comes from
[[nodiscard]] std::optional<Format> parse_format(std::string_view name);
[[nodiscard]] const char* extension(Format format);
[[nodiscard]] const char* content_type(Format format);

struct TopicOutput {
  std::string name; ///< topic name; "all" when no topic is configured
  std::string title;
  std::vector<render::Item> items; ///< newest first, at most [output] max_items
};

struct PublishPlan {
  /// One decision per (story id, topic), for Store::save_decisions.
  std::vector<std::pair<std::int64_t, Decision>> decisions;
  std::vector<TopicOutput> topics; ///< config order; topics[0] is also served at /feed.*
  std::size_t stories = 0;         ///< stories evaluated (plan_publish) or output
  std::string title;               ///< [output] title (the story pages')
  std::string hub;                 ///< [output] websub_hub, named in every feed
};

/// Evaluates every topic of `rules` on every story. Without any topic the output is every
/// story, unfiltered (a plain aggregator). Stories are ordered newest published first.
[[nodiscard]] PublishPlan
plan_publish(std::vector<Story> stories, const filter::Rules& rules, const config::Config& config);

/// A fingerprint of everything the stored decisions depend on: the topics as configured,
/// the output window ([output] max_age: a longer one must decide older stories) and the
/// version of reelfeed (its filter). Never 0.
[[nodiscard]] std::uint64_t rules_fingerprint(const std::vector<config::TopicConfig>& topics,
                                              Seconds max_age);

/// Stories evaluated per batch: a batch's stories are all that a publish holds at once.
constexpr std::size_t k_settle_batch = 256;

/// Store::adopt_rules for these rules (the window is queued when they changed). Store
/// thread; read-write store.
bool adopt_rules(store::Store& store,
                 const filter::Rules& rules,
                 const config::Config& config,
                 Timestamp now);

/// One batch of the publish's evaluation: up to k_settle_batch queued stories after
/// `after` are evaluated by every topic and their decisions saved (Store::settle), which
/// takes them off the queue. Returns how many ids it took (0: the queue is done) and moves
/// `after` past them. Store thread; read-write store.
std::size_t settle_batch(store::Store& store, const filter::Rules& rules, std::int64_t& after);

/// adopt_rules, then settle_batch until the queue is empty. Returns the stories evaluated.
std::size_t settle_all(store::Store& store,
                       const filter::Rules& rules,
                       const config::Config& config,
                       Timestamp now);

/// Each topic's output from the stored decisions: its newest [output] max_items stories
/// decided published and active within [output] max_age, read through an index, whatever
/// else the window holds (one source's flood of off-topic items cannot push a topic's
/// stories out). Without topics, the newest stories of the window. Loads only the stories
/// it outputs. Call after settle_all (else queued stories show their last decisions).
[[nodiscard]] PublishPlan plan_outputs(store::Store& store,
                                       const filter::Rules& rules,
                                       const config::Config& config,
                                       Timestamp now);

/// The plan a publish would make now, on a store that may be read-only (`render`): stored
/// decisions, with the queued stories (or, when the rules differ from the stored
/// decisions', every story of the window) evaluated in memory in bounded batches, keeping
/// only each topic's best max_items. Saves nothing.
[[nodiscard]] PublishPlan plan_from_store(store::Store& store,
                                          const filter::Rules& rules,
                                          const config::Config& config,
                                          Timestamp now);

/// The unfiltered output (`render --all`): every story, newest first, no decisions.
[[nodiscard]] TopicOutput all_stories(std::vector<Story> stories, const config::Config& config);

[[nodiscard]] render::FeedInfo
feed_info(const TopicOutput& topic, const std::string& base_url, const std::string& path);
[[nodiscard]] std::string
render_feed(Format format, const render::FeedInfo& info, std::span<const render::Item> items);
/// The same from items render::prepare_all() prepared already (to write several formats).
[[nodiscard]] std::string
render_feed(Format format, const render::FeedInfo& info, std::span<const render::Prepared> items);

/// Every document of the plan as a serve::Snapshot (bodies rendered and gzipped). Each
/// topic's items are prepared once for its three formats; every document's self link is
/// the URL it is served at. topics[0] is served at /topics/NAME.* and at /feed.*: written
/// once, the /feed.* variant differs only in its self link (render::with_self_url), so it
/// is its own Resource (own gzip and ETags). The HTML story pages (app/pages.hpp) are "/"
/// (the first topic's, with every feed's autodiscovery links; the feeds' home link points
/// there) and /topics/NAME/, each later page also at "?before=ID".
/// `previous`, the snapshot being served: a document whose bytes did not change is its
/// Resource again (not gzipped again; ETag and Last-Modified kept); a changed one gets a
/// Last-Modified later than the previous one's. Pure apart from reading `previous`.
[[nodiscard]] serve::Snapshot make_snapshot(const PublishPlan& plan,
                                            const std::string& base_url,
                                            const serve::Snapshot* previous = nullptr);

} // namespace reelfeed::app
