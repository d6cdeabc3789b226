#pragma once
// The poll stage put together, the one place `reelfeed run` and `reelfeed poll` start it:
// the store (opened, checkpointing on its own thread), the cpu pool (its priority lowered)
// and the store thread, the Fetcher on the caller's io_context, and the Poller with its
// admission bound. Threads and what moves between them: ARCHITECTURE.md, "Threads".

#include <cstdint>
#include <filesystem>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include "fetch/fetch.hpp"
#include "model/time.hpp"
#include "poll/poller.hpp"
#include "store/store.hpp"
#include "util/log.hpp"

namespace reelfeed::poll {

/// What the pipeline needs from the config, in the stages' own types
/// (app::pipeline_options maps a Config to it).
struct PipelineOptions {
  std::filesystem::path db;
  store::ClusterOptions cluster;
  std::uint64_t cache_bytes = 0; ///< SQLite page cache of the store thread's connection
  fetch::Limits fetch;           ///< the Fetcher's limits; the admission bound follows them
};

/// Owns the poll stage's threads and parts; destroyed (or drain()ed) before what its pools'
/// tasks use. Not thread-safe: construct, use and drain it on the io thread.
class Pipeline {
public:
  /// Threads of the cpu pool (parsing, prepare, rendering).
  static constexpr int k_cpu_threads = 2;

  /// Opens the store and starts everything. Throws what store::Store throws (the caller
  /// reports it); a cpu-pool priority that cannot be lowered is only logged (nice_failed).
  Pipeline(boost::asio::io_context& io,
           const PipelineOptions& options,
           const Clock& clock,
           util::Logger& log);
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;

  [[nodiscard]] store::Store& store() { return *m_store; }
  [[nodiscard]] Poller& poller() { return *m_poller; }
  [[nodiscard]] fetch::Fetcher& fetcher() { return *m_fetcher; }
  [[nodiscard]] boost::asio::thread_pool& cpu() { return m_cpu; }
  [[nodiscard]] boost::asio::thread_pool& store_thread() { return m_store_thread; }

  /// After the io_context stopped: drops the Fetcher and waits for both pools to finish
  /// their tasks; from then on the caller's thread may use the Store alone.
  void drain();

private:
  boost::asio::thread_pool m_cpu{k_cpu_threads};
  boost::asio::thread_pool m_store_thread{1};
  std::unique_ptr<store::Store> m_store;
  std::unique_ptr<fetch::Fetcher> m_fetcher;
  std::unique_ptr<Poller> m_poller; // after m_fetcher: destroyed first (it uses the Fetcher)
};

} // namespace reelfeed::poll
