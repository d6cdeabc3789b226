#include "app/rules_labels.hpp"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace reelfeed::app {

namespace {

using nlohmann::json;

/// A string field, or nullopt with `error` set when it is there but not a string.
std::optional<std::string> text_field(const json& j, const char* key, std::string& error) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return std::string();
  }
  if (!it->is_string()) {
    error = std::string("\"") + key + "\" is not a string";
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::vector<std::string>>
list_field(const json& j, const char* key, std::string& error) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    return out;
  }
  if (!it->is_array()) {
    error = std::string("\"") + key + "\" is not an array of strings";
    return std::nullopt;
  }
  for (const json& v : *it) {
    if (!v.is_string()) {
      error = std::string("\"") + key + "\" is not an array of strings";
      return std::nullopt;
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

std::optional<LabelledItem> read_item(const json& j,
                                      std::size_t line,
                                      const std::vector<config::SourceConfig>& sources,
                                      std::string& error) {
  if (!j.is_object()) {
    error = "not a JSON object";
    return std::nullopt;
  }
  LabelledItem item;
  const auto relevant = j.find("relevant");
  if (relevant == j.end() || !relevant->is_boolean()) {
    error = "\"relevant\" must be true or false";
    return std::nullopt;
  }
  item.relevant = relevant->get<bool>();
  const auto id = text_field(j, "id", error);
  const auto title = text_field(j, "title", error);
  const auto summary = text_field(j, "summary", error);
  const auto content = text_field(j, "content", error);
  const auto outlet = text_field(j, "outlet", error);
  const auto url = text_field(j, "url", error);
  const auto categories = list_field(j, "categories", error);
  const auto tags = list_field(j, "tags", error);
  if (!id || !title || !summary || !content || !outlet || !url || !categories || !tags) {
    return std::nullopt;
  }
  if (title->empty()) {
    error = "no \"title\"";
    return std::nullopt;
  }
  item.id = id->empty() ? "line " + std::to_string(line) : *id;
  item.outlet = *outlet;
  Story& s = item.story;
  s.title = *title;
  s.summary = *summary;
  s.content = *content;
  s.link = *url;
  s.categories = *categories;
  if (j.contains("tags")) {
    s.source_tags = *tags;
  } else {
    for (const config::SourceConfig& src : sources) {
      if (src.name == item.outlet) {
        s.source_tags = src.tags;
        break;
      }
    }
  }
  s.outlets.push_back(
      Outlet{0, item.outlet, s.title, s.link, std::nullopt, s.summary, s.categories});
  return item;
}

std::string ratio(double v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

} // namespace

LabelsRead read_labels(std::istream& in,
                       const std::string& file_name,
                       const std::vector<config::SourceConfig>& sources) {
  LabelsRead out;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      continue;
    }
    std::string error;
    const json j = json::parse(line, nullptr, false);
    if (j.is_discarded()) {
      error = "not valid JSON";
    } else if (auto item = read_item(j, number, sources, error)) {
      out.items.push_back(std::move(*item));
      continue;
    }
    out.errors.push_back(file_name + ":" + std::to_string(number) + ": " + error);
  }
  return out;
}

double LabelsReport::precision() const {
  return tp + fp == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(tp + fp);
}

double LabelsReport::recall() const {
  return tp + fn == 0 ? 0.0 : static_cast<double>(tp) / static_cast<double>(tp + fn);
}

LabelsReport score_labels(const filter::Rules& rules,
                          std::size_t topic,
                          const std::vector<LabelledItem>& items) {
  LabelsReport r;
  r.topic = rules.topic_names().at(topic);
  std::vector<WrongDecision> misses;
  for (const LabelledItem& item : items) {
    Decision d = rules.evaluate(topic, item.story);
    if (d.published) {
      (item.relevant ? r.tp : r.fp) += 1;
    } else {
      (item.relevant ? r.fn : r.tn) += 1;
    }
    if (d.published != item.relevant) {
      (d.published ? r.wrong : misses).push_back(WrongDecision{&item, std::move(d)});
    }
  }
  for (WrongDecision& w : misses) {
    r.wrong.push_back(std::move(w));
  }
  return r;
}

std::string format_labels_report(const LabelsReport& report,
                                 const std::string& config_name,
                                 const std::string& labels_name) {
  const std::size_t n = report.tp + report.fp + report.fn + report.tn;
  std::string out = "rules test: " + config_name + ", topic " + report.topic + ", against " +
                    labels_name + " (" + std::to_string(n) +
                    (n == 1 ? " labelled item)\n" : " labelled items)\n");
  out += "precision " + ratio(report.precision()) + " recall " + ratio(report.recall()) + " (tp " +
         std::to_string(report.tp) + " fp " + std::to_string(report.fp) + " fn " +
         std::to_string(report.fn) + " tn " + std::to_string(report.tn) + ")\n";
  for (const WrongDecision& w : report.wrong) {
    out += std::string(w.decision.published ? "FP " : "FN ") + w.item->id;
    if (!w.item->outlet.empty()) {
      out += " [" + w.item->outlet + "]";
    }
    out += " " + w.item->story.title + "\n";
    // The decision as `explain` prints it, indented under its item.
    const std::string d = filter::format_decision(w.decision);
    std::size_t start = 0;
    while (start < d.size()) {
      const std::size_t end = d.find('\n', start);
      out += "  " + d.substr(start, end - start) + "\n";
      start = end == std::string::npos ? d.size() : end + 1;
    }
  }
  if (report.wrong.empty()) {
    out += "every decision agrees with its label\n";
  }
  return out;
}

} // namespace reelfeed::app
