#include "app/metrics.hpp"

#include <array>
#include <functional>

namespace reelfeed::app {
namespace {

/// A label value: backslash, double quote and line feed escaped (the only three the format
/// escapes).
std::string label(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void family(std::string& out, const char* name, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += " gauge\n";
}

void sample(std::string& out, const char* name, const std::string& labels, long long value) {
  out += name;
  if (!labels.empty()) {
    out += '{' + labels + '}';
  }
  out += ' ' + std::to_string(value) + '\n';
}

long long seconds(Timestamp t) {
  return static_cast<long long>(t.time_since_epoch().count());
}

} // namespace

std::string format_metrics(std::span<const SourceStatus> sources, const PublishFigures& publish) {
  std::string out;
  std::size_t failing = 0;
  for (const SourceStatus& s : sources) {
    failing += s.error_count > 0 || s.state == SourceState::gone ? 1 : 0;
  }
  family(out, "reelfeed_sources", "Sources the daemon polls (configured and enabled).");
  sample(out, "reelfeed_sources", "", static_cast<long long>(sources.size()));
  family(out, "reelfeed_sources_failing", "Sources whose last poll failed, or gone.");
  sample(out, "reelfeed_sources_failing", "", static_cast<long long>(failing));
  family(out, "reelfeed_stories", "Stories in the store at the last publish.");
  sample(out, "reelfeed_stories", "", static_cast<long long>(publish.stories));
  family(out, "reelfeed_published_items", "Items in the published feeds.");
  sample(out, "reelfeed_published_items", "", static_cast<long long>(publish.published));
  if (publish.at) {
    family(out, "reelfeed_last_publish_timestamp_seconds", "When the feeds were last published.");
    sample(out, "reelfeed_last_publish_timestamp_seconds", "", seconds(*publish.at));
  }

  // Per source: one family at a time, every source in it (the format wants a family's
  // samples together).
  const auto per_source =
      [&](const char* name, const char* help,
          const std::function<std::optional<long long>(const SourceStatus&)>& value) {
        family(out, name, help);
        for (const SourceStatus& s : sources) {
          if (const auto v = value(s)) {
            sample(out, name, "source=\"" + label(s.name) + '"', *v);
          }
        }
      };
  family(out, "reelfeed_source_state", "1 for the state the source is in, 0 for the others.");
  static constexpr std::array k_states = {SourceState::ok, SourceState::backing_off,
                                          SourceState::gone, SourceState::moved,
                                          SourceState::disabled};
  for (const SourceStatus& s : sources) {
    for (const SourceState state : k_states) {
      sample(out, "reelfeed_source_state",
             "source=\"" + label(s.name) + "\",state=\"" + to_string(state) + '"',
             s.state == state ? 1 : 0);
    }
  }
  per_source("reelfeed_source_consecutive_errors", "Failed polls in a row.",
             [](const SourceStatus& s) { return std::optional<long long>(s.error_count); });
  per_source("reelfeed_source_last_http_status", "HTTP status of the last poll (0: none).",
             [](const SourceStatus& s) { return std::optional<long long>(s.last_status); });
  per_source("reelfeed_source_last_body_bytes", "Bytes of the last poll's response.",
             [](const SourceStatus& s) {
               return std::optional<long long>(static_cast<long long>(s.last_bytes));
             });
  per_source("reelfeed_source_parse_warnings", "Problems recovered in the last parsed body.",
             [](const SourceStatus& s) { return std::optional<long long>(s.parse_warnings); });
  per_source("reelfeed_source_last_attempt_timestamp_seconds", "When the source was last polled.",
             [](const SourceStatus& s) {
               return s.last_attempt ? std::optional<long long>(seconds(*s.last_attempt))
                                     : std::nullopt;
             });
  per_source("reelfeed_source_last_success_timestamp_seconds",
             "When a poll of the source last succeeded.", [](const SourceStatus& s) {
               return s.last_success ? std::optional<long long>(seconds(*s.last_success))
                                     : std::nullopt;
             });
  per_source("reelfeed_source_next_poll_timestamp_seconds", "When the source is polled next.",
             [](const SourceStatus& s) { return std::optional<long long>(seconds(s.next_due)); });
  return out;
}

} // namespace reelfeed::app
