// Admission on its own: which queued job gets a free slot, and what cancel does. The Poller
// tests (poller_test.cpp) run the same class with the real Fetcher and HTTP server.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "poll/admission.hpp"

namespace reelfeed::poll {
namespace {

// Records what was started or cancelled, in order.
struct Recorder {
  Admission admission;
  std::vector<std::string> started;
  std::vector<std::string> cancelled;

  explicit Recorder(Admission::Limits limits) : admission(limits) {}
  void submit(const std::string& host, const std::string& key) {
    admission.submit(
        host, key, [this, key] { started.push_back(key); },
        [this, key] { cancelled.push_back(key); });
  }
};

TEST(Admission, NeverMoreThanTheWindowInFlight) {
  Recorder r(Admission::Limits{3, 0});
  for (int i = 0; i < 10; ++i) {
    r.submit("h" + std::to_string(i), "s" + std::to_string(i));
  }
  EXPECT_EQ(r.started, (std::vector<std::string>{"s0", "s1", "s2"}));
  EXPECT_EQ(r.admission.active(), 3u);
  EXPECT_EQ(r.admission.queued(), 7u);
  // A finished transfer alone frees no slot: the job still holds its body or feed.
  r.admission.fetched("h0");
  EXPECT_EQ(r.started.size(), 3u);
  r.admission.finished();
  EXPECT_EQ(r.started.back(), "s3");
  for (int i = 1; i < 10; ++i) {
    r.admission.finished();
  }
  EXPECT_EQ(r.started.size(), 10u);
  EXPECT_EQ(r.admission.max_active(), 3u);
  EXPECT_EQ(r.admission.queued(), 0u);
}

TEST(Admission, HostAtItsLimitDoesNotBlockOtherHosts) {
  Recorder r(Admission::Limits{3, 1});
  for (int i = 1; i <= 4; ++i) {
    r.submit("slow", "a" + std::to_string(i)); // queued first
  }
  r.submit("fast", "b1");
  r.submit("fast", "b2");
  r.submit("fast", "b3");
  // a1 fetching holds "slow" at its limit: the next slots go to "fast".
  EXPECT_EQ(r.started, (std::vector<std::string>{"a1", "b1"}));
  r.admission.fetched("fast");
  EXPECT_EQ(r.started.back(), "b2");
  r.admission.fetched("fast");
  r.admission.finished(); // b1 stored
  EXPECT_EQ(r.started.back(), "b3");
  r.admission.fetched("fast");
  r.admission.finished();
  r.admission.finished();
  EXPECT_EQ(r.started.size(), 4u); // a2.. wait for a1's transfer, whatever the free slots
  EXPECT_EQ(r.admission.active(), 1u);
  r.admission.fetched("slow");
  EXPECT_EQ(r.started.back(), "a2");
  EXPECT_EQ(r.admission.active(), 2u);
}

TEST(Admission, FreeSlotsGoRoundRobinOverHosts) {
  Recorder r(Admission::Limits{1, 0});
  r.submit("x", "x1");
  r.submit("x", "x2");
  r.submit("x", "x3");
  r.submit("y", "y1");
  r.submit("z", "z1");
  r.submit("y", "y2");
  for (int i = 0; i < 5; ++i) {
    r.admission.fetched(r.started.back().substr(0, 1)); // the key's first letter is its host
    r.admission.finished();
  }
  // x1 went at once; then each host in turn, in the order they queued.
  EXPECT_EQ(r.started, (std::vector<std::string>{"x1", "x2", "y1", "z1", "x3", "y2"}));
}

TEST(Admission, CancelDropsOnlyQueuedJobsOfThatKey) {
  Recorder r(Admission::Limits{1, 0});
  r.submit("h", "keep");
  r.submit("h", "gone");
  r.submit("g", "gone");
  r.submit("g", "other");
  EXPECT_EQ(r.admission.cancel("keep"), 0u); // admitted already: runs to its end
  EXPECT_EQ(r.admission.cancel("gone"), 2u);
  EXPECT_EQ(r.cancelled, (std::vector<std::string>{"gone", "gone"}));
  EXPECT_EQ(r.admission.queued(), 1u);
  r.admission.fetched("h");
  r.admission.finished();
  EXPECT_EQ(r.started, (std::vector<std::string>{"keep", "other"}));
  EXPECT_EQ(r.admission.cancel_all(), 0u);
}

TEST(Admission, CancelAllEmptiesTheQueueAndAdmitsNothingMore) {
  Recorder r(Admission::Limits{2, 1});
  for (int i = 0; i < 5; ++i) {
    r.submit("h", "s" + std::to_string(i));
  }
  EXPECT_EQ(r.started.size(), 1u);
  EXPECT_EQ(r.admission.cancel_all(), 4u);
  EXPECT_EQ(r.cancelled.size(), 4u);
  r.admission.fetched("h");
  r.admission.finished();
  EXPECT_EQ(r.started.size(), 1u);
  EXPECT_EQ(r.admission.active(), 0u);
  EXPECT_EQ(r.admission.queued(), 0u);
}

TEST(Admission, ForFetchAddsTheDownstreamSlotsToTheTransfers) {
  fetch::Limits limits;
  limits.max_concurrent = 16;
  limits.max_per_host = 2;
  const Admission::Limits a = Admission::for_fetch(limits);
  EXPECT_EQ(a.window, 16 + Admission::k_downstream);
  EXPECT_EQ(a.max_per_host, 2);
  EXPECT_EQ(a.window_bytes, Admission::k_window_bytes);
}

TEST(Admission, BodiesHeldBoundTheWindowInBytes) {
  // 100 slots, 800 bytes: feeds of 100 bytes keep about 8 jobs admitted, not 100.
  Recorder r(Admission::Limits{100, 0, 800});
  for (int i = 0; i < 40; ++i) {
    r.submit("h" + std::to_string(i), "s" + std::to_string(i));
  }
  // Before any body is seen, a transfer is charged an eighth of the window.
  EXPECT_EQ(r.started.size(), Admission::k_downstream);
  for (std::size_t i = 0; i < Admission::k_downstream; ++i) {
    r.admission.fetched("h" + std::to_string(i), 100);
  }
  // 8 bodies of 100 bytes held: the window is full until one is finished.
  EXPECT_EQ(r.started.size(), Admission::k_downstream);
  EXPECT_EQ(r.admission.held_bytes(), 800u);
  r.admission.finished(100);
  EXPECT_EQ(r.started.size(), Admission::k_downstream + 1);
  EXPECT_EQ(r.admission.held_bytes(), 700u);
  // A body larger than the whole window still goes, and nothing else until it is done.
  Recorder big(Admission::Limits{100, 0, 800});
  big.submit("a", "a1");
  big.submit("b", "b1");
  EXPECT_EQ(big.started, (std::vector<std::string>{"a1", "b1"}));
  big.admission.fetched("a", 5000);
  big.admission.fetched("b", 5000);
  big.submit("c", "c1");
  big.admission.finished(5000);
  EXPECT_EQ(big.started.size(), 2u);
  big.admission.finished(5000);
  EXPECT_EQ(big.started.back(), "c1");
  EXPECT_EQ(big.admission.max_held_bytes(), 10000u);
}

TEST(Admission, BodilessResultsFillTheWholeWindow) {
  // 304s hold nothing: the job window alone bounds them.
  Recorder r(Admission::Limits{20, 0, 800});
  for (int i = 0; i < 40; ++i) {
    r.submit("h" + std::to_string(i), "s" + std::to_string(i));
  }
  ASSERT_EQ(r.started.size(), Admission::k_downstream);
  for (std::size_t i = 0; i < Admission::k_downstream; ++i) {
    r.admission.fetched("h" + std::to_string(i), 0);
  }
  EXPECT_EQ(r.started.size(), 20u);
}

} // namespace
} // namespace reelfeed::poll
