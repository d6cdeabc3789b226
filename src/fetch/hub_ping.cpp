#include "fetch/hub_ping.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

#include <curl/curl.h>

#include "fetch/transfer.hpp"

namespace reelfeed::fetch {

namespace {

using Clock = std::chrono::steady_clock;

std::string form_value(CURL* curl, const std::string& value) {
  char* escaped = curl_easy_escape(curl, value.data(), static_cast<int>(value.size()));
  std::string out = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return out;
}

size_t discard(char*, size_t size, size_t n, void*) {
  return size * n; // a hub's reply body says nothing we act on
}

} // namespace

class HubPinger::Impl {
public:
  Impl(std::string hub, HubPingPolicy policy, std::function<void(const HubPingEvent&)> on_event)
      : m_hub(std::move(hub)), m_policy(std::move(policy)), m_on_event(std::move(on_event)) {
    if (m_policy.user_agent.empty()) {
      m_policy.user_agent = k_default_user_agent;
    }
    m_policy.attempts = std::max(1, m_policy.attempts);
    m_thread = std::thread([this] { run(); });
  }

  ~Impl() {
    m_stopping = true;
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void ping(const std::vector<std::string>& urls) {
    {
      std::lock_guard lock(m_mutex);
      const auto now = Clock::now();
      for (const std::string& url : urls) {
        m_pending[url] = Pending{0, now, ++m_generation};
      }
    }
    m_wake.notify_all();
  }

private:
  struct Pending {
    int attempts = 0; ///< made so far
    Clock::time_point due;
    std::uint64_t generation = 0; ///< which ping() asked for it
  };

  void run() {
    CURL* curl = curl_easy_init();
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
      auto next =
          std::min_element(m_pending.begin(), m_pending.end(), [](const auto& a, const auto& b) {
            return a.second.due < b.second.due;
          });
      if (next == m_pending.end()) {
        m_wake.wait(lock);
        continue;
      }
      if (next->second.due > Clock::now()) {
        m_wake.wait_until(lock, next->second.due);
        continue;
      }
      const std::string url = next->first;
      const int attempt = next->second.attempts + 1;
      const std::uint64_t generation = next->second.generation;
      lock.unlock();
      HubPingEvent event = post(curl, url);
      event.attempt = attempt;
      lock.lock();
      if (m_stop) {
        break;
      }
      const auto it = m_pending.find(url);
      // A newer ping of the URL arrived during the request: it stands, attempts anew.
      const bool renewed = it == m_pending.end() || it->second.generation != generation;
      if (!renewed) {
        if (event.error.empty() || attempt >= m_policy.attempts) {
          event.done = true;
          m_pending.erase(it);
        } else {
          it->second.attempts = attempt;
          it->second.due = Clock::now() + backoff(attempt);
        }
      }
      lock.unlock();
      if (m_on_event) {
        m_on_event(event);
      }
      lock.lock();
    }
    lock.unlock();
    if (curl != nullptr) {
      curl_easy_cleanup(curl);
    }
  }

  std::chrono::milliseconds backoff(int attempt) const {
    auto delay = m_policy.first_retry;
    for (int i = 1; i < attempt && delay < m_policy.max_retry; ++i) {
      delay *= 2;
    }
    return std::min(delay, m_policy.max_retry);
  }

  static int progress(void* self, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
    // Non-zero aborts the transfer: shutting down never waits for a slow hub.
    return static_cast<Impl*>(self)->m_stopping.load() ? 1 : 0;
  }

  HubPingEvent post(CURL* curl, const std::string& url) {
    HubPingEvent event;
    event.url = url;
    if (curl == nullptr) {
      event.error = "curl_easy_init failed";
      return event;
    }
    curl_easy_reset(curl);
    const std::string body = "hub.mode=publish&hub.url=" + form_value(curl, url);
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, m_hub.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_USERAGENT, m_policy.user_agent.c_str());
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_policy.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, progress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, this);
    // The libcurl default form type is what WebSub asks for; said outright all the same.
    curl_slist* headers =
        curl_slist_append(nullptr, "Content-Type: application/x-www-form-urlencoded");
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(headers);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
    if (rc != CURLE_OK) {
      event.error = error[0] != '\0' ? error : curl_easy_strerror(rc);
      return event;
    }
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &event.status);
    if (event.status < 200 || event.status > 299) {
      event.error = "HTTP " + std::to_string(event.status);
    }
    return event;
  }

  const std::string m_hub;
  HubPingPolicy m_policy;
  std::function<void(const HubPingEvent&)> m_on_event;
  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::map<std::string, Pending> m_pending;
  bool m_stop = false;
  std::uint64_t m_generation = 0;
  std::atomic<bool> m_stopping{false};
  std::thread m_thread;

  friend class HubPinger;
};

HubPinger::HubPinger(std::string hub,
                     HubPingPolicy policy,
                     std::function<void(const HubPingEvent&)> on_event)
    : m_impl(std::make_unique<Impl>(std::move(hub), std::move(policy), std::move(on_event))) {}

HubPinger::~HubPinger() {
  m_impl->m_stopping = true;
}

void HubPinger::ping(const std::vector<std::string>& feed_urls) {
  m_impl->ping(feed_urls);
}

} // namespace reelfeed::fetch
