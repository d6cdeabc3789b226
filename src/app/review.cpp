#include "app/review.hpp"

#include <algorithm>
#include <memory>

#include "app/pages.hpp"
#include "render/review_page.hpp"

namespace reelfeed::app {

double review_margin(double threshold) {
  return std::max(1.0, threshold / 2);
}

ReviewPlan review_from_store(store::Store& store, const config::Config& config, Timestamp now) {
  ReviewPlan plan;
  plan.site_title = config.output.title;
  plan.days = static_cast<int>(
      std::chrono::duration_cast<std::chrono::days>(config.output.max_age).count());
  const Timestamp since = now - config.output.max_age;
  for (const config::TopicConfig& t : config.topics) {
    TopicReview review{t.name,
                       t.title.empty() ? config.output.title : t.title,
                       t.threshold,
                       review_margin(t.threshold),
                       {}};
    review.rows = store.review(t.name, since, review.margin, k_review_limit);
    plan.topics.push_back(std::move(review));
  }
  return plan;
}

std::vector<std::string> dropped_by(const Decision& decision) {
  std::vector<std::string> out;
  if (decision.published) {
    return out;
  }
  // The filter's reason names each negated concept that fired: "excluded by NAME 2.0/1.5".
  constexpr std::string_view k_marker = "excluded by ";
  std::string_view reason = decision.reason;
  for (std::size_t at = reason.find(k_marker); at != std::string_view::npos;
       at = reason.find(k_marker, at)) {
    at += k_marker.size();
    const std::size_t end = reason.find_first_of(" ;)", at);
    const std::string_view name = reason.substr(at, end - at);
    if (!name.empty()) {
      out.push_back(std::string(name) + " (excluded by the rule)");
    }
  }
  for (const RuleHit& h : decision.hits) {
    if (h.weight < 0) {
      std::string term = "\"" + h.term + "\" (negative term of " + h.concept_name + ")";
      if (std::find(out.begin(), out.end(), term) == out.end()) {
        out.push_back(std::move(term));
      }
    }
  }
  return out;
}

serve::Snapshot review_snapshot(const ReviewPlan& plan, const serve::Snapshot* previous) {
  serve::Snapshot snapshot;
  std::vector<std::pair<std::string, std::string>> nav;
  for (const TopicReview& t : plan.topics) {
    nav.emplace_back(t.title, "/topics/" + t.name + "/review");
  }
  for (std::size_t i = 0; i < plan.topics.size(); ++i) {
    const TopicReview& t = plan.topics[i];
    render::ReviewPageInfo info;
    info.site_title = plan.site_title;
    info.topic_name = t.name;
    info.topic_title = t.title;
    info.topic_page = i == 0 ? std::string("/") : "/topics/" + t.name + "/";
    info.threshold = t.threshold;
    info.margin = t.margin;
    info.days = plan.days;
    info.topics = nav;
    info.current = i;
    std::vector<render::ReviewItem> items;
    items.reserve(t.rows.size());
    Timestamp newest{};
    for (const store::Reviewed& row : t.rows) {
      render::ReviewItem item{render::prepare(render::Item{row.story, row.decision}), row.story.id,
                              row.decision, dropped_by(row.decision)};
      newest = std::max(newest, item.story.updated);
      items.push_back(std::move(item));
    }
    const std::string path = nav[i].second;
    std::string body = render::review_page(info, items);
    if (previous != nullptr) {
      const auto it = previous->find(path);
      if (it != previous->end() && it->second && it->second->body == body) {
        snapshot.emplace(path, it->second);
        continue;
      }
    }
    snapshot.emplace(path, std::make_shared<const serve::Resource>(
                               serve::make_resource(k_html_type, std::move(body), newest)));
  }
  return snapshot;
}

} // namespace reelfeed::app
