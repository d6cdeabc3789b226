#include "app/rules_diff.hpp"

#include <algorithm>
#include <set>

namespace reelfeed::app {

StoredDecisions stored_decisions(store::Store& store, const std::vector<Story>& stories) {
  StoredDecisions out;
  for (const Story& story : stories) {
    const std::optional<store::Explanation> ex = store.explain(std::to_string(story.id));
    if (!ex) {
      continue;
    }
    for (const Decision& d : ex->decisions) {
      out[{story.id, d.topic}] = d.published;
    }
  }
  return out;
}

RulesDiff diff_rules(const PublishPlan& plan,
                     const std::vector<Story>& stories,
                     const StoredDecisions& before) {
  RulesDiff diff;
  std::map<std::int64_t, const Story*> by_id;
  for (const Story& s : stories) {
    by_id.emplace(s.id, &s);
  }
  for (const TopicOutput& t : plan.topics) {
    diff.topics.push_back(t.name);
    diff.published_before[t.name] = 0;
    diff.published_after[t.name] = 0;
  }
  auto describe = [&](std::int64_t id, RulesChange change) {
    const auto it = by_id.find(id);
    if (it != by_id.end()) {
      change.title = it->second->title;
      change.source = it->second->outlets.empty() ? "" : it->second->outlets.front().source;
    }
    change.story_id = id;
    diff.changes.push_back(std::move(change));
  };
  std::set<std::pair<std::int64_t, std::string>> seen;
  for (const auto& [id, decision] : plan.decisions) {
    const auto key = std::make_pair(id, decision.topic);
    seen.insert(key);
    const auto old = before.find(key);
    const bool was = old != before.end() && old->second;
    diff.published_before[decision.topic] += was ? 1 : 0;
    diff.published_after[decision.topic] += decision.published ? 1 : 0;
    if (was != decision.published) {
      describe(id, RulesChange{decision.topic, decision.published, 0, "", "", decision.reason});
    }
  }
  for (const auto& [key, was] : before) {
    if (was && seen.count(key) == 0 && by_id.count(key.first) != 0) {
      diff.published_before[key.second] += 1;
      describe(key.first, RulesChange{key.second, false, 0, "", "", "topic no longer defined"});
    }
  }
  std::map<std::int64_t, std::size_t> order;
  for (std::size_t i = 0; i < stories.size(); ++i) {
    order.emplace(stories[i].id, i);
  }
  std::stable_sort(diff.changes.begin(), diff.changes.end(),
                   [&](const RulesChange& a, const RulesChange& b) {
                     if (a.topic != b.topic) {
                       return a.topic < b.topic;
                     }
                     return order[a.story_id] < order[b.story_id];
                   });
  return diff;
}

std::string
format_rules_diff(const RulesDiff& diff, std::size_t stories, const std::string& config_name) {
  std::string out =
      "rules test: " + config_name + " over " + std::to_string(stories) + " stored stories\n";
  std::set<std::string> topics(diff.topics.begin(), diff.topics.end());
  for (const auto& [topic, n] : diff.published_before) {
    topics.insert(topic);
  }
  for (const std::string& topic : topics) {
    std::size_t enter = 0;
    std::size_t leave = 0;
    for (const RulesChange& c : diff.changes) {
      if (c.topic == topic) {
        (c.enters ? enter : leave) += 1;
      }
    }
    const auto count = [](const std::map<std::string, std::size_t>& m, const std::string& k) {
      const auto it = m.find(k);
      return it == m.end() ? std::size_t{0} : it->second;
    };
    out += "topic " + topic + ": " + std::to_string(count(diff.published_before, topic)) +
           " published now, " + std::to_string(count(diff.published_after, topic)) +
           " with these rules (" + std::to_string(enter) + " enter, " + std::to_string(leave) +
           " leave)\n";
    for (const RulesChange& c : diff.changes) {
      if (c.topic != topic) {
        continue;
      }
      out += c.enters ? "  ENTER " : "  LEAVE ";
      out += std::to_string(c.story_id) + " " + c.title;
      if (!c.source.empty()) {
        out += " [" + c.source + "]";
      }
      if (!c.reason.empty()) {
        out += " -- " + c.reason;
      }
      out += "\n";
    }
  }
  if (diff.changes.empty()) {
    out += "no change: the output stays the same\n";
  }
  return out;
}

} // namespace reelfeed::app
