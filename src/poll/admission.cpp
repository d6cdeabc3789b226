#include "poll/admission.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace reelfeed::poll {

Admission::Limits Admission::for_fetch(const fetch::Limits& limits) {
  return Limits{static_cast<std::size_t>(std::max(1, limits.max_concurrent)) + k_downstream,
                limits.max_per_host, k_window_bytes};
}

void Admission::set_limits(Limits limits) {
  m_limits = limits;
  // A higher per-host limit may give queued hosts room right away.
  for (auto it = m_hosts.begin(); it != m_hosts.end(); ++it) {
    make_runnable(it);
  }
  admit();
}

bool Admission::has_room(const Host& host) const {
  return m_limits.max_per_host <= 0 || host.fetching < m_limits.max_per_host;
}

void Admission::make_runnable(Hosts::iterator it) {
  Host& host = it->second;
  if (!host.runnable && !host.queued.empty() && has_room(host)) {
    host.runnable = true;
    m_runnable.push_back(it->first);
  }
}

void Admission::forget_if_idle(Hosts::iterator it) {
  const Host& host = it->second;
  if (host.queued.empty() && host.fetching == 0 && !host.runnable) {
    m_hosts.erase(it);
  }
}

void Admission::submit(std::string host,
                       std::string key,
                       std::function<void()> start,
                       std::function<void()> cancel) {
  auto it = m_hosts.try_emplace(std::move(host)).first;
  it->second.queued.push_back(Job{std::move(key), std::move(start), std::move(cancel)});
  ++m_queued;
  make_runnable(it);
  admit();
}

bool Admission::window_open() const {
  if (m_active == 0) {
    return true; // one job always runs, however large its body
  }
  if (m_active >= std::max<std::size_t>(1, m_limits.window)) {
    return false;
  }
  if (m_limits.window_bytes == 0) {
    return true;
  }
  // Transfers not done yet are charged the mean body so far: a cycle of 304s (no bodies)
  // fills the whole window, one of large feeds only what its bodies fit in.
  // Until a body is seen, an eighth of the window: a first start ramps up instead of
  // admitting the whole window before it knows how large the feeds are.
  const std::size_t mean =
      m_bodies == 0 ? m_limits.window_bytes / k_downstream : m_body_bytes / m_bodies;
  return m_held_bytes + (m_fetching + 1) * mean <= m_limits.window_bytes;
}

void Admission::fetched(const std::string& host, std::size_t bytes) {
  m_fetching = m_fetching > 0 ? m_fetching - 1 : 0;
  m_held_bytes += bytes;
  m_max_held_bytes = std::max(m_max_held_bytes, m_held_bytes);
  ++m_bodies;
  m_body_bytes += bytes;
  const auto it = m_hosts.find(host);
  if (it == m_hosts.end()) {
    admit();
    return;
  }
  it->second.fetching = std::max(0, it->second.fetching - 1);
  make_runnable(it);
  forget_if_idle(it);
  admit();
}

void Admission::finished(std::size_t bytes) {
  if (m_active > 0) {
    --m_active;
  }
  m_held_bytes -= std::min(bytes, m_held_bytes);
  admit();
}

void Admission::admit() {
  if (m_admitting) {
    return;
  }
  m_admitting = true;
  while (window_open() && !m_runnable.empty()) {
    const auto it = m_hosts.find(m_runnable.front());
    m_runnable.pop_front();
    if (it == m_hosts.end()) {
      continue;
    }
    Host& host = it->second;
    host.runnable = false;
    if (host.queued.empty() || !has_room(host)) {
      forget_if_idle(it);
      continue;
    }
    Job job = std::move(host.queued.front());
    host.queued.pop_front();
    --m_queued;
    ++host.fetching;
    ++m_fetching;
    ++m_active;
    m_max_active = std::max(m_max_active, m_active);
    make_runnable(it); // to the back: the next slot goes to the next host
    job.start();       // may call fetched() (erasing `it`): `it` is not used after this
  }
  m_admitting = false;
}

std::size_t Admission::cancel(std::string_view key) {
  return cancel_if([key](const Job& job) { return job.key == key; });
}

std::size_t Admission::cancel_all() {
  return cancel_if([](const Job&) { return true; });
}

std::size_t Admission::cancel_if(const std::function<bool(const Job&)>& match) {
  std::vector<Job> cancelled;
  for (auto it = m_hosts.begin(); it != m_hosts.end();) {
    auto& queued = it->second.queued;
    for (auto job = queued.begin(); job != queued.end();) {
      if (match(*job)) {
        cancelled.push_back(std::move(*job));
        job = queued.erase(job);
      } else {
        ++job;
      }
    }
    auto next = std::next(it);
    forget_if_idle(it);
    it = next;
  }
  m_queued -= cancelled.size();
  // After the bookkeeping: a callback sees a consistent object.
  for (Job& job : cancelled) {
    job.cancel();
  }
  return cancelled.size();
}

} // namespace reelfeed::poll
