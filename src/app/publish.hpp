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
  std::size_t stories = 0;         ///< stories evaluated
  std::string title;               ///< [output] title (the story pages')
  std::string hub;                 ///< [output] websub_hub, named in every feed
};

/// Evaluates every topic of `rules` on every story. Without any topic the output is every
/// story, unfiltered (a plain aggregator). Stories are ordered newest published first.
[[nodiscard]] PublishPlan
plan_publish(std::vector<Story> stories, const filter::Rules& rules, const config::Config& config);

/// The plan of what the store holds in the output window ([output] max_age before `now`).
/// Loads the newest stories: 20 x max_items first, then up to 20,000 when a topic is still
/// short, so one publish costs about the same with 2,000 or 200,000 stored stories (older
/// matches beyond the scan are not published; their decisions stay as stored). Decisions
/// cover the stories evaluated. Store thread.
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
