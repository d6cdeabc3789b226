#pragma once
// One poll of one source, the path shared by `reelfeed run` and `reelfeed poll`:
//   io thread:    Fetcher (conditional GET with the stored validators)
//   cpu pool:     body digest; parse::parse_feed + store::prepare only for a 200 whose
//                 digest differs from the stored one (a 304, an unchanged 200 or an error
//                 is never parsed)
//   io thread:    sched::apply_result -> the new SourceStatus (next due, backoff, move)
//   store thread: Store::ingest_group of every result queued meanwhile (SQL only; one
//                 transaction, each poll in its own savepoint: group commit), the
//                 prepared feed's entries or just the status; the new body digest is
//                 recorded only with committed entries
//   io thread:    the caller's `done`
// Admission (poll/admission.hpp) bounds the jobs between "fetch started" and "stored" and
// queues the rest per host, so a burst of due sources costs a queued status each, not a body
// or a parsed feed each; both `reelfeed run` and `reelfeed poll` go through it.
// Every step is wrapped: a bug in one source's poll is logged and backs that source off, it
// never reaches the event loop. Not thread-safe: call poll() and stop() on the io thread.

#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <stop_token>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "config/config.hpp"
#include "fetch/fetch.hpp"
#include "filter/filter.hpp"
#include "model/entry.hpp"
#include "model/fetch_result.hpp"
#include "model/source_status.hpp"
#include "model/time.hpp"
#include "poll/admission.hpp"
#include "sched/sched.hpp"
#include "store/store.hpp"
#include "util/log.hpp"

namespace reelfeed::poll {

/// "The network is down" detector: the recent results were all transport failures across
/// several sources, so a source's own error count should not grow. Pure, io thread only.
class NetworkWatch {
public:
  static constexpr std::size_t k_window = 8;
  static constexpr std::size_t k_min_sources = 3;
  void record(const std::string& source, FetchOutcome outcome);
  [[nodiscard]] bool down() const;

private:
  std::deque<std::pair<std::string, bool>> m_recent; ///< (source, transport failure)
};

/// A 200 whose body is not a feed becomes a failure of the source: no validators kept (the
/// next poll downloads it again) and a clear message. Pure.
void mark_parse_failure(FetchResult& result, const std::string& message);

/// Digest of a 200's body as SourceStatus::body_digest keeps it: XXH3-128 in hex over the
/// body, the Content-Type (charset), the base URL (relative links) and the source's non-default
/// reading settings -- everything the parse depends on -- salted with the parser/app version so
/// that an upgrade parses again. Pure.
[[nodiscard]] std::string body_digest(std::string_view body,
                                      std::string_view content_type,
                                      std::string_view base_url,
                                      int utc_offset_minutes = 0,
                                      std::string_view encoding = {});

/// What a poll needs besides the source's status: how to schedule it (the config's poll
/// policy) and how to read its feed.
struct PollSettings {
  sched::Policy policy;
  int utc_offset_minutes = 0; ///< the source's utc_offset: its dates that name no zone
  std::string encoding;       ///< the source's encoding (empty: detect)
  /// With rules, each parsed entry is also decided on the CPU pool as a story of its own
  /// (store::Prepared::decisions): a new story is then saved decided and the publish has
  /// nothing to evaluate for it. Null: the publish evaluates every new story.
  std::shared_ptr<const filter::Rules> rules;
  std::uint64_t rules_fingerprint = 0; ///< app::rules_fingerprint of `rules`
  std::vector<std::string> tags;       ///< the source's tags, as the rules see them
  /// Only entries published within this window ([output] max_age, part of the rules'
  /// fingerprint) are decided: an older one cannot be output until a change queues its
  /// story anyway.
  Seconds window{std::chrono::days{30}};
  /// `[poll] max_items_per_fetch`: most new items one fetch may add (0: no cap); see
  /// store::GroupItem::max_new_entries.
  std::size_t max_items_per_fetch = 0;
};

/// Reorders sources round-robin over their hosts (first-seen host order, each host's own
/// order kept), so that a bounded window of polls spans many hosts and one host's per-host
/// limit does not hold up the others. Pure.
void interleave_by_host(std::deque<std::pair<SourceStatus, PollSettings>>& sources);

/// Runs `fn` once on each of `pool`'s `threads` threads and returns when all did (each task
/// waits for the others, so no thread runs two). Call it while the pool is otherwise idle.
void on_each_thread(boost::asio::thread_pool& pool, int threads, const std::function<void()>& fn);

/// Nice value the CPU pool's threads get on top of the process's: the store thread is the
/// narrowest stage of a big poll and the io thread serves; both should win over parsing.
constexpr int k_cpu_pool_nice = 5;

/// Raises the nice value of each of the pool's threads by `delta` (Linux: one thread's
/// priority, by its id; capped at 19). Needs no privilege. Returns how many threads could
/// not be changed (failure only costs speed).
int lower_priority(boost::asio::thread_pool& pool, int threads, int delta);

struct PollDone {
  SourceStatus status;    ///< after this poll, as stored
  bool changed = false;   ///< new or updated entries were stored
  bool cancelled = false; ///< the poller was stopped: nothing was recorded
  bool failed = false;    ///< the fetch or the parse failed (status says why)
  int new_entries = 0;
  bool unchanged = false;    ///< a 200 with the stored body digest: not parsed, not ingested
  bool store_failed = false; ///< the store refused the write (disk full, I/O): also `failed`
};

class Poller {
public:
  Poller(boost::asio::io_context& io,
         fetch::Fetcher& fetcher,
         boost::asio::thread_pool& cpu,
         boost::asio::thread_pool& store_thread,
         store::Store& store,
         const Clock& clock,
         util::Logger& log);

  /// Polls once from `status` (URL, validators) with `settings`: queued until admitted (see
  /// set_admission), then fetched. `done` runs on the io thread, never inside this call, after
  /// the status (and any entries) are committed, or with cancelled=true after stop() or
  /// cancel() (nothing recorded).
  void poll(SourceStatus status, PollSettings settings, std::function<void(PollDone)> done);

  /// The pipeline's bound; use Admission::for_fetch(the Fetcher's limits). Default:
  /// Admission::Limits{} (fetch::Limits' defaults).
  void set_admission(Admission::Limits limits) { m_admission.set_limits(limits); }
  /// Cancels the queued, not yet admitted polls of source `name` (a reload removed or
  /// re-targeted it): their `done` gets cancelled=true. An admitted poll runs to its end.
  std::size_t cancel(std::string_view name);
  /// Jobs in flight, queued, and the highest in flight so far (tests, benchmarks).
  [[nodiscard]] const Admission& admission() const { return m_admission; }

  /// `[poll] retry_after_scope`: with "host" or "domain", a 429/503 Retry-After holds every
  /// source of that host or registrable domain. A change of scope forgets the holds so far.
  void set_host_holds(config::PollConfig::RetryAfterScope scope);
  /// `due`, or later when the source's host is held by a Retry-After (io thread).
  [[nodiscard]] Timestamp defer(const SourceStatus& status, Timestamp due) const;

  /// Shutdown: queued polls are cancelled, results arriving from now on (the Fetcher's
  /// cancellations) are dropped instead of being recorded as failures, and a group commit
  /// under way on the store thread stops before its next feed (the feeds not stored keep
  /// their old validators and digest, so the next start fetches them again). Safe to call
  /// from the io thread while the store thread ingests.
  void stop();

private:
  struct Job {
    SourceStatus status;
    PollSettings settings;
    std::function<void(PollDone)> done;
    std::string digest;     ///< of this poll's 200 body; stored only with its ingest
    bool unchanged = false; ///< digest equals the stored one: no parse, no ingest
    std::string host;       ///< admission key (sched::host_of the polled URL)
    bool store_failed = false;
    std::size_t held = 0; ///< body bytes charged to the admission window until finish()
  };
  void start_fetch(const std::shared_ptr<Job>& job);
  void cancelled(Job job); ///< an admitted job is dropped: frees its slot, reports cancelled
  void on_fetched(Job job, FetchResult result);
  void on_parsed(Job job, FetchResult result, std::optional<store::Prepared> feed);
  void store_result(Job job, std::optional<store::Prepared> feed, const FetchResult& result);
  /// A poll's result waiting for the store thread (drain_store_queue).
  struct StoreJob {
    std::shared_ptr<Job> job;
    std::optional<store::Prepared> feed; ///< parsed entries; nullopt: save the status only
    long http_status = 0;
    unsigned long long bytes = 0;
    long long ms = 0;
    bool failed = false; ///< the fetch or parse failed
    // Filled by drain_store_queue():
    bool ingest = false;         ///< `feed` was given to the store (it is freed meanwhile)
    std::string previous_digest; ///< restored if the store refuses the entries
    std::size_t entries = 0;     ///< of the freed feed, for the log
    std::size_t warnings = 0;
    bool changed = false;
    int new_entries = 0;
  };
  /// Store thread: stores every queued result in one group commit, then reports each.
  void drain_store_queue();
  void finish(Job job, bool changed, bool failed, int new_entries);
  void parse_body(Job& job, FetchResult& result, std::optional<store::Prepared>& feed) const;
  /// CPU pool: each entry's decisions as a story of its own, when settings carry rules.
  void decide_entries(store::Prepared& feed,
                      const std::string& source,
                      const PollSettings& settings) const;

  boost::asio::io_context& m_io;
  fetch::Fetcher& m_fetcher;
  boost::asio::thread_pool& m_cpu;
  boost::asio::thread_pool& m_store_thread;
  store::Store& m_store;
  const Clock& m_clock;
  util::Logger& m_log;
  std::mt19937_64 m_rng;
  NetworkWatch m_network;
  sched::HostHolds m_holds;
  config::PollConfig::RetryAfterScope m_hold_scope = config::PollConfig::RetryAfterScope::source;
  [[nodiscard]] bool holds_enabled() const {
    return m_hold_scope != config::PollConfig::RetryAfterScope::source;
  }
  bool m_stopping = false;
  std::stop_source m_stop; ///< requested by stop(): read by the store thread between feeds
  Admission m_admission{Admission::Limits{}};
  std::mutex m_store_mutex; ///< guards the two below (io thread pushes, store thread drains)
  std::vector<StoreJob> m_store_queue;
  bool m_store_drain_posted = false;
};

} // namespace reelfeed::poll
