#pragma once
// `reelfeed rules test --labels FILE`: the rules' precision and recall against a labelled
// JSONL file, with every wrong decision and its reasons, so that an edit to the rules is
// judged by what it does to quality and not only by what it does to the output.

#include <cstddef>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "filter/filter.hpp"
#include "model/story.hpp"

namespace reelfeed::app {

/// One line of the labelled file: `{"id", "title", "summary", "content", "categories",
/// "outlet", "url", "tags", "relevant"}`; only `title` and `relevant` are required.
struct LabelledItem {
  std::string id; ///< the line number when the line has none
  std::string outlet;
  bool relevant = false;
  Story story; ///< one sighting: the item as a feed reader would see it
};

struct LabelsRead {
  std::vector<LabelledItem> items;
  std::vector<std::string> errors; ///< "FILE:LINE: message"
};

/// Reads a labelled JSONL file. An item's source tags are its `tags` array if it has one,
/// else the tags of the configured source named like its `outlet`, else none. Blank lines
/// are skipped; every bad line is an error and is left out.
[[nodiscard]] LabelsRead read_labels(std::istream& in,
                                     const std::string& file_name,
                                     const std::vector<config::SourceConfig>& sources);

struct WrongDecision {
  const LabelledItem* item = nullptr;
  Decision decision;
};

struct LabelsReport {
  std::string topic;
  std::size_t tp = 0, fp = 0, fn = 0, tn = 0;
  std::vector<WrongDecision> wrong; ///< false positives first, then misses, in file order
  [[nodiscard]] double precision() const;
  [[nodiscard]] double recall() const;
};

/// Pure: every item through topic number `topic` of `rules`.
[[nodiscard]] LabelsReport
score_labels(const filter::Rules& rules, std::size_t topic, const std::vector<LabelledItem>& items);

/// The report as text: a summary line (`precision P recall R (tp .. fp .. fn .. tn ..)`), then
/// each wrong decision (`FP id [outlet] title`) with its decision as `reelfeed explain`
/// prints it.
[[nodiscard]] std::string format_labels_report(const LabelsReport& report,
                                               const std::string& config_name,
                                               const std::string& labels_name);

} // namespace reelfeed::app
