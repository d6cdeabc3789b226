// The small pure pieces of app/: log lines, config -> stage options, status reconciliation,
// network-down detection, the status table and the rules diff.
#include <sstream>

#include <gtest/gtest.h>

#include "app/rules_diff.hpp"
#include "app/settings.hpp"
#include "app/status_table.hpp"
#include "poll/poller.hpp"
#include "util/log.hpp"

namespace reelfeed::app {
namespace {

using poll::mark_parse_failure;
using poll::NetworkWatch;
using util::format_line;
using util::Level;
using util::Logger;

const Timestamp k_now{std::chrono::seconds{1'800'000'000}};

TEST(LogLine, QuotesValuesThatNeedIt) {
  EXPECT_EQ(format_line(Level::info, "fetched",
                        {{"source", "Variety"}, {"status", 200}, {"bytes", 12345ull}}),
            "info fetched source=Variety status=200 bytes=12345");
  EXPECT_EQ(format_line(Level::warn, "fetch_failed",
                        {{"source", "The Wrap"}, {"err", "say \"hi\"\nnow"}, {"empty", ""}}),
            "warn fetch_failed source=\"The Wrap\" err=\"say \\\"hi\\\"\\nnow\" empty=\"\"");
  std::ostringstream out;
  Logger log(out, Level::info);
  log.log(Level::debug, "hidden");
  log.error("shown", {{"k", "v"}});
  EXPECT_EQ(out.str(), "error shown k=v\n");
}

TEST(Settings, BaseUrlUsesTheBoundPortWhenListeningOnPortZero) {
  config::Config c;
  c.server.host = "127.0.0.1";
  c.server.port = 0;
  c.server.base_url = "http://127.0.0.1:0";
  EXPECT_EQ(base_url(c, 41234), "http://127.0.0.1:41234");
  c.server.port = 8080;
  c.server.base_url = "https://feeds.example.org/";
  EXPECT_EQ(base_url(c, 8080), "https://feeds.example.org");
  c.server.base_url.clear();
  EXPECT_EQ(base_url(c, 8080), "http://127.0.0.1:8080");
}

TEST(Settings, SourceIntervalOverridesTheDefaultAndWidensBounds) {
  config::Config c;
  c.poll.interval = std::chrono::minutes{30};
  c.poll.min_interval = std::chrono::minutes{5};
  config::SourceConfig s{"A", "http://a.example/feed", std::chrono::minutes{1}, true, {}};
  const sched::Policy p = poll_policy(c, s);
  EXPECT_EQ(p.interval, std::chrono::minutes{1});
  EXPECT_LE(p.min_interval, p.interval);
  s.interval.reset();
  EXPECT_EQ(poll_policy(c, s).interval, std::chrono::minutes{30});
  EXPECT_EQ(fetch_limits(c).max_concurrent, c.poll.max_concurrent);
  c.sources = {s};
  ASSERT_EQ(source_defs(c).size(), 1u);
  EXPECT_EQ(source_defs(c)[0].url, s.url);
}

TEST(ReconcileStatus, NewSourceIsDueSoon) {
  const config::SourceConfig s{"New", "http://n.example/feed", std::nullopt, true, {}};
  sched::Policy p;
  p.interval = std::chrono::hours{6};
  const SourceStatus st = reconcile_status(nullptr, s, p, k_now);
  EXPECT_EQ(st.name, "New");
  EXPECT_EQ(st.url, s.url);
  EXPECT_GE(st.next_due, k_now);
  EXPECT_LT(st.next_due, k_now + std::chrono::seconds{10});
}

TEST(ReconcileStatus, StoredStatusKeepsScheduleValidatorsAndBackoff) {
  const config::SourceConfig s{"A", "http://a.example/feed", std::nullopt, true, {}};
  SourceStatus stored;
  stored.name = "A";
  stored.url = s.url;
  stored.effective_url = "https://a2.example/feed";
  stored.state = SourceState::moved;
  stored.error_count = 2;
  stored.validators.etag = "\"v1\"";
  stored.next_due = k_now + std::chrono::hours{2};
  const SourceStatus st = reconcile_status(&stored, s, sched::Policy{}, k_now);
  EXPECT_EQ(st.next_due, stored.next_due);
  EXPECT_EQ(st.validators.etag, "\"v1\"");
  EXPECT_EQ(st.error_count, 2);
  EXPECT_EQ(poll_url(st), "https://a2.example/feed");
}

TEST(ReconcileStatus, EditedUrlStartsOverFromTheNewUrl) {
  const config::SourceConfig s{"A", "http://new.example/feed", std::nullopt, true, {}};
  SourceStatus stored;
  stored.name = "A";
  stored.url = "http://old.example/feed";
  stored.effective_url = "https://moved.example/feed";
  stored.state = SourceState::gone;
  stored.validators.etag = "\"old\"";
  stored.pending_move_to = "https://x.example";
  stored.pending_move_count = 2;
  stored.next_due = k_now + std::chrono::hours{24 * 300};
  const SourceStatus st = reconcile_status(&stored, s, sched::Policy{}, k_now);
  EXPECT_EQ(poll_url(st), "http://new.example/feed");
  EXPECT_TRUE(st.validators.etag.empty());
  EXPECT_EQ(st.state, SourceState::ok);
  EXPECT_EQ(st.pending_move_count, 0);
  EXPECT_EQ(st.next_due, k_now);
}

TEST(NetworkWatch, DownOnlyWhenSeveralSourcesFailAtTransportLevel) {
  NetworkWatch w;
  w.record("a", FetchOutcome::network_error);
  w.record("a", FetchOutcome::network_error);
  w.record("a", FetchOutcome::network_error);
  EXPECT_FALSE(w.down()); // one source failing is that source's problem
  w.record("b", FetchOutcome::network_error);
  w.record("c", FetchOutcome::network_error);
  EXPECT_TRUE(w.down());
  w.record("d", FetchOutcome::ok);
  EXPECT_FALSE(w.down());
  NetworkWatch h;
  h.record("a", FetchOutcome::http_error);
  h.record("b", FetchOutcome::http_error);
  h.record("c", FetchOutcome::http_error);
  EXPECT_FALSE(h.down()); // servers answering with errors: the network is fine
}

TEST(ParseFailure, BecomesASourceErrorWithoutValidators) {
  FetchResult r;
  r.outcome = FetchOutcome::ok;
  r.status = 200;
  r.body = "<html>";
  r.validators.etag = "\"x\"";
  mark_parse_failure(r, "no feed root element");
  EXPECT_EQ(r.outcome, FetchOutcome::not_a_feed);
  EXPECT_EQ(r.error, "not a feed: no feed root element");
  EXPECT_TRUE(r.validators.etag.empty());
  EXPECT_TRUE(r.body.empty());
}

TEST(StatusTable, OneRowPerConfiguredSourceWithStateAndNotes) {
  std::vector<config::SourceConfig> sources{
      {"Variety", "https://variety.com/feed/", std::nullopt, true, {}},
      {"Wired", "https://wired.com/feed", std::nullopt, true, {}},
      {"Old", "https://old.example/rss", std::nullopt, true, {}},
      {"Off", "https://off.example/rss", std::nullopt, false, {}}};
  SourceStatus ok;
  ok.name = "Variety";
  ok.url = sources[0].url;
  ok.last_attempt = ok.last_success = k_now - std::chrono::minutes{3};
  ok.last_status = 200;
  ok.last_bytes = 12345;
  ok.next_due = k_now + std::chrono::minutes{27};
  SourceStatus moved = ok;
  moved.name = "Old";
  moved.url = sources[2].url;
  moved.effective_url = "https://new.example/rss";
  moved.state = SourceState::moved;
  moved.error_count = 1;
  moved.last_status = 503;
  moved.last_error = "HTTP 503";
  const std::string table = format_status_table(sources, {moved, ok}, k_now);
  std::istringstream lines(table);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) {
    rows.push_back(line);
  }
  ASSERT_EQ(rows.size(), 5u) << table;
  EXPECT_EQ(rows[0].rfind("SOURCE", 0), 0u);
  EXPECT_EQ(rows[1].rfind("Variety", 0), 0u); // config order, not status order
  EXPECT_NE(rows[1].find("3m ago"), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("in 27m"), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find("12K"), std::string::npos) << rows[1];
  EXPECT_NE(rows[2].find("new"), std::string::npos) << rows[2];
  EXPECT_NE(rows[3].find("moved to https://new.example/rss; HTTP 503"), std::string::npos)
      << rows[3];
  EXPECT_NE(rows[4].find("disabled"), std::string::npos) << rows[4];
  // Columns line up: every row has its STATE at the same offset.
  const std::size_t state_col = rows[0].find("STATE");
  EXPECT_EQ(rows[1].substr(state_col, 2), "ok");
}

TEST(StatusTable, PendingPermanentRedirectShowsMovingWithTheTarget) {
  const std::vector<config::SourceConfig> sources{
      {"Mover", "https://old.example/rss", std::nullopt, true, {}}};
  SourceStatus s;
  s.name = "Mover";
  s.url = sources[0].url;
  s.last_attempt = s.last_success = k_now - std::chrono::minutes{1};
  s.last_status = 200;
  s.pending_move_to = "https://new.example/rss";
  s.pending_move_count = 2;
  std::istringstream lines(format_status_table(sources, {s}, k_now));
  std::string header;
  std::string row;
  std::getline(lines, header);
  std::getline(lines, row);
  const std::size_t state_col = header.find("STATE");
  EXPECT_EQ(row.substr(state_col, 7), "moving ") << row;
  EXPECT_NE(row.find("redirects to https://new.example/rss (2x)"), std::string::npos) << row;
  // Failing while a move is pending: the failure is what matters.
  s.state = SourceState::backing_off;
  s.error_count = 1;
  std::istringstream failing(format_status_table(sources, {s}, k_now));
  std::getline(failing, header);
  std::getline(failing, row);
  EXPECT_EQ(row.substr(state_col, 11), "backing_off") << row;
}

TEST(RelativeTime, PastFutureAndUnset) {
  EXPECT_EQ(relative_time(k_now - std::chrono::seconds{30}, k_now), "30s ago");
  EXPECT_EQ(relative_time(k_now + std::chrono::hours{5}, k_now), "in 5h");
  EXPECT_EQ(relative_time(k_now - std::chrono::hours{72}, k_now), "3d ago");
  EXPECT_EQ(relative_time(Timestamp{}, k_now), "-");
}

TEST(RulesDiff, ReportsEnteringAndLeavingStories) {
  std::vector<Story> stories(3);
  for (int i = 0; i < 3; ++i) {
    stories[static_cast<std::size_t>(i)].id = i + 1;
    stories[static_cast<std::size_t>(i)].title = "story " + std::to_string(i + 1);
    stories[static_cast<std::size_t>(i)].outlets.push_back(
        Outlet{i + 1, "Src", "", "", {}, "", {}});
  }
  PublishPlan plan;
  plan.topics.push_back(TopicOutput{"t", "T", {}});
  auto decide = [](bool published) {
    Decision d;
    d.topic = "t";
    d.published = published;
    d.reason = published ? "in" : "out";
    return d;
  };
  plan.decisions = {{1, decide(true)}, {2, decide(false)}, {3, decide(true)}};
  const StoredDecisions before{{{1, "t"}, true}, {{2, "t"}, true}, {{3, "old-topic"}, true}};
  const RulesDiff diff = diff_rules(plan, stories, before);
  ASSERT_EQ(diff.changes.size(), 3u);
  // story 2 leaves t, story 3 enters t (no stored decision), story 3 leaves old-topic.
  int enters = 0;
  int leaves = 0;
  for (const RulesChange& c : diff.changes) {
    (c.enters ? enters : leaves) += 1;
    if (c.enters) {
      EXPECT_EQ(c.story_id, 3);
      EXPECT_EQ(c.title, "story 3");
    }
  }
  EXPECT_EQ(enters, 1);
  EXPECT_EQ(leaves, 2);
  EXPECT_EQ(diff.published_before.at("t"), 2u);
  EXPECT_EQ(diff.published_after.at("t"), 2u);
  const std::string text = format_rules_diff(diff, 3, "cfg.toml");
  EXPECT_NE(text.find("topic t: 2 published now, 2 with these rules (1 enter, 1 leave)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("ENTER 3 story 3 [Src] -- in"), std::string::npos) << text;
  EXPECT_NE(text.find("topic old-topic"), std::string::npos) << text;
  const StoredDecisions same{{{1, "t"}, true}, {{3, "t"}, true}};
  EXPECT_NE(format_rules_diff(diff_rules(plan, stories, same), 3, "c").find("no change"),
            std::string::npos);
}

} // namespace
} // namespace reelfeed::app
