#pragma once
// Admission of polls into the fetch -> parse -> store pipeline, shared by `reelfeed run` and
// `reelfeed poll` (through the Poller). At most `window` jobs are between "fetch started" and
// "stored": a first start with 1,000 due sources, or the end of a network outage, queues
// small (status, callback) jobs here instead of piling fetched bodies before the CPU pool
// and parsed feeds before the one store thread.
//
// No head-of-line blocking: jobs queue per host, and a free slot goes to the next host (round
// robin, first-seen order) that has a queued job and fewer than `max_per_host` transfers in
// flight, so a slow host at its per-host limit never keeps a slot from another host.
//
// Plain class, no executor: call everything on one thread (the Poller's io thread). `start`
// and `cancel` callbacks run inside submit()/fetched()/finished()/cancel(); they may call back
// (a start that fails reports fetched() at once): a nested admission is left to the loop
// already running.

#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "fetch/fetch.hpp"

namespace reelfeed::poll {

class Admission {
public:
  /// Fetched sources that may wait for the CPU pool or the store thread beyond the
  /// transfers themselves (measured: a few ready feeds keep both busy; more only cost memory).
  static constexpr std::size_t k_downstream = 8;
  /// Bytes of response bodies the admitted jobs may hold at once. When the CPU pool or the
  /// store is the slowest stage, every slot of the window ends up holding a fetched, then
  /// parsed feed waiting for it: with feeds of 150 KB, 72 slots held ~3 times 11 MB. A
  /// body of this size still goes alone.
  static constexpr std::size_t k_window_bytes = std::size_t{4} << 20;

  struct Limits {
    std::size_t window = 32 + k_downstream; ///< jobs between fetch start and stored (>= 1)
    int max_per_host = 4;                   ///< transfers in flight per host (<= 0: no limit)
    /// Bytes the admitted jobs may hold (0: no limit): the bodies fetched and not stored
    /// yet, plus a transfer not done yet at the mean body size seen so far.
    std::size_t window_bytes = 0;
  };
  /// max_concurrent + k_downstream, k_window_bytes, and the Fetcher's own per-host limit.
  [[nodiscard]] static Limits for_fetch(const fetch::Limits& limits);

  explicit Admission(Limits limits) : m_limits(limits) {}
  void set_limits(Limits limits); ///< applies from the next admission on

  /// Queues a job of `host` ("" = no per-host limit), found again by `key` (the source's
  /// name). Exactly one of `start` (admitted: begin the fetch, then report fetched() and
  /// finished()) or `cancel` (removed while queued) runs, possibly inside this call.
  void submit(std::string host,
              std::string key,
              std::function<void()> start,
              std::function<void()> cancel);
  /// An admitted job's transfer ended with a body of `bytes`, which the job holds (parsed
  /// or not) until finished(): its host may start another.
  void fetched(const std::string& host, std::size_t bytes = 0);
  /// An admitted job left the pipeline (stored, failed or cancelled): its slot and the
  /// `bytes` fetched() gave it are free.
  void finished(std::size_t bytes = 0);
  /// Cancels the queued (not yet admitted) jobs of `key`; returns how many.
  std::size_t cancel(std::string_view key);
  /// Cancels every queued job (shutdown); returns how many.
  std::size_t cancel_all();

  [[nodiscard]] std::size_t active() const { return m_active; }
  /// Bytes held by the jobs fetched and not finished, and the highest so far.
  [[nodiscard]] std::size_t held_bytes() const { return m_held_bytes; }
  [[nodiscard]] std::size_t max_held_bytes() const { return m_max_held_bytes; }
  [[nodiscard]] std::size_t queued() const { return m_queued; }
  /// Highest active() so far (tests and benchmarks check the bound with it).
  [[nodiscard]] std::size_t max_active() const { return m_max_active; }
  [[nodiscard]] const Limits& limits() const { return m_limits; }

private:
  struct Job {
    std::string key;
    std::function<void()> start;
    std::function<void()> cancel;
  };
  struct Host {
    std::deque<Job> queued;
    int fetching = 0;
    bool runnable = false; ///< listed in m_runnable
  };
  using Hosts = std::map<std::string, Host, std::less<>>;

  [[nodiscard]] bool has_room(const Host& host) const;
  /// The window (jobs and bytes) has room for one more job.
  [[nodiscard]] bool window_open() const;
  void make_runnable(Hosts::iterator it);
  void forget_if_idle(Hosts::iterator it);
  void admit();
  /// Removes the queued jobs `match` selects, then runs their cancel callbacks.
  std::size_t cancel_if(const std::function<bool(const Job&)>& match);

  Limits m_limits;
  Hosts m_hosts;
  std::deque<std::string> m_runnable; ///< hosts with a queued job and room, round robin
  std::size_t m_active = 0;
  std::size_t m_queued = 0;
  std::size_t m_max_active = 0;
  std::size_t m_fetching = 0;   ///< admitted jobs whose transfer has not ended
  std::size_t m_held_bytes = 0; ///< bodies of fetched, unfinished jobs
  std::size_t m_max_held_bytes = 0;
  std::size_t m_bodies = 0;     ///< transfers ended so far...
  std::size_t m_body_bytes = 0; ///< ...and their bytes (the mean a transfer is charged)
  bool m_admitting = false;     ///< admit() is on the stack: a nested call leaves it to that loop
};

} // namespace reelfeed::poll
