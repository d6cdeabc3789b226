// Permanent-redirect migration over several polls (results as the Fetcher records them).

#include "sched/sched.hpp"

#include <gtest/gtest.h>

namespace reelfeed::sched {
namespace {

const Timestamp k_t0 = Timestamp{Seconds{1'700'000'000}};
const std::string k_old = "http://old.example/feed";
const std::string k_new = "https://new.example/feed.xml";

FetchResult redirected(long status, const std::string& to = k_new) {
  FetchResult r;
  r.outcome = FetchOutcome::ok;
  r.status = 200;
  r.effective_url = to;
  r.redirects = {{status, k_old, to}};
  return r;
}

SourceStatus source() {
  SourceStatus s;
  s.name = "old";
  s.url = k_old;
  return s;
}

TEST(SchedMoves, MovesAfterMovesNeededConsistentPermanentRedirects) {
  std::mt19937_64 rng(1);
  Policy p;
  p.moves_needed = 3;
  SourceStatus s = source();
  Timestamp now = k_t0;
  for (int poll = 1; poll <= 2; ++poll) {
    apply_result(s, redirected(301), nullptr, now, p, false, rng);
    EXPECT_EQ(s.state, SourceState::ok) << "poll " << poll;
    EXPECT_TRUE(s.effective_url.empty());
    EXPECT_EQ(s.pending_move_to, k_new);
    EXPECT_EQ(s.pending_move_count, poll);
    now = s.next_due;
  }
  apply_result(s, redirected(308), nullptr, now, p, false, rng);
  EXPECT_EQ(s.state, SourceState::moved);
  EXPECT_EQ(s.effective_url, k_new);
  EXPECT_EQ(s.url, k_old); // the configured URL is never rewritten
  EXPECT_EQ(s.pending_move_count, 0);

  // Polling the new URL directly keeps the source moved and healthy.
  FetchResult direct;
  direct.outcome = FetchOutcome::not_modified;
  direct.status = 304;
  apply_result(s, direct, nullptr, s.next_due, p, false, rng);
  EXPECT_EQ(s.state, SourceState::moved);
  EXPECT_EQ(s.effective_url, k_new);
}

TEST(SchedMoves, InconsistentOrTemporaryRedirectsDoNotMove) {
  std::mt19937_64 rng(1);
  Policy p;
  p.moves_needed = 3;
  SourceStatus s = source();
  apply_result(s, redirected(301), nullptr, k_t0, p, false, rng);
  apply_result(s, redirected(301), nullptr, k_t0, p, false, rng);
  FetchResult plain;
  plain.outcome = FetchOutcome::ok;
  plain.status = 200;
  apply_result(s, plain, nullptr, k_t0, p, false, rng); // the redirect went away
  EXPECT_EQ(s.pending_move_count, 0);
  apply_result(s, redirected(301), nullptr, k_t0, p, false, rng);
  apply_result(s, redirected(301, "https://elsewhere.example/"), nullptr, k_t0, p, false, rng);
  EXPECT_EQ(s.pending_move_to, "https://elsewhere.example/");
  EXPECT_EQ(s.pending_move_count, 1); // a new target starts over
  for (int i = 0; i < 5; ++i) {
    apply_result(s, redirected(302), nullptr, k_t0, p, false, rng);
  }
  EXPECT_EQ(s.state, SourceState::ok);
  EXPECT_TRUE(s.effective_url.empty());
}

TEST(SchedMoves, TransportErrorsInBetweenDoNotResetTheCount) {
  std::mt19937_64 rng(1);
  Policy p;
  p.moves_needed = 2;
  SourceStatus s = source();
  apply_result(s, redirected(301), nullptr, k_t0, p, false, rng);
  FetchResult down;
  down.outcome = FetchOutcome::network_error;
  down.error = "Could not resolve host";
  apply_result(s, down, nullptr, k_t0, p, false, rng);
  EXPECT_EQ(s.pending_move_count, 1);
  apply_result(s, redirected(301), nullptr, k_t0, p, false, rng);
  EXPECT_EQ(s.state, SourceState::moved);
  EXPECT_EQ(s.effective_url, k_new);
}

} // namespace
} // namespace reelfeed::sched
