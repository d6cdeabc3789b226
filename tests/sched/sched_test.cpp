// The polling policy: pure functions of (status, result, policy, now), no clock, no sleep.

#include "sched/sched.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <vector>

#include <gtest/gtest.h>
#include <libpsl.h>

namespace reelfeed::sched {
namespace {

const Timestamp k_now = Timestamp{Seconds{1'700'000'000}};

FetchResult ok_result() {
  FetchResult r;
  r.outcome = FetchOutcome::ok;
  r.status = 200;
  r.validators = {"\"e1\"", "Sat, 01 Jul 2023 10:00:00 GMT"};
  return r;
}

FetchResult failed(FetchOutcome o, long status = 0) {
  FetchResult r;
  r.outcome = o;
  r.status = status;
  r.error = "boom";
  return r;
}

Policy no_jitter() {
  Policy p;
  p.jitter = 0;
  return p;
}

// A source in its rhythm: polled before, and due now.
SourceStatus fresh(const std::string& url = "http://a.example/feed") {
  SourceStatus s;
  s.name = "a";
  s.url = url;
  s.last_success = k_now - Seconds{1800};
  s.next_due = k_now;
  return s;
}

// Buckets of next-due offsets from k_now: the largest count in any `width`-second bucket.
std::size_t busiest(const std::vector<long long>& offsets, long long width) {
  std::map<long long, std::size_t> n;
  std::size_t most = 0;
  for (const long long o : offsets) {
    most = std::max(most, ++n[o / width]);
  }
  return most;
}

TEST(Sched, FirstSuccessSpreadsSourcesPolledTogetherOverTheInterval) {
  // 10,000 sources first polled within the same minute, 30-minute interval: their next
  // polls must come ~6 a second over the next interval, not in the same few minutes.
  std::mt19937_64 rng(3);
  const Policy p; // 1800 s, 10% jitter
  std::vector<long long> offsets;
  long long lo = 1'000'000;
  long long hi = 0;
  for (int i = 0; i < 10'000; ++i) {
    SourceStatus s;
    s.name = "s" + std::to_string(i);
    s.url = "http://h" + std::to_string(i) + ".example/feed";
    s.next_due = k_now + Seconds{i % 10}; // initial_due spread over the first seconds
    const Timestamp polled = k_now + Seconds{i % 60};
    apply_result(s, ok_result(), nullptr, polled, p, false, rng);
    const long long o = (s.next_due - k_now).count();
    offsets.push_back(o);
    lo = std::min(lo, o);
    hi = std::max(hi, o);
  }
  EXPECT_LE(lo, 960);  // from half an interval on...
  EXPECT_GE(hi, 2640); // ...to one and a half: the sources cover a whole interval
  // Uniform over 1,800 s is 333 a minute; jitter alone would put ~1,600 in the busiest.
  EXPECT_LT(busiest(offsets, 60), 420U);

  // The next cycle keeps that spread: on-time polls only jitter.
  std::vector<long long> next;
  for (const long long o : offsets) {
    SourceStatus s = fresh();
    s.next_due = k_now + Seconds{o};
    apply_result(s, ok_result(), nullptr, s.next_due, p, false, rng);
    next.push_back((s.next_due - k_now).count());
  }
  EXPECT_LT(busiest(next, 60), 420U);
}

TEST(Sched, APollFarPastItsDueTimeSpreadsAgainAndAnOnTimeOneOnlyJitters) {
  std::mt19937_64 rng(9);
  const Policy p;
  std::set<long long> late;
  for (int i = 0; i < 200; ++i) {
    SourceStatus s = fresh();
    s.next_due = k_now - Seconds{3 * 3600}; // the daemon was down for hours
    apply_result(s, ok_result(), nullptr, k_now, p, false, rng);
    const auto d = (s.next_due - k_now).count();
    EXPECT_GE(d, 900);
    EXPECT_LT(d, 2700);
    late.insert(d / 100);
  }
  EXPECT_GT(late.size(), 15U); // spread over the whole span, not +-10%
  for (int i = 0; i < 200; ++i) {
    SourceStatus s = fresh();
    s.next_due = k_now - Seconds{60};
    apply_result(s, ok_result(), nullptr, k_now, p, false, rng);
    const auto d = (s.next_due - k_now).count();
    EXPECT_GE(d, 1620);
    EXPECT_LE(d, 1980);
  }
}

TEST(Sched, InitialDueIsSpreadOverOneIntervalAndStable) {
  const Policy p;
  std::set<long long> offsets;
  for (int i = 0; i < 200; ++i) {
    const Timestamp due = initial_due("source-" + std::to_string(i), k_now, p);
    EXPECT_GE(due, k_now);
    EXPECT_LT(due, k_now + p.interval);
    offsets.insert((due - k_now).count());
  }
  EXPECT_GT(offsets.size(), 150U); // a thousand sources do not fire together
  EXPECT_EQ(initial_due("x", k_now, p), initial_due("x", k_now, p));
}

TEST(Sched, SuccessUsesIntervalAndStoresValidators) {
  SourceStatus s = fresh();
  s.error_count = 3;
  s.state = SourceState::backing_off;
  std::mt19937_64 rng(1);
  const FetchResult r = ok_result();
  apply_result(s, r, nullptr, k_now, no_jitter(), false, rng);
  EXPECT_EQ(s.state, SourceState::ok);
  EXPECT_EQ(s.error_count, 0);
  EXPECT_EQ(s.next_due, k_now + Policy{}.interval);
  EXPECT_EQ(s.last_success, k_now);
  EXPECT_EQ(s.last_attempt, k_now);
  EXPECT_EQ(s.last_status, 200);
  EXPECT_EQ(s.validators.etag, "\"e1\"");
}

TEST(Sched, FeedHintsAndMaxAgeStretchWithinBounds) {
  std::mt19937_64 rng(1);
  Policy p = no_jitter();
  p.interval = Seconds{1800};
  p.max_interval = Seconds{7200};
  SourceStatus s = fresh();
  PollHints hints;
  hints.ttl = Seconds{3600};
  apply_result(s, ok_result(), &hints, k_now, p, false, rng);
  EXPECT_EQ(s.next_due, k_now + Seconds{3600});
  EXPECT_EQ(s.hinted_interval, Seconds{3600});

  // A 304 is not parsed: the remembered hint still applies.
  FetchResult nm = ok_result();
  nm.outcome = FetchOutcome::not_modified;
  nm.status = 304;
  apply_result(s, nm, nullptr, k_now, p, false, rng);
  EXPECT_EQ(s.next_due, k_now + Seconds{3600});

  // update_period beyond max_interval is clamped.
  hints.update_period = Seconds{86400};
  apply_result(s, ok_result(), &hints, k_now, p, false, rng);
  EXPECT_EQ(s.next_due, k_now + Seconds{7200});

  // Cache-Control max-age stretches too; a short one never shortens the interval.
  SourceStatus t = fresh();
  FetchResult r = ok_result();
  r.max_age = Seconds{5400};
  apply_result(t, r, nullptr, k_now, p, false, rng);
  EXPECT_EQ(t.next_due, k_now + Seconds{5400});
  r.max_age = Seconds{10};
  apply_result(t, r, nullptr, k_now, p, false, rng);
  EXPECT_EQ(t.next_due, k_now + Seconds{1800});
}

TEST(Sched, JitterSpreadsWithinTheConfiguredFraction) {
  std::mt19937_64 rng(42);
  const Policy p; // 10%
  std::set<long long> seen;
  for (int i = 0; i < 100; ++i) {
    SourceStatus s = fresh();
    apply_result(s, ok_result(), nullptr, k_now, p, false, rng);
    const auto d = (s.next_due - k_now).count();
    EXPECT_GE(d, 1620);
    EXPECT_LE(d, 1980);
    seen.insert(d);
  }
  EXPECT_GT(seen.size(), 50U);
}

TEST(Sched, JitterNeverLeavesTheBounds) {
  std::mt19937_64 rng(5);
  Policy p;
  p.jitter = 0.5;
  p.interval = Seconds{3600};
  p.min_interval = Seconds{3000};
  p.max_interval = Seconds{4000};
  for (int i = 0; i < 200; ++i) {
    SourceStatus s = fresh();
    apply_result(s, ok_result(), nullptr, k_now, p, false, rng);
    EXPECT_GE(s.next_due, k_now + p.min_interval);
    EXPECT_LE(s.next_due, k_now + p.max_interval);
  }
}

TEST(Sched, BackoffGrowsExponentiallyToTheCapAndNeverGivesUp) {
  std::mt19937_64 rng(7);
  const Policy p = no_jitter();
  SourceStatus s = fresh();
  std::vector<long long> delays;
  for (int i = 0; i < 30; ++i) {
    apply_result(s, failed(FetchOutcome::http_error, 502), nullptr, k_now, p, false, rng);
    delays.push_back((s.next_due - k_now).count());
    EXPECT_EQ(s.state, SourceState::backing_off);
  }
  EXPECT_EQ(s.error_count, 30);
  EXPECT_EQ(delays[0], 300); // base 60 s, but never sooner than min_interval
  EXPECT_EQ(delays[3], 480);
  EXPECT_EQ(delays[4], 960);
  EXPECT_EQ(delays.back(), p.backoff_cap.count());
  EXPECT_TRUE(std::is_sorted(delays.begin(), delays.end()));
  EXPECT_EQ(s.last_error, "boom");
  // One success clears it all.
  apply_result(s, ok_result(), nullptr, k_now, p, false, rng);
  EXPECT_EQ(s.state, SourceState::ok);
  EXPECT_EQ(s.error_count, 0);
  EXPECT_TRUE(s.last_error.empty());
}

TEST(Sched, JitteredBackoffNeverExceedsTheCap) {
  std::mt19937_64 rng(3);
  const Policy p;
  SourceStatus s = fresh();
  for (int i = 0; i < 50; ++i) {
    apply_result(s, failed(FetchOutcome::network_error), nullptr, k_now, p, false, rng);
    EXPECT_LE(s.next_due, k_now + p.backoff_cap);
  }
}

TEST(Sched, RetryAfterIsHonouredWhenLongerThanBackoff) {
  std::mt19937_64 rng(1);
  const Policy p = no_jitter();
  SourceStatus s = fresh();
  FetchResult r = failed(FetchOutcome::http_error, 429);
  r.retry_after = Seconds{7200};
  apply_result(s, r, nullptr, k_now, p, false, rng);
  EXPECT_EQ(s.next_due, k_now + Seconds{7200});
  EXPECT_EQ(s.state, SourceState::backing_off);
  // A very short Retry-After does not make us poll faster than the backoff floor.
  r.retry_after = Seconds{1};
  r.status = 503;
  apply_result(s, r, nullptr, k_now, p, false, rng);
  EXPECT_EQ(s.next_due, k_now + backoff_delay(2, p));
  // An absurd one is capped at max(max_interval, backoff_cap).
  r.retry_after = Seconds{100 * 86400};
  apply_result(s, r, nullptr, k_now, p, false, rng);
  EXPECT_EQ(s.next_due, k_now + p.max_interval);
}

TEST(Sched, GoneStopsPollingAndSaysSo) {
  std::mt19937_64 rng(1);
  SourceStatus s = fresh();
  apply_result(s, failed(FetchOutcome::http_error, 410), nullptr, k_now, Policy{}, false, rng);
  EXPECT_EQ(s.state, SourceState::gone);
  EXPECT_NE(s.last_error.find("410 Gone"), std::string::npos);
  EXPECT_GT(s.next_due, k_now + Seconds{300 * 86400});
  EXPECT_EQ(s.last_status, 410);
}

TEST(Sched, NetworkDownDoesNotInflateErrorCounts) {
  std::mt19937_64 rng(1);
  const Policy p = no_jitter();
  SourceStatus s = fresh();
  for (int i = 0; i < 10; ++i) {
    apply_result(s, failed(FetchOutcome::network_error), nullptr, k_now, p, true, rng);
  }
  EXPECT_EQ(s.error_count, 0);
  EXPECT_EQ(s.state, SourceState::ok);
  EXPECT_NE(s.last_error.find("network down"), std::string::npos);
  EXPECT_EQ(s.next_due, k_now + backoff_delay(1, p)); // retried soon, not pushed out
  // An HTTP error is the publisher's answer: it counts even while "down" is reported.
  apply_result(s, failed(FetchOutcome::http_error, 500), nullptr, k_now, p, true, rng);
  EXPECT_EQ(s.error_count, 1);
}

TEST(Sched, PermanentTargetFollowsLeadingPermanentHops) {
  FetchResult r = ok_result();
  r.redirects = {{301, "http://a/1", "http://a/2"},
                 {308, "http://a/2", "https://b/3"},
                 {302, "https://b/3", "https://b/4"}};
  EXPECT_EQ(permanent_target(r), "https://b/3");
  r.redirects = {{302, "http://a/1", "http://a/2"}, {301, "http://a/2", "http://a/3"}};
  EXPECT_EQ(permanent_target(r), "");
}

TEST(Sched, HostOfNormalisesPortsAndSchemes) {
  EXPECT_EQ(host_of("https://Example.COM/feed"), "example.com:443");
  EXPECT_EQ(host_of("http://user:pw@example.com:8080/x?y"), "example.com:8080");
  EXPECT_EQ(host_of("http://[::1]/x"), "[::1]:80");
  EXPECT_EQ(host_of("file:///tmp/feed.xml"), "");
}

TEST(Sched, DomainOfUsesThePublicSuffixList) {
  const psl_ctx_t* psl = psl_latest(nullptr);
  ASSERT_NE(psl, nullptr);
  EXPECT_EQ(domain_of("https://staff.tumblr.com/rss", psl), "tumblr.com");
  EXPECT_EQ(domain_of("https://www.bbc.co.uk/news/rss.xml", psl), "bbc.co.uk");
  // blogspot.com is a public suffix itself (the list's private part): every blog apart.
  EXPECT_EQ(domain_of("https://a.blogspot.com/feeds", psl), "a.blogspot.com");
  EXPECT_EQ(domain_of("http://127.0.0.1:8080/feed", psl), "127.0.0.1:8080");
  EXPECT_EQ(domain_of("http://[::1]/feed", psl), "[::1]:80");
  EXPECT_EQ(domain_of("file:///tmp/feed.xml", psl), "");
  psl_free(const_cast<psl_ctx_t*>(psl));
}

TEST(Sched, DomainHoldsDeferEveryHostOfTheDomain) {
  HostHolds holds(true);
  const Policy p;
  FetchResult r = failed(FetchOutcome::http_error, 429);
  r.retry_after = Seconds{600};
  holds.note("https://staff.tumblr.com/rss", r, k_now, p);
  EXPECT_EQ(holds.defer("https://other-blog.tumblr.com/rss", k_now), k_now + Seconds{600});
  EXPECT_EQ(holds.defer("https://tumblr.com/feed", k_now), k_now + Seconds{600});
  EXPECT_EQ(holds.defer("https://tumblr.example/rss", k_now), k_now);
  holds.note("https://a.blogspot.com/feeds", r, k_now, p);
  EXPECT_EQ(holds.defer("https://b.blogspot.com/feeds", k_now), k_now); // separate sites
  // By host (the default), other hosts of the domain are not held.
  HostHolds by_host;
  by_host.note("https://staff.tumblr.com/rss", r, k_now, p);
  EXPECT_EQ(by_host.defer("https://other-blog.tumblr.com/rss", k_now), k_now);
}

TEST(Sched, HostHoldsDeferOtherSourcesOnTheHost) {
  HostHolds holds;
  const Policy p;
  FetchResult r = failed(FetchOutcome::http_error, 429);
  r.retry_after = Seconds{600};
  holds.note("https://rsshub.example/a", r, k_now, p);
  EXPECT_EQ(holds.defer("https://rsshub.example/b", k_now), k_now + Seconds{600});
  EXPECT_EQ(holds.defer("https://rsshub.example/b", k_now + Seconds{900}), k_now + Seconds{900});
  EXPECT_EQ(holds.defer("https://other.example/b", k_now), k_now);
  holds.prune(k_now + Seconds{601});
  EXPECT_FALSE(holds.held_until("rsshub.example:443").has_value());
  FetchResult plain = failed(FetchOutcome::http_error, 500);
  plain.retry_after = Seconds{600};
  holds.note("https://x.example/", plain, k_now, p); // only 429/503 hold a host
  EXPECT_FALSE(holds.held_until("x.example:443").has_value());
}

} // namespace
} // namespace reelfeed::sched
