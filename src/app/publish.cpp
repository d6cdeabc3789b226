#include "app/publish.hpp"

#include "app/pages.hpp"
#include "render/self_link.hpp"

#include <algorithm>
#include <memory>

namespace reelfeed::app {

namespace {

void newest_first(std::vector<Story>& stories) {
  std::stable_sort(stories.begin(), stories.end(), [](const Story& a, const Story& b) {
    if (a.published != b.published) {
      return a.published > b.published;
    }
    return a.id > b.id;
  });
}

std::string topic_title(const config::Config& config, const std::string& name) {
  for (const config::TopicConfig& t : config.topics) {
    if (t.name == name && !t.title.empty()) {
      return t.title;
    }
  }
  return config.output.title;
}

/// The previous publish's Resource when `body` is byte-identical (no second gzip, same
/// ETags); else a new one. A changed document's Last-Modified moves past the previous
/// one's, even when only an old story left it (its newest story is the same), so
/// If-Modified-Since never hides a change.
std::shared_ptr<const serve::Resource> reuse_or_make(const serve::Snapshot* previous,
                                                     const std::string& path,
                                                     const char* type,
                                                     std::string body,
                                                     Timestamp updated) {
  if (previous != nullptr) {
    const auto it = previous->find(path);
    if (it != previous->end() && it->second) {
      const serve::Resource& old = *it->second;
      if (old.body == body && old.content_type == type) {
        return it->second;
      }
      updated = std::max(updated, old.last_modified + std::chrono::seconds{1});
    }
  }
  return std::make_shared<const serve::Resource>(
      serve::make_resource(type, std::move(body), updated));
}

/// Each page once, under its own path and its aliases (one Resource: same bytes, same tags).
void add_story_pages(serve::Snapshot& snapshot,
                     const serve::Snapshot* previous,
                     std::vector<PageDoc> pages) {
  for (PageDoc& page : pages) {
    auto resource =
        reuse_or_make(previous, page.path, k_html_type, std::move(page.body), page.updated);
    for (const std::string& alias : page.aliases) {
      snapshot.emplace(alias, resource);
    }
    snapshot.emplace(page.path, std::move(resource));
  }
}

std::size_t max_items(const config::Config& config) {
  return config.output.max_items > 0 ? static_cast<std::size_t>(config.output.max_items) : 0;
}

} // namespace

std::optional<Format> parse_format(std::string_view name) {
  if (name == "atom") {
    return Format::atom;
  }
  if (name == "rss") {
    return Format::rss;
  }
  if (name == "json") {
    return Format::json;
  }
  return std::nullopt;
}

const char* extension(Format format) {
  switch (format) {
  case Format::atom:
    return "atom";
  case Format::rss:
    return "rss";
  case Format::json:
    return "json";
  }
  return "atom";
}

const char* content_type(Format format) {
  switch (format) {
  case Format::atom:
    return "application/atom+xml; charset=utf-8";
  case Format::rss:
    return "application/rss+xml; charset=utf-8";
  case Format::json:
    return "application/feed+json; charset=utf-8";
  }
  return "application/octet-stream";
}

PublishPlan
plan_publish(std::vector<Story> stories, const filter::Rules& rules, const config::Config& config) {
  newest_first(stories);
  PublishPlan plan;
  plan.title = config.output.title;
  plan.hub = config.output.websub_hub;
  plan.stories = stories.size();
  const std::vector<std::string> names = rules.topic_names();
  if (names.empty()) {
    plan.topics.push_back(all_stories(std::move(stories), config));
    return plan;
  }
  const std::size_t limit = max_items(config);
  plan.decisions.reserve(stories.size() * names.size());
  for (std::size_t t = 0; t < names.size(); ++t) {
    TopicOutput out{names[t], topic_title(config, names[t]), {}};
    for (const Story& story : stories) {
      Decision decision = rules.evaluate(t, story);
      if (decision.published && out.items.size() < limit) {
        out.items.push_back(render::Item{story, decision});
      }
      plan.decisions.emplace_back(story.id, std::move(decision));
    }
    plan.topics.push_back(std::move(out));
  }
  return plan;
}

TopicOutput all_stories(std::vector<Story> stories, const config::Config& config) {
  newest_first(stories);
  TopicOutput out{"all", config.output.title, {}};
  out.items.reserve(stories.size());
  for (Story& story : stories) {
    out.items.push_back(render::Item{std::move(story), Decision{}});
  }
  return out;
}

render::FeedInfo
feed_info(const TopicOutput& topic, const std::string& base_url, const std::string& path) {
  render::FeedInfo info;
  info.title = topic.title;
  info.id = "urn:reelfeed:topic:" + topic.name;
  info.self_url = base_url + path;
  info.home_url = base_url + "/";
  // The newest change among the items, so that an unchanged set renders byte-identical
  // documents (stable ETags) instead of stamping "now".
  for (const render::Item& item : topic.items) {
    info.updated = std::max({info.updated, item.story.updated, item.story.published});
  }
  return info;
}

std::string
render_feed(Format format, const render::FeedInfo& info, std::span<const render::Item> items) {
  return render_feed(format, info, std::span<const render::Prepared>(render::prepare_all(items)));
}

std::string
render_feed(Format format, const render::FeedInfo& info, std::span<const render::Prepared> items) {
  switch (format) {
  case Format::atom:
    return render::atom(info, items);
  case Format::rss:
    return render::rss(info, items);
  case Format::json:
    return render::json_feed(info, items);
  }
  return {};
}

serve::Snapshot make_snapshot(const PublishPlan& plan,
                              const std::string& base_url,
                              const serve::Snapshot* previous) {
  serve::Snapshot snapshot;
  constexpr Format k_formats[] = {Format::atom, Format::rss, Format::json};
  for (std::size_t t = 0; t < plan.topics.size(); ++t) {
    const TopicOutput& topic = plan.topics[t];
    // Sanitising every item's HTML is most of a document's cost: once per topic, not
    // once per document.
    const std::vector<render::Prepared> prepared = render::prepare_all(topic.items);
    for (const Format f : k_formats) {
      const std::string topic_path = "/topics/" + topic.name + "." + extension(f);
      render::FeedInfo info = feed_info(topic, base_url, topic_path);
      info.hub = plan.hub;
      std::string body = render_feed(f, info, std::span<const render::Prepared>(prepared));
      if (t == 0) {
        // The default topic at /feed.* too: the same document whose self link is that URL
        // (validators and readers expect the address they fetched), so its own bytes and
        // ETags. Only the self URL is replaced; the items are not written again.
        const std::string feed_path = std::string("/feed.") + extension(f);
        snapshot.emplace(feed_path,
                         reuse_or_make(previous, feed_path, content_type(f),
                                       render::with_self_url(f, body, base_url + feed_path),
                                       info.updated));
      }
      snapshot.emplace(topic_path, reuse_or_make(previous, topic_path, content_type(f),
                                                 std::move(body), info.updated));
    }
    add_story_pages(snapshot, previous, story_page_docs(plan, t, prepared));
  }
  if (plan.topics.empty()) {
    add_story_pages(snapshot, previous, story_page_docs(plan, 0, {}));
  }
  return snapshot;
}

} // namespace reelfeed::app
