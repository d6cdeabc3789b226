#pragma once
// Loading the shared filter-eval set (../shared/filter-eval/labeled.jsonl), its outlet tags
// and a rules file, for the quality test (tests/filter) and the benchmark (tests/bench).
// Header-only so that both executables can use it.

#include <nlohmann/json.hpp>
#include <toml++/toml.h>

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/topics_toml.hpp"
#include "model/story.hpp"

namespace reelfeed::filter::eval {

struct Labelled {
  std::string id;
  bool relevant = false;
  Story story;
};

/// [[topic]] tables of a rules file; throws std::runtime_error listing every error.
inline std::vector<config::TopicConfig> load_rules(const std::string& path) {
  auto tbl = toml::parse_file(path);
  std::vector<config::TopicConfig> topics;
  std::vector<config::Error> errors;
  config::parse_topics(tbl.get("topic"), path, topics, errors);
  if (!errors.empty()) {
    std::string msg;
    for (const auto& e : errors)
      msg += e.file + ":" + std::to_string(e.line) + ":" + std::to_string(e.column) + ": " +
             e.message + "\n";
    throw std::runtime_error(msg);
  }
  return topics;
}

/// outlet name -> tags (tests/data/filter/eval-outlets.toml).
inline std::map<std::string, std::vector<std::string>> load_outlet_tags(const std::string& path) {
  auto tbl = toml::parse_file(path);
  std::map<std::string, std::vector<std::string>> out;
  if (const auto* outlets = tbl["outlets"].as_table())
    for (auto&& [k, v] : *outlets)
      if (const auto* arr = v.as_array())
        for (const auto& t : *arr)
          out[std::string(k.str())].push_back(t.value_or(std::string{}));
  return out;
}

/// An item's own "tags" win; otherwise unknown outlets are tagged "news", as in
/// .ci/gate-filter.
inline std::vector<Labelled>
load_labelled(const std::string& jsonl,
              const std::map<std::string, std::vector<std::string>>& tags) {
  std::ifstream in(jsonl);
  if (!in)
    throw std::runtime_error("cannot read " + jsonl);
  std::vector<Labelled> out;
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty())
      continue;
    auto j = nlohmann::json::parse(line);
    Labelled l;
    l.id = j.at("id").get<std::string>();
    l.relevant = j.at("relevant").get<bool>();
    l.story.title = j.at("title").get<std::string>();
    l.story.summary = j.value("summary", "");
    l.story.link = j.value("url", "");
    l.story.categories = j.value("categories", std::vector<std::string>{});
    auto outlet = j.value("outlet", "");
    auto it = tags.find(outlet);
    if (j.contains("tags"))
      l.story.source_tags = j.at("tags").get<std::vector<std::string>>();
    else
      l.story.source_tags = it != tags.end() ? it->second : std::vector<std::string>{"news"};
    out.push_back(std::move(l));
  }
  return out;
}

} // namespace reelfeed::filter::eval
