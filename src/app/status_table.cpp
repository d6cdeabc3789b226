#include "app/status_table.hpp"

#include <algorithm>
#include <array>
#include <map>

namespace reelfeed::app {

namespace {

constexpr std::size_t k_columns = 8;
using Row = std::array<std::string, k_columns>;

std::string human_span(Seconds s) {
  const long long v = s.count();
  if (v < 60) {
    return std::to_string(v) + "s";
  }
  if (v < 3600) {
    return std::to_string(v / 60) + "m";
  }
  if (v < 86400) {
    return std::to_string(v / 3600) + "h";
  }
  return std::to_string(v / 86400) + "d";
}

std::string human_bytes(std::uint64_t b) {
  if (b < 10 * 1024) {
    return std::to_string(b);
  }
  if (b < 10ull * 1024 * 1024) {
    return std::to_string(b / 1024) + "K";
  }
  return std::to_string(b / (1024 * 1024)) + "M";
}

Row row_for(const config::SourceConfig& source, const SourceStatus* status, Timestamp now) {
  Row row{source.name, "new", "-", "-", "-", "0", "-", ""};
  if (!source.enabled) {
    row[1] = "disabled";
  }
  if (status == nullptr) {
    return row;
  }
  if (source.enabled) {
    row[1] = to_string(status->state);
    // A permanent redirect seen but not yet on enough polls in a row: the source is
    // healthy, yet about to change URL, which the user should see coming.
    if (status->state == SourceState::ok && !status->pending_move_to.empty()) {
      row[1] = "moving";
    }
  }
  if (status->last_success) {
    row[2] = relative_time(*status->last_success, now);
  } else if (status->last_attempt) {
    row[2] = "never";
  }
  if (status->last_status != 0) {
    row[3] = std::to_string(status->last_status);
  }
  if (status->last_attempt) {
    row[4] = human_bytes(status->last_bytes);
  }
  row[5] = std::to_string(status->error_count);
  if (source.enabled && status->state != SourceState::gone &&
      status->next_due.time_since_epoch().count() != 0) {
    row[6] = relative_time(status->next_due, now);
  }
  std::string note;
  if (!status->effective_url.empty() && status->effective_url != source.url) {
    note = "moved to " + status->effective_url;
  } else if (!status->pending_move_to.empty()) {
    note = "redirects to " + status->pending_move_to + " (" +
           std::to_string(status->pending_move_count) + "x)";
  }
  if (status->error_count > 0 && !status->last_error.empty()) {
    note += note.empty() ? "" : "; ";
    note += status->last_error;
  }
  row[7] = note;
  return row;
}

} // namespace

std::string relative_time(Timestamp t, Timestamp now) {
  if (t.time_since_epoch().count() == 0) {
    return "-";
  }
  if (t == now) {
    return "now";
  }
  return t < now ? human_span(now - t) + " ago" : "in " + human_span(t - now);
}

std::string format_status_table(const std::vector<config::SourceConfig>& sources,
                                const std::vector<SourceStatus>& statuses,
                                Timestamp now) {
  std::map<std::string, const SourceStatus*, std::less<>> by_name;
  for (const SourceStatus& s : statuses) {
    by_name.emplace(s.name, &s);
  }
  std::vector<Row> rows;
  rows.push_back(
      Row{"SOURCE", "STATE", "LAST-SUCCESS", "HTTP", "BYTES", "ERRORS", "NEXT-POLL", "NOTE"});
  for (const config::SourceConfig& source : sources) {
    const auto it = by_name.find(source.name);
    rows.push_back(row_for(source, it == by_name.end() ? nullptr : it->second, now));
  }
  std::array<std::size_t, k_columns> width{};
  for (const Row& row : rows) {
    for (std::size_t c = 0; c < k_columns; ++c) {
      width[c] = std::max(width[c], row[c].size());
    }
  }
  std::string out;
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < k_columns; ++c) {
      line += row[c];
      if (c + 1 < k_columns) {
        line.append(width[c] - row[c].size() + 2, ' ');
      }
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    out += line;
    out += '\n';
  }
  return out;
}

} // namespace reelfeed::app
