#include "poll/pipeline.hpp"

namespace reelfeed::poll {

Pipeline::Pipeline(boost::asio::io_context& io,
                   const PipelineOptions& options,
                   const Clock& clock,
                   util::Logger& log) {
  m_store =
      std::make_unique<store::Store>(options.db, options.cluster, store::Access::read_write, clock);
  m_store->set_cache_size(options.cache_bytes);
  m_store->checkpoint_in_background(); // the store thread only appends to the WAL
  m_fetcher = std::make_unique<fetch::Fetcher>(io, options.fetch, clock);
  m_poller = std::make_unique<Poller>(io, *m_fetcher, m_cpu, m_store_thread, *m_store, clock, log);
  // A burst of due sources (a cold poll, a first start, the end of an outage) waits in the
  // Poller's queue, at most max_concurrent + 8 between "fetch started" and "stored": when the
  // store is the slowest stage every slot ends up holding a parsed feed, and the bound is
  // what keeps memory flat.
  m_poller->set_admission(Admission::for_fetch(options.fetch));
  // The store thread is the narrowest stage of a big poll and the io thread serves: parsing
  // and rendering yield to both, so that on two cores the store keeps a core to itself.
  if (const int failed = lower_priority(m_cpu, k_cpu_threads, k_cpu_pool_nice); failed > 0) {
    log.warn("nice_failed", {{"threads", failed}});
  }
}

Pipeline::~Pipeline() {
  // The pools' tasks use the Store and the Poller: they finish before those die.
  m_cpu.join();
  m_store_thread.join();
}

void Pipeline::drain() {
  m_fetcher.reset();
  m_cpu.join();
  m_store_thread.join();
}

} // namespace reelfeed::poll
