// /metrics: Prometheus text format of the sources' health.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "app/metrics.hpp"

namespace reelfeed::app {
namespace {

Timestamp at(long long s) {
  return Timestamp{Seconds{s}};
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

TEST(Metrics, EverySourceEveryFamilyWithEscapedNames) {
  std::vector<SourceStatus> sources(2);
  sources[0].name = "Variety";
  sources[0].last_status = 200;
  sources[0].last_bytes = 48211;
  sources[0].last_attempt = at(1'700'000'000);
  sources[0].last_success = at(1'700'000'000);
  sources[0].next_due = at(1'700'000'900);
  sources[1].name = "Odd \"name\" \\ with\nbreak";
  sources[1].state = SourceState::backing_off;
  sources[1].error_count = 3;
  sources[1].last_status = 503;
  sources[1].parse_warnings = 2;
  sources[1].next_due = at(1'700'003'600);
  const std::string m = format_metrics(sources, {412, 100, at(1'700'000'050)});

  EXPECT_TRUE(has_line(m, "reelfeed_sources 2")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_sources_failing 1")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_stories 412")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_published_items 100")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_last_publish_timestamp_seconds 1700000050")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_source_state{source=\"Variety\",state=\"ok\"} 1")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_source_state{source=\"Variety\",state=\"backing_off\"} 0"))
      << m;
  const std::string odd = "source=\"Odd \\\"name\\\" \\\\ with\\nbreak\"";
  EXPECT_TRUE(has_line(m, "reelfeed_source_state{" + odd + ",state=\"backing_off\"} 1")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_source_consecutive_errors{" + odd + "} 3")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_source_last_http_status{source=\"Variety\"} 200")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_source_last_body_bytes{source=\"Variety\"} 48211")) << m;
  EXPECT_TRUE(has_line(m, "reelfeed_source_parse_warnings{" + odd + "} 2")) << m;
  EXPECT_TRUE(
      has_line(m, "reelfeed_source_last_success_timestamp_seconds{source=\"Variety\"} 1700000000"))
      << m;
  EXPECT_TRUE(has_line(m, "reelfeed_source_next_poll_timestamp_seconds{" + odd + "} 1700003600"))
      << m;
  // A source never polled successfully has no last-success sample (not a 1970 one).
  EXPECT_EQ(m.find("reelfeed_source_last_success_timestamp_seconds{" + odd), std::string::npos)
      << m;
  // No raw line break inside a sample: every line is a comment or "name{...} value".
  std::size_t from = 0;
  while (from < m.size()) {
    const std::size_t end = m.find('\n', from);
    ASSERT_NE(end, std::string::npos) << "the text ends with a line feed";
    const std::string line = m.substr(from, end - from);
    EXPECT_TRUE(line.rfind("# HELP reelfeed_", 0) == 0 || line.rfind("# TYPE reelfeed_", 0) == 0 ||
                line.rfind("reelfeed_", 0) == 0)
        << line;
    from = end + 1;
  }
}

TEST(Metrics, NoPublishYetHasNoPublishTime) {
  const std::string m = format_metrics({}, {});
  EXPECT_TRUE(has_line(m, "reelfeed_sources 0")) << m;
  EXPECT_EQ(m.find("reelfeed_last_publish_timestamp_seconds"), std::string::npos) << m;
}

} // namespace
} // namespace reelfeed::app
