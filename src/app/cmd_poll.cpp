// `reelfeed run` and `reelfeed poll`: the two commands that fetch.
#include <malloc.h>

#include <algorithm>
#include <deque>
#include <exception>
#include <ostream>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/commands.hpp"
#include "app/daemon.hpp"
#include "app/log.hpp"
#include "app/poller.hpp"
#include "app/publish.hpp"
#include "app/settings.hpp"
#include "app/store_failure.hpp"
#include "filter/filter.hpp"
#include "store/store.hpp"

namespace reelfeed::app {

namespace asio = boost::asio;

int cmd_run(const std::filesystem::path& config_path, Streams io) {
  std::optional<config::Config> config = load_config(config_path, io.err);
  if (!config) {
    return 1;
  }
  Logger log(io.err);
  const Clock clock;
  Daemon daemon(std::move(*config), log, clock);
  return daemon.run();
}

namespace {

constexpr int k_cpu_threads = 2;

struct PollRun {
  std::deque<std::pair<SourceStatus, PollSettings>> queue;
  std::size_t pending = 0;
  std::size_t ok = 0;
  std::size_t failed = 0;
  long long new_entries = 0;
  std::size_t changed = 0;
  std::size_t store_failed = 0; ///< sources whose results the store could not write
};

/// A source that cannot be reached is the normal life of an aggregator (exit 0); a store
/// that cannot write (full disk, I/O error) is a local fault a cron job must notice (2).
// Where the memory of a poll ends up (the figures in ARCHITECTURE.md come from this line):
// the heap in use and what the store's indexes and SQLite hold of it.
void log_memory(Logger& log, const store::Store& store) {
  const auto kib = [](std::size_t bytes) { return static_cast<unsigned long long>(bytes / 1024); };
  const store::Store::MemoryUse m = store.memory_use();
  log.info("memory", {{"heap_kib", kib(mallinfo2().uordblks)},
                      {"lsh_kib", kib(m.lsh_bytes)},
                      {"lsh_entries", static_cast<unsigned long long>(m.lsh_entries)},
                      {"url_index_kib", kib(m.url_index_bytes)},
                      {"identity_index_kib", kib(m.identity_index_bytes)},
                      {"sqlite_kib", kib(m.sqlite_bytes)}});
}

int exit_code(const PollRun& run) {
  return run.store_failed > 0 ? 2 : 0;
}

} // namespace

int cmd_poll(const std::filesystem::path& config_path, Streams io) {
  std::optional<config::Config> loaded = load_config(config_path, io.err);
  if (!loaded) {
    return 1;
  }
  const config::Config& config = *loaded;
  Logger log(io.err);
  const Clock clock;
  asio::io_context ioc{1};
  asio::thread_pool cpu{k_cpu_threads};
  asio::thread_pool store_thread{1};
  // The one store thread is the narrowest stage of a big poll: the parsing threads yield to
  // it, so that on two cores it keeps a core to itself instead of a 2/3 share.
  if (const int failed = lower_priority(cpu, k_cpu_threads, k_cpu_pool_nice); failed > 0) {
    log.warn("nice_failed", {{"threads", failed}});
  }
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const filter::Rules> rules;
  PollRun run;
  try {
    store = std::make_unique<store::Store>(config.storage.path, cluster_options(config));
    store->set_cache_size(config.storage.cache_bytes);
    store->checkpoint_in_background(); // the store thread only appends to the WAL
    store->sync_sources(source_defs(config));
    rules = std::make_shared<const filter::Rules>(config.topics);
    const Timestamp now = clock.now();
    // The stored decisions follow these rules from now on (if they changed, the window is
    // queued for evaluation), so new stories can be saved decided.
    adopt_rules(*store, *rules, config, now);
    const std::uint64_t fingerprint = rules_fingerprint(config.topics, config.output.max_age);
    const std::vector<SourceStatus> stored = store->statuses();
    for (const config::SourceConfig& source : config.sources) {
      if (!source.enabled) {
        continue;
      }
      const sched::Policy policy = poll_policy(config, source);
      const auto it = std::find_if(stored.begin(), stored.end(),
                                   [&](const SourceStatus& s) { return s.name == source.name; });
      SourceStatus status =
          reconcile_status(it == stored.end() ? nullptr : &*it, source, policy, now);
      if (status.state == SourceState::gone) {
        log.warn("skipped", {{"source", source.name}, {"state", "gone"}});
        continue;
      }
      run.queue.emplace_back(
          std::move(status),
          PollSettings{policy, source.utc_offset_minutes, source.encoding, rules, fingerprint,
                       source.tags, config.output.max_age,
                       static_cast<std::size_t>(config.poll.max_items_per_fetch)});
    }
  } catch (const std::exception& e) {
    log.error("startup_failed", {{"err", describe_store_failure(config.storage.path, e)}});
    return store_failure_exit_code(e); // a full disk while creating the schema is still 2
  }
  // Many hosts among the first admitted: the Poller then keeps the hosts' turns.
  interleave_by_host(run.queue);
  const std::size_t total = run.queue.size();
  auto fetcher = std::make_unique<fetch::Fetcher>(ioc, fetch_limits(config));
  Poller poller(ioc, *fetcher, cpu, store_thread, *store, clock, log);
  // Bounded pipeline, the daemon's: the Poller admits at most max_concurrent + 8 sources
  // between "fetch started" and "stored", the next one from a host with a free transfer. When
  // the store is the slowest stage (a cold poll), every slot ends up holding a parsed feed
  // waiting for it: the bound is what keeps memory flat.
  poller.set_admission(Admission::for_fetch(fetch_limits(config)));
  // Parsing and storing run on the pools: the io_context must not run out of work while
  // they do, so a guard holds it until the last source is done.
  auto guard = asio::make_work_guard(ioc);
  if (total == 0) {
    guard.reset();
  }
  run.pending = total;
  asio::post(ioc, [&] {
    for (auto& [status, settings] : run.queue) {
      poller.poll(std::move(status), settings, [&](PollDone done) {
        (done.failed ? run.failed : run.ok) += 1;
        run.store_failed += done.store_failed ? 1 : 0;
        run.new_entries += done.new_entries;
        run.changed += done.changed ? 1 : 0;
        if (--run.pending == 0) {
          guard.reset();
        }
      });
    }
    run.queue.clear();
  });
  ioc.run();
  fetcher.reset();
  cpu.join();
  store_thread.join(); // idle by now; from here the main thread uses the Store alone

  // Decisions follow the current rules, also for entries stored before a rule change: the
  // stories that changed (and were not decided when stored) are evaluated now.
  try {
    const std::size_t evaluated = settle_all(*store, *rules, config, clock.now());
    log.info("polled", {{"sources", static_cast<unsigned long long>(total)},
                        {"ok", static_cast<unsigned long long>(run.ok)},
                        {"failed", static_cast<unsigned long long>(run.failed)},
                        {"new", run.new_entries},
                        {"evaluated", static_cast<unsigned long long>(evaluated)}});
    log_memory(log, *store);
  } catch (const std::exception& e) {
    log.error("evaluate_failed", {{"err", describe_store_failure(config.storage.path, e)}});
    return std::max(exit_code(run), store_failure_exit_code(e));
  }
  return exit_code(run);
}

} // namespace reelfeed::app
