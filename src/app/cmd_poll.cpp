// `reelfeed run` and `reelfeed poll`: the two commands that fetch.
#include <malloc.h>

#include <algorithm>
#include <deque>
#include <exception>
#include <ostream>
#include <string_view>
#include <unordered_map>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "app/commands.hpp"
#include "app/daemon.hpp"
#include "app/publish.hpp"
#include "app/settings.hpp"
#include "app/store_failure.hpp"
#include "filter/filter.hpp"
#include "poll/pipeline.hpp"
#include "store/store.hpp"
#include "util/log.hpp"

namespace reelfeed::app {

namespace asio = boost::asio;

int cmd_run(const std::filesystem::path& config_path, Streams io) {
  std::optional<config::Config> config = load_config(config_path, io.err);
  if (!config) {
    return 1;
  }
  util::Logger log(io.err);
  const Clock clock;
  Daemon daemon(std::move(*config), log, clock);
  return daemon.run();
}

namespace {

struct PollRun {
  std::deque<std::pair<SourceStatus, poll::PollSettings>> queue;
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
void log_memory(util::Logger& log, const store::Store& store) {
  const auto kib = [](std::size_t bytes) { return static_cast<unsigned long long>(bytes / 1024); };
  const store::Store::MemoryUse m = store.memory_use();
  log.info("memory", {{"heap_kib", kib(mallinfo2().uordblks)},
                      {"lsh_kib", kib(m.lsh_bytes)},
                      {"lsh_entries", static_cast<unsigned long long>(m.lsh_entries)},
                      {"event_kib", kib(m.event_bytes)},
                      {"event_entries", static_cast<unsigned long long>(m.event_entries)},
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
  util::Logger log(io.err);
  const Clock clock;
  asio::io_context ioc{1};
  std::unique_ptr<poll::Pipeline> pipeline;
  std::shared_ptr<const filter::Rules> rules;
  PollRun run;
  try {
    pipeline = std::make_unique<poll::Pipeline>(ioc, pipeline_options(config), clock, log);
    store::Store& store = pipeline->store();
    store.sync_sources(source_defs(config));
    rules = std::make_shared<const filter::Rules>(config.topics);
    const Timestamp now = clock.now();
    // The stored decisions follow these rules from now on (if they changed, the window is
    // queued for evaluation), so new stories can be saved decided.
    adopt_rules(store, *rules, config, now);
    const std::uint64_t fingerprint = rules_fingerprint(config.topics, config.output.max_age);
    const std::vector<SourceStatus> stored = store.statuses();
    // By name, not a scan per source: 10,000 sources made that a start-up of 10^8 compares.
    std::unordered_map<std::string_view, const SourceStatus*> stored_by_name;
    stored_by_name.reserve(stored.size());
    for (const SourceStatus& s : stored) {
      stored_by_name.emplace(s.name, &s);
    }
    for (const config::SourceConfig& source : config.sources) {
      if (!source.enabled) {
        continue;
      }
      const sched::Policy policy = poll_policy(config, source);
      const auto it = stored_by_name.find(source.name);
      SourceStatus status =
          reconcile_status(it == stored_by_name.end() ? nullptr : it->second, source, policy, now);
      if (status.state == SourceState::gone) {
        log.warn("skipped", {{"source", source.name}, {"state", "gone"}});
        continue;
      }
      run.queue.emplace_back(std::move(status),
                             poll_settings(config, source, policy, rules, fingerprint));
    }
  } catch (const std::exception& e) {
    log.error("startup_failed", {{"err", describe_store_failure(config.storage.path, e)}});
    return store_failure_exit_code(e); // a full disk while creating the schema is still 2
  }
  // Many hosts among the first admitted: the Poller then keeps the hosts' turns.
  poll::interleave_by_host(run.queue);
  const std::size_t total = run.queue.size();
  poll::Poller& poller = pipeline->poller();
  // Parsing and storing run on the pools: the io_context must not run out of work while
  // they do, so a guard holds it until the last source is done.
  auto guard = asio::make_work_guard(ioc);
  if (total == 0) {
    guard.reset();
  }
  run.pending = total;
  asio::post(ioc, [&] {
    for (auto& [status, settings] : run.queue) {
      poller.poll(std::move(status), settings, [&](const poll::PollDone& done) {
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
  pipeline->drain(); // from here the main thread uses the Store alone

  // Decisions follow the current rules, also for entries stored before a rule change: the
  // stories that changed (and were not decided when stored) are evaluated now.
  try {
    const std::size_t evaluated = settle_all(pipeline->store(), *rules, config, clock.now());
    log.info("polled", {{"sources", total},
                        {"ok", run.ok},
                        {"failed", run.failed},
                        {"new", run.new_entries},
                        {"evaluated", evaluated}});
    log_memory(log, pipeline->store());
  } catch (const std::exception& e) {
    log.error("evaluate_failed", {{"err", describe_store_failure(config.storage.path, e)}});
    return std::max(exit_code(run), store_failure_exit_code(e));
  }
  return exit_code(run);
}

} // namespace reelfeed::app
