#pragma once
// `reelfeed run`: the long-running daemon.
//
// Threads (see ARCHITECTURE.md):
//   io thread (the caller of run()): signals, one steady_timer per source, the Fetcher
//     (libcurl multi on Asio), the HTTP server, the publish debounce, prune and watchdog
//     timers. All daemon state (sources, statuses, rules, config) lives here, unlocked.
//   cpu pool (2 threads): parsing and rendering; values in, values out.
//   store thread (1 thread): every Store call, in order; the Store is not thread-safe.
// Data moves between them only by asio::post of values (shared_ptr<const ...> for big ones).
// Polls go through the Poller's admission (poll/admission.hpp): at most max_concurrent + 8
// between "fetch started" and "stored", the rest queued per host as small (status, callback)
// jobs, so a first start or the end of an outage does not pile bodies and parsed feeds up.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "app/review.hpp"
#include "config/config.hpp"
#include "fetch/fetch.hpp"
#include "fetch/hub_ping.hpp"
#include "filter/filter.hpp"
#include "poll/pipeline.hpp"
#include "serve/serve.hpp"
#include "store/store.hpp"
#include "util/log.hpp"

namespace reelfeed::app {

class Daemon {
public:
  Daemon(config::Config config, util::Logger& log, const Clock& clock);
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  /// Runs until SIGTERM/SIGINT. Returns the exit status: 0 after a clean stop, 1 when the
  /// store cannot be opened or the server cannot bind.
  int run();

private:
  struct Slot {
    config::SourceConfig source;
    sched::Policy policy;
    SourceStatus status;
    std::unique_ptr<boost::asio::steady_timer> timer;
    bool in_flight = false;
    std::uint64_t generation = 0; ///< bumped when the slot is re-targeted: stale polls are dropped
  };
  struct Health {
    std::size_t stories = 0;
    std::size_t published = 0;
    std::string last_publish;
    std::optional<Timestamp> last_publish_at;
  };

  void apply_sources(const config::Config& config, const std::vector<SourceStatus>& stored);
  void arm(const std::string& name);
  void poll_source(const std::string& name);
  /// One publish in progress on the store thread: its inputs and how far it got.
  struct PublishRun {
    std::uint64_t generation = 0;
    std::shared_ptr<const config::Config> config;
    std::shared_ptr<const filter::Rules> rules;
    std::uint64_t fingerprint = 0; ///< of `rules`
    std::string base;
    Timestamp now{};
    std::shared_ptr<const serve::Snapshot> previous;
    std::shared_ptr<const serve::Snapshot> previous_review;
    bool review = false;              ///< a review listener is configured
    std::int64_t after = 0;           ///< queued stories up to this id are settled
    std::size_t evaluated = 0;        ///< stories evaluated so far
    std::chrono::nanoseconds cost{0}; ///< store-thread time so far
  };
  void request_publish();
  void publish_now();
  /// Store thread: settles one batch of changed stories and posts itself again (so that
  /// ingests queued meanwhile go first), or, when none is left, plans the outputs and
  /// hands them to the cpu pool for rendering.
  void publish_step(const std::shared_ptr<PublishRun>& run);
  void on_published(std::uint64_t generation,
                    const std::shared_ptr<const serve::Snapshot>& snapshot,
                    std::size_t stories,
                    std::size_t published,
                    std::size_t evaluated);
  /// The editor's view: rendered on the cpu pool, then served on the review listener with
  /// the public snapshot (a stale render never replaces a newer one).
  void render_review(std::uint64_t generation,
                     ReviewPlan plan,
                     const std::shared_ptr<const serve::Snapshot>& previous);
  void publish_review();
  void set_hub(const std::string& hub);
  void wait_signal();
  void reload();
  void schedule_prune(std::chrono::seconds delay);
  void schedule_watchdog();
  void stop(int signal);
  [[nodiscard]] serve::Resource health() const;
  [[nodiscard]] serve::Resource metrics() const;
  [[nodiscard]] std::size_t failing_sources() const;

  std::shared_ptr<const config::Config> m_config;
  util::Logger& m_log;
  const Clock& m_clock;

  boost::asio::io_context m_io{1};
  /// The store, the pools, the Fetcher and the Poller (poll/pipeline.hpp); null until run()
  /// opened the store. Its pools' tasks use the members below: reset first.
  std::unique_ptr<poll::Pipeline> m_poll;
  std::unique_ptr<serve::Server> m_server;
  /// What the server serves (io thread); the next publish reuses its unchanged documents.
  std::shared_ptr<const serve::Snapshot> m_snapshot;
  /// The editor's view, only on [server] review_listen (loopback): the public snapshot plus
  /// /topics/NAME/review. m_review holds the review pages alone, for reuse by the next publish.
  std::unique_ptr<serve::Server> m_review_server;
  std::shared_ptr<const serve::Snapshot> m_review;
  std::uint64_t m_review_generation = 0;
  /// Tells [output] websub_hub about changed feeds (its own thread); null without a hub.
  std::unique_ptr<fetch::HubPinger> m_hub;
  std::string m_hub_url;
  std::shared_ptr<const filter::Rules> m_rules;
  std::uint64_t m_rules_fingerprint = 0; ///< of m_rules and the output window
  std::string m_base_url;

  boost::asio::signal_set m_signals;
  boost::asio::steady_timer m_publish_timer;
  boost::asio::steady_timer m_prune_timer;
  boost::asio::steady_timer m_watchdog_timer;
  std::map<std::string, std::unique_ptr<Slot>, std::less<>> m_slots;
  std::uint64_t m_next_generation = 1;
  std::uint64_t m_publish_generation = 0;   ///< last publish started
  std::uint64_t m_published_generation = 0; ///< last publish served
  bool m_publish_pending = false;
  std::chrono::milliseconds m_publish_cost{0}; ///< store-thread time of the last publish
  bool m_ready = false;
  bool m_stopping = false;
  std::chrono::microseconds m_watchdog{0};
  Health m_health;
};

} // namespace reelfeed::app
