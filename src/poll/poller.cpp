#include "poll/poller.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <exception>
#include <latch>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <span>
#include <utility>
#include <vector>

#include <boost/asio/post.hpp>

#include "parse/parse.hpp"
#include "util/hash.hpp"

namespace reelfeed::poll {

namespace asio = boost::asio;

namespace {
// Bump when parsing changes in a way the version does not show (the stored digests then
// no longer match, and every source is parsed and ingested once more).
constexpr std::string_view k_digest_salt = "reelfeed " REELFEED_VERSION " digest 1";
} // namespace

void NetworkWatch::record(const std::string& source, FetchOutcome outcome) {
  m_recent.emplace_back(source, outcome == FetchOutcome::network_error);
  while (m_recent.size() > k_window) {
    m_recent.pop_front();
  }
}

bool NetworkWatch::down() const {
  std::set<std::string_view> failing;
  for (const auto& [source, transport_failure] : m_recent) {
    if (!transport_failure) {
      return false;
    }
    failing.insert(source);
  }
  return failing.size() >= k_min_sources;
}

std::string body_digest(std::string_view body,
                        std::string_view content_type,
                        std::string_view base_url,
                        int utc_offset_minutes,
                        std::string_view encoding) {
  // Absent at their defaults: digests stored before these settings existed stay valid.
  const std::string offset =
      utc_offset_minutes != 0 ? "utc_offset=" + std::to_string(utc_offset_minutes) : "";
  const std::string reading = !encoding.empty() ? "encoding=" + std::string(encoding) : "";
  std::array<std::string_view, 5> fields{k_digest_salt, content_type, base_url};
  std::size_t n = 3;
  for (const std::string* extra : {&offset, &reading}) {
    if (!extra->empty()) {
      fields[n++] = *extra;
    }
  }
  return util::xxh3_128_hex(std::span(fields.data(), n), body);
}

void interleave_by_host(std::deque<std::pair<SourceStatus, PollSettings>>& sources) {
  std::vector<std::deque<std::pair<SourceStatus, PollSettings>>> by_host;
  std::map<std::string, std::size_t, std::less<>> index;
  for (auto& source : sources) {
    const auto [it, added] =
        index.try_emplace(sched::host_of(poll_url(source.first)), by_host.size());
    if (added) {
      by_host.emplace_back();
    }
    by_host[it->second].push_back(std::move(source));
  }
  sources.clear();
  for (bool more = true; more;) {
    more = false;
    for (auto& host : by_host) {
      if (!host.empty()) {
        sources.push_back(std::move(host.front()));
        host.pop_front();
        more = true;
      }
    }
  }
}

void on_each_thread(asio::thread_pool& pool, int threads, const std::function<void()>& fn) {
  // Shared, not on this stack: a task may still be leaving arrive_and_wait() after the last
  // arrival has let this function return.
  auto arrived = std::make_shared<std::latch>(threads);
  for (int i = 0; i < threads; ++i) {
    asio::post(pool, [arrived, &fn] {
      fn();
      arrived->arrive_and_wait();
    });
  }
  arrived->wait(); // `fn` is not used after this: every task has called it
}

int lower_priority(asio::thread_pool& pool, int threads, int delta) {
  std::atomic<int> failures{0};
  on_each_thread(pool, threads, [&failures, delta] {
    const auto tid = static_cast<id_t>(::gettid());
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, tid);
    if ((current == -1 && errno != 0) ||
        ::setpriority(PRIO_PROCESS, tid, std::min(19, current + delta)) != 0) {
      failures.fetch_add(1);
    }
  });
  return failures.load();
}

void mark_parse_failure(FetchResult& result, const std::string& message) {
  result.outcome = FetchOutcome::not_a_feed;
  result.error = "not a feed: " + message;
  result.validators = {};
  result.body.clear();
}

Poller::Poller(asio::io_context& io,
               fetch::Fetcher& fetcher,
               asio::thread_pool& cpu,
               asio::thread_pool& store_thread,
               store::Store& store,
               const Clock& clock,
               util::Logger& log)
    : m_io(io), m_fetcher(fetcher), m_cpu(cpu), m_store_thread(store_thread), m_store(store),
      m_clock(clock), m_log(log), m_rng(std::random_device{}()) {}

void Poller::poll(SourceStatus status, PollSettings settings, std::function<void(PollDone)> done) {
  auto job = std::make_shared<Job>(Job{.status = std::move(status),
                                       .settings = std::move(settings),
                                       .done = std::move(done),
                                       .digest = {},
                                       .unchanged = false,
                                       .host = {},
                                       .store_failed = false,
                                       .held = 0});
  const auto report_cancelled = [this, job] {
    asio::post(m_io,
               [job] { job->done(PollDone{.status = std::move(job->status), .cancelled = true}); });
  };
  if (m_stopping) {
    report_cancelled();
    return;
  }
  job->host = sched::host_of(poll_url(job->status));
  std::string name = job->status.name;
  m_admission.submit(
      job->host, std::move(name), [this, job] { start_fetch(job); }, report_cancelled);
}

void Poller::start_fetch(const std::shared_ptr<Job>& job) {
  std::string host = job->host;
  try {
    fetch::Request request{poll_url(job->status), job->status.validators};
    m_fetcher.fetch(std::move(request), [this, job, host](FetchResult result) {
      job->held = result.body.size();
      m_admission.fetched(host, job->held);
      on_fetched(std::move(*job), std::move(result));
    });
  } catch (const std::exception& e) {
    // Not started: free the slot and back the source off, as for any bug in one poll.
    m_log.error("poll_failed", {{"source", job->status.name}, {"err", e.what()}});
    m_admission.fetched(host);
    job->status.next_due = m_clock.now() + job->settings.policy.interval;
    asio::post(m_io, [this, job] {
      m_admission.finished();
      job->done(
          PollDone{.status = std::move(job->status), .cancelled = m_stopping, .failed = true});
    });
  }
}

void Poller::cancelled(Job job) {
  m_admission.finished(job.held);
  job.done(PollDone{.status = std::move(job.status), .cancelled = true});
}

std::size_t Poller::cancel(std::string_view name) {
  return m_admission.cancel(name);
}

void Poller::stop() {
  m_stopping = true;
  m_stop.request_stop();
  m_admission.cancel_all();
}

void Poller::on_fetched(Job job, FetchResult result) {
  if (m_stopping) {
    cancelled(std::move(job));
    return;
  }
  if (result.outcome != FetchOutcome::ok) {
    on_parsed(std::move(job), std::move(result), std::nullopt);
    return;
  }
  // Digest and parse are CPU work: off the io thread, so serving never waits for a big feed.
  auto shared = std::make_shared<std::pair<Job, FetchResult>>(std::move(job), std::move(result));
  asio::post(m_cpu, [this, shared] {
    auto& [parse_job, parse_result] = *shared;
    std::optional<store::Prepared> feed;
    parse_body(parse_job, parse_result, feed);
    // The body is not needed after parsing; free it before the feed waits for the store.
    std::string().swap(parse_result.body);
    asio::post(m_io, [this, shared, parsed = std::move(feed)]() mutable {
      on_parsed(std::move(shared->first), std::move(shared->second), std::move(parsed));
    });
  });
}

void Poller::parse_body(Job& job, FetchResult& result, std::optional<store::Prepared>& feed) const {
  const std::string& base =
      result.effective_url.empty() ? poll_url(job.status) : result.effective_url;
  const PollSettings& settings = job.settings;
  job.digest = body_digest(result.body, result.content_type, base, settings.utc_offset_minutes,
                           settings.encoding);
  if (!job.status.body_digest.empty() && job.digest == job.status.body_digest) {
    // Byte for byte what was parsed and stored last time (a server that ignores
    // validators): parsing and ingesting it again would find nothing new.
    job.unchanged = true;
    return;
  }
  try {
    Feed parsed = parse::parse_feed(
        result.body,
        parse::Options{result.content_type, base, settings.utc_offset_minutes, settings.encoding});
    // Identity keys, canonical URLs and signatures need no database: computed here, on the
    // CPU pool, so that the one store thread runs only SQL.
    feed = store::prepare(std::move(parsed));
    decide_entries(*feed, job.status.name, settings);
  } catch (const parse::Error& e) {
    mark_parse_failure(result, e.what());
  } catch (const std::exception& e) {
    mark_parse_failure(result, std::string("parser bug: ") + e.what());
  }
}

void Poller::decide_entries(store::Prepared& feed,
                            const std::string& source,
                            const PollSettings& settings) const {
  if (!settings.rules || settings.rules->topic_names().empty()) {
    return;
  }
  const Timestamp now = m_clock.now();
  feed.decisions.resize(feed.entries.size()); // empty: outside the window, left undecided
  for (std::size_t i = 0; i < feed.entries.size(); ++i) {
    const Entry& e = feed.feed.entries[i];
    if (e.published.value_or(now) >= now - settings.window) {
      feed.decisions[i] = settings.rules->evaluate_all(
          store::single_story(e, feed.entries[i], source, settings.tags, now));
    }
  }
  feed.rules_fingerprint = settings.rules_fingerprint;
}

void Poller::on_parsed(Job job, FetchResult result, std::optional<store::Prepared> feed) {
  if (m_stopping) {
    cancelled(std::move(job));
    return;
  }
  const Timestamp now = m_clock.now();
  const std::string before_url = poll_url(job.status);
  try {
    m_network.record(job.status.name, result.outcome);
    sched::apply_result(job.status, result, feed ? &feed->feed.hints : nullptr, now,
                        job.settings.policy, m_network.down(), m_rng);
    if (holds_enabled()) {
      m_holds.prune(now);
      m_holds.note(before_url, result, now, job.settings.policy);
      job.status.next_due = m_holds.defer(before_url, job.status.next_due);
    }
    if (feed) {
      job.status.parse_warnings = static_cast<int>(feed->feed.warnings.size());
    }
  } catch (const std::exception& e) {
    // A scheduling bug must not stop this source forever: back off by one interval.
    m_log.error("sched_failed", {{"source", job.status.name}, {"err", e.what()}});
    job.status.next_due = now + job.settings.policy.interval;
    feed.reset();
  }
  if (poll_url(job.status) != before_url) {
    m_log.warn("moved",
               {{"source", job.status.name}, {"from", before_url}, {"to", poll_url(job.status)}});
  }
  if (!feed) {
    const bool failed =
        result.outcome != FetchOutcome::ok && result.outcome != FetchOutcome::not_modified;
    if (result.outcome == FetchOutcome::not_modified) {
      m_log.info(
          "not_modified",
          {{"source", job.status.name}, {"status", result.status}, {"ms", result.elapsed.count()}});
    } else if (job.unchanged && result.outcome == FetchOutcome::ok) {
      m_log.info("unchanged", {{"source", job.status.name},
                               {"status", result.status},
                               {"bytes", result.bytes},
                               {"ms", result.elapsed.count()}});
    } else if (failed) {
      m_log.warn("fetch_failed", {{"source", job.status.name},
                                  {"outcome", to_string(result.outcome)},
                                  {"status", result.status},
                                  {"err", result.error},
                                  {"errors", job.status.error_count},
                                  {"state", to_string(job.status.state)},
                                  {"next", format_rfc3339(job.status.next_due)}});
    }
  }
  store_result(std::move(job), std::move(feed), result);
}

void Poller::store_result(Job job, std::optional<store::Prepared> feed, const FetchResult& result) {
  StoreJob sj;
  sj.job = std::make_shared<Job>(std::move(job));
  sj.feed = std::move(feed);
  sj.http_status = result.status;
  sj.bytes = static_cast<unsigned long long>(result.bytes);
  sj.ms = static_cast<long long>(result.elapsed.count());
  sj.failed = result.outcome != FetchOutcome::ok && result.outcome != FetchOutcome::not_modified;
  bool post = false;
  {
    const std::lock_guard lock(m_store_mutex);
    m_store_queue.push_back(std::move(sj));
    post = !std::exchange(m_store_drain_posted, true);
  }
  // Every Store call runs on the one store thread: the Store is not thread-safe.
  if (post) {
    asio::post(m_store_thread, [this] { drain_store_queue(); });
  }
}

void Poller::drain_store_queue() {
  std::vector<StoreJob> batch;
  {
    const std::lock_guard lock(m_store_mutex);
    batch.swap(m_store_queue);
    m_store_drain_posted = false;
  }
  // Group commit: whatever arrived while the store thread was busy is stored in one
  // transaction (each poll in its own savepoint), so a burst pays one commit, not one per
  // feed. A lone poll is still its own transaction, with no added delay.
  std::vector<store::GroupItem> items;
  items.reserve(batch.size());
  for (StoreJob& sj : batch) {
    SourceStatus& status = sj.job->status;
    sj.ingest = sj.feed.has_value();
    if (sj.ingest) {
      // The digest is part of the ingest's savepoint: recorded exactly when the entries are.
      sj.previous_digest = std::exchange(status.body_digest, sj.job->digest);
      sj.entries = sj.feed->feed.entries.size();
      sj.warnings = sj.feed->feed.warnings.size();
    }
    items.push_back(
        {sj.ingest ? &*sj.feed : nullptr, &status, sj.job->settings.max_items_per_fetch});
  }
  // A feed's entries are not needed once it is in the transaction: free each one then, not
  // at the end of the group (a burst's group holds up to the whole admission window).
  const auto outcomes = m_store.ingest_group(
      items, m_clock.now(), [&](std::size_t i) { batch[i].feed.reset(); }, m_stop.get_token());

  std::vector<store::GroupItem> retry; // statuses of the feeds whose entries were refused
  std::vector<std::size_t> retry_of;
  std::size_t interrupted = 0;
  for (std::size_t i = 0; i < batch.size(); ++i) {
    StoreJob& sj = batch[i];
    SourceStatus& status = sj.job->status;
    const std::string& name = status.name;
    const store::GroupOutcome& o = outcomes[i];
    if (o.interrupted) {
      ++interrupted; // stopping: nothing of it was stored, the next start fetches it again
      continue;
    }
    if (!o.ok()) {
      sj.job->store_failed = true;
      if (sj.ingest) {
        // Rolled back: keep the old digest and drop this response's validators, so the
        // next poll downloads, parses and ingests the same items again instead of a 304 or
        // an "unchanged" hiding them for good (a full disk must not lose entries). Logged
        // once, after that status is saved (or not).
        status.body_digest = std::move(sj.previous_digest);
        status.validators = {};
        retry.push_back({nullptr, &status});
        retry_of.push_back(i);
      } else {
        m_log.error("store_failed", {{"source", name}, {"err", o.error}});
      }
      continue;
    }
    if (!sj.ingest) {
      continue;
    }
    sj.changed = o.result.changed();
    sj.new_entries = o.result.new_entries;
    if (o.result.capped_entries > 0) {
      // Stored without validators or digest (store::GroupItem::max_new_entries): the same
      // here, so that the next poll is not a 304 that hides what was left out.
      status.validators = {};
      status.body_digest.clear();
      m_log.warn("capped", {{"source", name},
                            {"new", o.result.new_entries},
                            {"left_out", o.result.capped_entries},
                            {"max_items_per_fetch", sj.job->settings.max_items_per_fetch}});
    }
    m_log.info("fetched", {{"source", name},
                           {"status", sj.http_status},
                           {"bytes", sj.bytes},
                           {"ms", sj.ms},
                           {"entries", sj.entries},
                           {"new", o.result.new_entries},
                           {"updated", o.result.updated_entries},
                           {"joined", o.result.joined_stories},
                           {"warnings", sj.warnings}});
  }
  if (!retry.empty()) {
    const auto saved = m_store.ingest_group(retry, m_clock.now());
    for (std::size_t k = 0; k < saved.size(); ++k) {
      const std::size_t i = retry_of[k];
      m_log.error("store_failed", {{"source", batch[i].job->status.name},
                                   {"err", outcomes[i].error},
                                   {"status_saved", saved[k].ok() ? "yes" : "no"}});
    }
  }
  if (interrupted > 0) {
    m_log.info("store_interrupted", {{"feeds", interrupted}});
  }
  for (StoreJob& sj : batch) {
    asio::post(m_io, [this, job = std::move(sj.job), changed = sj.changed, failed = sj.failed,
                      new_entries = sj.new_entries] {
      finish(std::move(*job), changed, failed, new_entries);
    });
  }
}

void Poller::set_host_holds(config::PollConfig::RetryAfterScope scope) {
  if (scope != m_hold_scope) {
    m_holds = sched::HostHolds(scope == config::PollConfig::RetryAfterScope::domain);
    m_hold_scope = scope;
  }
}

Timestamp Poller::defer(const SourceStatus& status, Timestamp due) const {
  return holds_enabled() ? m_holds.defer(poll_url(status), due) : due;
}

void Poller::finish(Job job, bool changed, bool failed, int new_entries) {
  const bool unchanged = job.unchanged;
  const bool store_failed = job.store_failed;
  m_admission.finished(job.held); // before `done`: a caller polling again finds a slot
  job.done(PollDone{.status = std::move(job.status),
                    .changed = changed,
                    .cancelled = m_stopping,
                    .failed = failed || store_failed,
                    .new_entries = new_entries,
                    .unchanged = unchanged,
                    .store_failed = store_failed});
}

} // namespace reelfeed::poll
