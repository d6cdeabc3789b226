#include "app/pages.hpp"

#include "render/story_page.hpp"

namespace reelfeed::app {

namespace {

render::StoryPageInfo page_info(const PublishPlan& plan, std::size_t current) {
  render::StoryPageInfo info;
  info.site_title = plan.title;
  info.current = current;
  for (std::size_t t = 0; t < plan.topics.size(); ++t) {
    const TopicOutput& topic = plan.topics[t];
    // The default topic's feeds are listed by their documented /feed.* addresses.
    const std::string feed = t == 0 ? std::string("/feed.") : "/topics/" + topic.name + ".";
    info.topics.push_back({topic.name, topic.title,
                           t == 0 ? std::string("/") : "/topics/" + topic.name + "/", feed + "atom",
                           feed + "rss", feed + "json", topic.items.size()});
  }
  return info;
}

void add_pages(std::vector<PageDoc>& out,
               render::StoryPageInfo info,
               std::string path,
               std::span<const render::Prepared> prepared,
               std::span<const std::int64_t> ids) {
  info.path = std::move(path);
  for (render::StoryPageDoc& doc : render::story_pages(info, prepared, ids)) {
    PageDoc page{info.path + doc.query, {}, std::move(doc.html), doc.updated};
    for (const std::string& alias : doc.aliases) {
      page.aliases.push_back(info.path + alias);
    }
    out.push_back(std::move(page));
  }
}

} // namespace

std::vector<PageDoc> story_page_docs(const PublishPlan& plan,
                                     std::size_t topic,
                                     std::span<const render::Prepared> prepared) {
  std::vector<PageDoc> out;
  const render::StoryPageInfo info = page_info(plan, topic);
  if (topic >= plan.topics.size()) {
    add_pages(out, info, "/", {}, {});
    return out;
  }
  std::vector<std::int64_t> ids;
  ids.reserve(plan.topics[topic].items.size());
  for (const render::Item& item : plan.topics[topic].items) {
    ids.push_back(item.story.id);
  }
  // The first topic is the home page too; its pages link within "/" there.
  if (topic == 0) {
    add_pages(out, info, "/", prepared, ids);
  }
  add_pages(out, info, "/topics/" + plan.topics[topic].name + "/", prepared, ids);
  return out;
}

} // namespace reelfeed::app
