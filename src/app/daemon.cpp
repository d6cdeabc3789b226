#include "app/daemon.hpp"

#include <csignal>
#include <exception>
#include <set>
#include <utility>

#include <boost/asio/post.hpp>
#include <systemd/sd-daemon.h>

#include "app/metrics.hpp"
#include "app/publish.hpp"
#include "app/review.hpp"
#include "app/settings.hpp"
#include "app/store_failure.hpp"
#include "app/websub.hpp"
#include "config/load.hpp"

namespace reelfeed::app {

namespace asio = boost::asio;

namespace {

constexpr auto k_publish_debounce = std::chrono::seconds{1};
constexpr auto k_publish_max_delay = std::chrono::seconds{30};
constexpr auto k_prune_every = std::chrono::hours{1};

void notify(const std::string& state) {
  // No NOTIFY_SOCKET (not under systemd) makes this a no-op.
  sd_notify(0, state.c_str());
}

} // namespace

Daemon::Daemon(config::Config config, util::Logger& log, const Clock& clock)
    : m_config(std::make_shared<const config::Config>(std::move(config))), m_log(log),
      m_clock(clock), m_signals(m_io, SIGINT, SIGTERM, SIGHUP), m_publish_timer(m_io),
      m_prune_timer(m_io), m_watchdog_timer(m_io) {}

Daemon::~Daemon() {
  // The pools' tasks use the daemon's members: they finish before those die.
  m_poll.reset();
}

int Daemon::run() {
  const config::Config& cfg = *m_config;
  m_log.info("starting", {{"config", cfg.file.string()},
                          {"sources", cfg.sources.size()},
                          {"db", cfg.storage.path.string()}});
  std::vector<SourceStatus> stored;
  try {
    m_poll = std::make_unique<poll::Pipeline>(m_io, pipeline_options(cfg), m_clock, m_log);
    m_poll->store().sync_sources(source_defs(cfg));
    stored = m_poll->store().statuses();
    m_rules = std::make_shared<const filter::Rules>(cfg.topics);
    m_rules_fingerprint = rules_fingerprint(cfg.topics, cfg.output.max_age);
    m_server = std::make_unique<serve::Server>(m_io, cfg.server.host, cfg.server.port);
    if (cfg.server.review_host) {
      m_review_server =
          std::make_unique<serve::Server>(m_io, *cfg.server.review_host, cfg.server.review_port);
    }
  } catch (const std::exception& e) {
    m_log.error("startup_failed", {{"err", describe_store_failure(cfg.storage.path, e)}});
    return 1;
  }
  m_log.info("listening", {{"addr", cfg.server.host + ":" + std::to_string(m_server->port())}});
  if (m_review_server) {
    m_log.info("listening_review",
               {{"addr", *cfg.server.review_host + ":" + std::to_string(m_review_server->port())}});
  }
  m_base_url = base_url(cfg, m_server->port());
  set_hub(cfg.output.websub_hub);
  m_server->set_handler("/healthz", [this] { return health(); });
  m_server->set_handler("/metrics", [this] { return metrics(); });
  // A flood of connections (or a descriptor limit too low) is shed by the server; the log
  // says so, at most once per 10 s per limit.
  m_server->on_limit([this](const serve::LimitReport& r) {
    m_log.warn("server_limit", {{"limit", r.limit},
                                {"shed", r.shed},
                                {"refused", r.refused},
                                {"connections", r.connections}});
  });
  m_poll->poller().set_host_holds(cfg.poll.retry_after_scope);

  apply_sources(cfg, stored);
  wait_signal();
  schedule_prune(std::chrono::minutes{1});
  std::uint64_t watchdog_usec = 0;
  if (sd_watchdog_enabled(0, &watchdog_usec) > 0) {
    m_watchdog = std::chrono::microseconds{watchdog_usec / 2};
    schedule_watchdog();
  }
  // Serve what is already stored right away; READY=1 follows this first publish.
  publish_now();

  while (!m_io.stopped()) {
    try {
      m_io.run();
    } catch (const std::exception& e) {
      // A handler bug must not take the daemon down; the loop carries on.
      m_log.error("handler_failed", {{"err", e.what()}});
    }
  }
  m_poll->drain();
  m_log.info("stopped");
  return 0;
}

void Daemon::apply_sources(const config::Config& config, const std::vector<SourceStatus>& stored) {
  const Timestamp now = m_clock.now();
  std::map<std::string, const SourceStatus*, std::less<>> by_name;
  for (const SourceStatus& s : stored) {
    by_name.emplace(s.name, &s);
  }
  std::map<std::string, const config::SourceConfig*, std::less<>> wanted;
  for (const config::SourceConfig& s : config.sources) {
    if (s.enabled) {
      wanted.emplace(s.name, &s);
    }
  }
  for (auto it = m_slots.begin(); it != m_slots.end();) {
    if (wanted.find(it->first) == wanted.end()) {
      m_log.info("source_removed", {{"source", it->first}});
      it->second->timer->cancel();
      m_poll->poller().cancel(it->first); // a queued poll of it is dropped, never fetched
      it = m_slots.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [name, source] : wanted) {
    const sched::Policy policy = poll_policy(config, *source);
    auto found = m_slots.find(name);
    if (found == m_slots.end()) {
      auto slot = std::make_unique<Slot>();
      slot->source = *source;
      slot->policy = policy;
      const auto s = by_name.find(name);
      slot->status =
          reconcile_status(s == by_name.end() ? nullptr : s->second, *source, policy, now);
      slot->timer = std::make_unique<asio::steady_timer>(m_io);
      slot->generation = m_next_generation++;
      m_slots.emplace(name, std::move(slot));
      arm(name);
      continue;
    }
    Slot& slot = *found->second;
    const bool url_changed = slot.source.url != source->url;
    const bool interval_changed = slot.policy.interval != policy.interval;
    slot.source = *source;
    slot.policy = policy;
    if (url_changed) {
      m_poll->poller().cancel(name); // a queued poll of the old URL; the new one is armed below
      slot.status = reconcile_status(&slot.status, *source, policy, now);
      slot.generation = m_next_generation++;
      slot.in_flight = false;
      m_log.info("source_retargeted", {{"source", name}, {"url", source->url}});
    }
    if (interval_changed && slot.status.next_due > now + policy.interval) {
      slot.status.next_due = now + policy.interval;
    }
    if (!slot.in_flight) {
      arm(name);
    }
  }
}

void Daemon::arm(const std::string& name) {
  auto it = m_slots.find(name);
  if (it == m_slots.end() || m_stopping) {
    return;
  }
  Slot& slot = *it->second;
  if (slot.status.state == SourceState::gone) {
    m_log.warn("source_gone", {{"source", name},
                               {"status", slot.status.last_status},
                               {"hint", "fix its url in the config and reload"}});
    slot.timer->cancel();
    return;
  }
  const Timestamp due = m_poll->poller().defer(slot.status, slot.status.next_due);
  const auto delay = std::max(Seconds{0}, due - m_clock.now());
  slot.timer->expires_after(delay);
  slot.timer->async_wait([this, name](const boost::system::error_code& ec) {
    if (!ec) {
      poll_source(name);
    }
  });
}

void Daemon::poll_source(const std::string& name) {
  auto it = m_slots.find(name);
  if (it == m_slots.end() || m_stopping || it->second->in_flight) {
    return;
  }
  Slot& slot = *it->second;
  slot.in_flight = true;
  const std::uint64_t generation = slot.generation;
  try {
    const poll::PollSettings settings =
        poll_settings(*m_config, slot.source, slot.policy, m_rules, m_rules_fingerprint);
    m_poll->poller().poll(slot.status, settings, [this, name, generation](poll::PollDone done) {
      if (done.cancelled || m_stopping) {
        return;
      }
      auto found = m_slots.find(name);
      if (found == m_slots.end() || found->second->generation != generation) {
        return; // removed or re-targeted by a reload meanwhile
      }
      found->second->in_flight = false;
      found->second->status = std::move(done.status);
      if (done.changed) {
        request_publish();
      }
      arm(name);
    });
  } catch (const std::exception& e) {
    m_log.error("poll_failed", {{"source", name}, {"err", e.what()}});
    slot.in_flight = false;
    slot.status.next_due = m_clock.now() + slot.policy.interval;
    arm(name);
  }
}

void Daemon::request_publish() {
  // Debounced: a burst of ingests (startup, a busy hour) becomes one publish.
  if (m_publish_pending || m_stopping) {
    return;
  }
  m_publish_pending = true;
  // A publish holds the store thread; on a big store it is spaced out so that ingests
  // keep most of that thread's time.
  m_publish_timer.expires_after(std::min<std::chrono::milliseconds>(
      std::max<std::chrono::milliseconds>(k_publish_debounce, 2 * m_publish_cost),
      k_publish_max_delay));
  m_publish_timer.async_wait([this](const boost::system::error_code& ec) {
    m_publish_pending = false;
    if (!ec) {
      publish_now();
    }
  });
}

void Daemon::publish_now() {
  auto run = std::make_shared<PublishRun>();
  run->generation = ++m_publish_generation;
  run->config = m_config;
  run->rules = m_rules;
  run->fingerprint = m_rules_fingerprint;
  run->base = m_base_url;
  run->now = m_clock.now();
  run->previous = m_snapshot;
  run->previous_review = m_review;
  run->review = m_review_server != nullptr;
  asio::post(m_poll->store_thread(), [this, run] {
    try {
      // Rules other than those of the stored decisions queue the whole window first.
      adopt_rules(m_poll->store(), *run->rules, *run->config, run->now);
    } catch (const std::exception& e) {
      m_log.error("publish_failed", {{"err", e.what()}});
    }
    publish_step(run);
  });
}

void Daemon::publish_step(const std::shared_ptr<PublishRun>& run) {
  const std::uint64_t generation = run->generation;
  try {
    const auto started = std::chrono::steady_clock::now();
    // A reload adopted other rules since this publish began: their publish settles the
    // queue, not this one (it would save decisions of the old rules).
    const std::size_t settled = m_poll->store().rules_fingerprint() == run->fingerprint
                                    ? settle_batch(m_poll->store(), *run->rules, run->after)
                                    : 0;
    run->cost += std::chrono::steady_clock::now() - started;
    if (settled > 0) {
      run->evaluated += settled;
      asio::post(m_poll->store_thread(), [this, run] { publish_step(run); });
      return;
    }
    const auto planning = std::chrono::steady_clock::now();
    PublishPlan plan = plan_outputs(m_poll->store(), *run->rules, *run->config, run->now);
    if (run->review) {
      render_review(generation, review_from_store(m_poll->store(), *run->config, run->now),
                    run->previous_review);
    }
    run->cost += std::chrono::steady_clock::now() - planning;
    const auto cost = std::chrono::duration_cast<std::chrono::milliseconds>(run->cost);
    const std::size_t evaluated = run->evaluated;
    asio::post(m_io, [this, cost] { m_publish_cost = cost; });
    // Rendering and gzip are CPU work; the store thread moves on.
    auto shared_plan = std::make_shared<const PublishPlan>(std::move(plan));
    asio::post(m_poll->cpu(), [this, generation, shared_plan, run, evaluated] {
      std::size_t published = 0;
      for (const TopicOutput& t : shared_plan->topics) {
        published += t.items.size();
      }
      try {
        auto snapshot = std::make_shared<const serve::Snapshot>(
            make_snapshot(*shared_plan, run->base, run->previous.get()));
        asio::post(m_io, [this, generation, snapshot, shared_plan, published, evaluated] {
          on_published(generation, snapshot, shared_plan->stories, published, evaluated);
        });
      } catch (const std::exception& e) {
        m_log.error("render_failed", {{"err", e.what()}});
        asio::post(m_io, [this, generation] { on_published(generation, nullptr, 0, 0, 0); });
      }
    });
  } catch (const std::exception& e) {
    m_log.error("publish_failed", {{"err", e.what()}});
    asio::post(m_io, [this, generation] { on_published(generation, nullptr, 0, 0, 0); });
  }
}

void Daemon::on_published(std::uint64_t generation,
                          const std::shared_ptr<const serve::Snapshot>& snapshot,
                          std::size_t stories,
                          std::size_t published,
                          std::size_t evaluated) {
  if (m_stopping) {
    return;
  }
  // An older publish finishing after a newer one must not replace it.
  if (snapshot && generation > m_published_generation) {
    m_published_generation = generation;
    std::vector<std::string> changed;
    if (m_hub) {
      changed = changed_feeds(m_snapshot.get(), *snapshot, m_base_url);
    }
    m_snapshot = snapshot;
    m_server->publish(snapshot);
    publish_review();
    if (!changed.empty()) {
      m_hub->ping(changed);
    }
    const Timestamp now = m_clock.now();
    m_health = Health{stories, published, format_rfc3339(now), now};
    // Documents, not paths: a page answers several "?before=" paths from one Resource.
    std::set<const serve::Resource*> documents;
    for (const auto& [path, resource] : *snapshot) {
      documents.insert(resource.get());
    }
    if (m_hub) {
      m_log.info("published", {{"evaluated", evaluated},
                               {"stories", stories},
                               {"items", published},
                               {"documents", documents.size()},
                               {"websub_pings", changed.size()}});
    } else {
      m_log.info("published", {{"evaluated", evaluated},
                               {"stories", stories},
                               {"items", published},
                               {"documents", documents.size()}});
    }
  }
  const std::string status = "STATUS=serving " + std::to_string(m_health.published) +
                             " items from " + std::to_string(m_health.stories) + " stories, " +
                             std::to_string(failing_sources()) + " sources failing";
  if (!m_ready) {
    m_ready = true;
    notify("READY=1\n" + status);
    m_log.info("ready", {{"url", m_base_url + "/feed.atom"}});
  } else {
    notify(status);
  }
}

void Daemon::render_review(std::uint64_t generation,
                           ReviewPlan plan,
                           const std::shared_ptr<const serve::Snapshot>& previous) {
  auto shared = std::make_shared<const ReviewPlan>(std::move(plan));
  asio::post(m_poll->cpu(), [this, generation, shared, previous] {
    try {
      auto pages =
          std::make_shared<const serve::Snapshot>(review_snapshot(*shared, previous.get()));
      asio::post(m_io, [this, generation, pages] {
        if (m_stopping || generation <= m_review_generation) {
          return;
        }
        m_review_generation = generation;
        m_review = pages;
        publish_review();
      });
    } catch (const std::exception& e) {
      m_log.error("render_failed", {{"err", e.what()}, {"what", "review"}});
    }
  });
}

void Daemon::publish_review() {
  if (!m_review_server || !m_snapshot) {
    return;
  }
  // The review listener serves the public pages too, so its pages' links lead somewhere.
  auto both = std::make_shared<serve::Snapshot>(*m_snapshot);
  if (m_review) {
    both->insert(m_review->begin(), m_review->end());
  }
  m_review_server->publish(std::move(both));
}

void Daemon::set_hub(const std::string& hub) {
  if (hub == m_hub_url && (m_hub != nullptr) == !hub.empty()) {
    return;
  }
  m_hub.reset();
  m_hub_url = hub;
  if (hub.empty()) {
    return;
  }
  fetch::HubPingPolicy policy;
  policy.user_agent = m_config->poll.user_agent;
  m_hub = std::make_unique<fetch::HubPinger>(hub, policy, [this](const fetch::HubPingEvent& e) {
    // On the pinger's thread; the Logger keeps lines whole.
    if (e.error.empty()) {
      m_log.info("websub_pinged", {{"url", e.url}, {"status", e.status}, {"attempt", e.attempt}});
    } else {
      m_log.warn("websub_ping_failed", {{"url", e.url},
                                        {"err", e.error},
                                        {"attempt", e.attempt},
                                        {"retry", e.done ? "no" : "yes"}});
    }
  });
}

void Daemon::wait_signal() {
  m_signals.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) {
      return;
    }
    if (signal == SIGHUP) {
      try {
        reload();
      } catch (const std::exception& e) {
        m_log.error("reload_failed", {{"err", e.what()}});
        notify("READY=1");
      }
      wait_signal();
      return;
    }
    stop(signal);
  });
}

void Daemon::reload() {
  notify("RELOADING=1\nSTATUS=reloading");
  m_log.info("reloading", {{"config", m_config->file.string()}});
  config::LoadResult loaded = config::load_file(m_config->file);
  if (!loaded.config) {
    for (const config::Error& e : loaded.errors) {
      m_log.error("config_error", {{"err", e.str()}});
    }
    m_log.warn("reload_rejected", {{"errors", loaded.errors.size()}, {"kept", "previous config"}});
    notify("READY=1\nSTATUS=reload rejected: config has errors, previous config kept");
    return;
  }
  auto config = std::make_shared<const config::Config>(std::move(*loaded.config));
  auto rules = std::make_shared<const filter::Rules>(config->topics);
  if (config->server.host != m_config->server.host ||
      config->server.port != m_config->server.port) {
    m_log.warn("restart_needed", {{"key", "server.listen"}});
  }
  if (config->server.review_host != m_config->server.review_host ||
      config->server.review_port != m_config->server.review_port) {
    m_log.warn("restart_needed", {{"key", "server.review_listen"}});
  }
  if (config->storage.path != m_config->storage.path) {
    m_log.warn("restart_needed", {{"key", "storage.path"}});
  }
  asio::post(m_poll->store_thread(), [this, config, rules] {
    try {
      m_poll->store().sync_sources(source_defs(*config));
      auto stored = std::make_shared<const std::vector<SourceStatus>>(m_poll->store().statuses());
      asio::post(m_io, [this, config, rules, stored] {
        if (m_stopping) {
          return;
        }
        m_config = config;
        m_rules = rules;
        m_rules_fingerprint = rules_fingerprint(config->topics, config->output.max_age);
        m_base_url = base_url(*config, m_server->port());
        m_poll->poller().set_host_holds(config->poll.retry_after_scope);
        set_hub(config->output.websub_hub);
        apply_sources(*config, *stored);
        publish_now(); // the new rules apply to what is already stored
        m_log.info("reloaded", {{"sources", m_slots.size()}, {"topics", config->topics.size()}});
        notify("READY=1");
      });
    } catch (const std::exception& e) {
      m_log.error("reload_failed", {{"err", e.what()}});
      asio::post(m_io, [] { notify("READY=1"); });
    }
  });
}

void Daemon::schedule_prune(std::chrono::seconds delay) {
  m_prune_timer.expires_after(delay);
  m_prune_timer.async_wait([this](const boost::system::error_code& ec) {
    if (ec) {
      return;
    }
    const Timestamp now = m_clock.now();
    const Seconds retain = m_config->storage.retain;
    const int max_per_source = m_config->storage.max_entries_per_source;
    asio::post(m_poll->store_thread(), [this, now, retain, max_per_source] {
      try {
        m_poll->store().prune(now - retain, max_per_source);
        m_log.info("pruned", {{"older_than", format_rfc3339(now - retain)}});
        asio::post(m_io, [this] { request_publish(); });
      } catch (const std::exception& e) {
        m_log.error("prune_failed", {{"err", e.what()}});
      }
    });
    schedule_prune(k_prune_every);
  });
}

void Daemon::schedule_watchdog() {
  m_watchdog_timer.expires_after(m_watchdog);
  m_watchdog_timer.async_wait([this](const boost::system::error_code& ec) {
    if (!ec) {
      notify("WATCHDOG=1");
      schedule_watchdog();
    }
  });
}

void Daemon::stop(int signal) {
  if (m_stopping) {
    return;
  }
  m_stopping = true;
  m_log.info("stopping", {{"signal", signal == SIGINT ? "SIGINT" : "SIGTERM"}});
  notify("STOPPING=1");
  m_poll->poller().stop();
  for (auto& [name, slot] : m_slots) {
    slot->timer->cancel();
  }
  m_publish_timer.cancel();
  m_prune_timer.cancel();
  m_watchdog_timer.cancel();
  m_signals.cancel();
  m_poll->fetcher().cancel_all();
  m_server->stop();
  if (m_review_server) {
    m_review_server->stop();
  }
  m_hub.reset(); // aborts a ping in flight; pending ones are dropped
  // Work already on the store thread finishes (each ingest is one transaction) when run()
  // joins it; nothing new is started.
  m_io.stop();
}

std::size_t Daemon::failing_sources() const {
  std::size_t n = 0;
  for (const auto& [name, slot] : m_slots) {
    if (slot->status.error_count > 0 || slot->status.state == SourceState::gone) {
      ++n;
    }
  }
  return n;
}

serve::Resource Daemon::metrics() const {
  std::vector<SourceStatus> statuses;
  statuses.reserve(m_slots.size());
  for (const auto& [name, slot] : m_slots) {
    statuses.push_back(slot->status);
  }
  return serve::make_resource(
      k_metrics_content_type,
      format_metrics(statuses, {m_health.stories, m_health.published, m_health.last_publish_at}),
      m_clock.now());
}

serve::Resource Daemon::health() const {
  std::string body = "ok sources=" + std::to_string(m_slots.size()) +
                     " failing=" + std::to_string(failing_sources()) +
                     " stories=" + std::to_string(m_health.stories) +
                     " published=" + std::to_string(m_health.published) + " last_publish=" +
                     (m_health.last_publish.empty() ? "-" : m_health.last_publish) + "\n";
  return serve::make_resource("text/plain; charset=utf-8", std::move(body), m_clock.now());
}

} // namespace reelfeed::app
