#include "fetch/fetch.hpp"

#include <deque>
#include <map>
#include <unordered_map>

#include <boost/asio/post.hpp>

#include "fetch/curl_multi.hpp"
#include "fetch/transfer.hpp"

namespace reelfeed::fetch {

namespace asio = boost::asio;

class Fetcher::Impl {
public:
  Impl(asio::io_context& io, Limits limits, const Clock& clock)
      : m_io(io), m_limits(std::move(limits)), m_clock(clock),
        m_multi(CurlMulti::create(io, [this](CURL* easy, CURLcode code) { on_done(easy, code); })) {
  }

  ~Impl() { cancel_all(); }
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  void fetch(Request request, std::function<void(FetchResult)> done) {
    auto t = std::make_unique<Transfer>(std::move(request), std::move(done), m_limits, m_clock);
    Transfer* raw = t.get();
    m_transfers.emplace(raw, std::move(t));
    m_queue.push_back(raw);
    pump();
  }

  void cancel_all() {
    m_queue.clear();
    for (auto& [raw, t] : m_transfers) {
      if (t->easy() != nullptr) {
        m_multi->remove(t->easy());
      }
      t->finalize(FetchOutcome::network_error, "cancelled");
      post_done(*t);
    }
    m_transfers.clear();
    m_per_host.clear();
    m_running = 0;
  }

  [[nodiscard]] std::size_t in_flight() const { return m_transfers.size(); }

private:
  [[nodiscard]] bool host_has_room(const std::string& host) const {
    if (m_limits.max_per_host <= 0) {
      return true;
    }
    const auto it = m_per_host.find(host);
    return it == m_per_host.end() || it->second < m_limits.max_per_host;
  }

  // Starts queued transfers, oldest first, as far as the global and per-host limits allow;
  // a transfer whose host is full waits without blocking transfers to other hosts.
  void pump() {
    for (auto it = m_queue.begin(); it != m_queue.end();) {
      if (m_limits.max_concurrent > 0 && m_running >= m_limits.max_concurrent) {
        return;
      }
      Transfer* t = *it;
      if (!host_has_room(t->host())) {
        ++it;
        continue;
      }
      it = m_queue.erase(it);
      start(*t);
    }
  }

  void start(Transfer& t) {
    CURL* easy = t.prepare_hop();
    if (easy == nullptr || !m_multi->add(easy)) {
      t.finalize(FetchOutcome::network_error, "libcurl refused the transfer");
      complete(t);
      return;
    }
    ++m_running;
    ++m_per_host[t.host()];
  }

  void release(const Transfer& t) {
    --m_running;
    const auto it = m_per_host.find(t.host());
    if (it != m_per_host.end() && --it->second <= 0) {
      m_per_host.erase(it);
    }
  }

  void on_done(CURL* easy, CURLcode code) {
    void* priv = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &priv);
    auto* t = static_cast<Transfer*>(priv);
    if (t == nullptr || m_transfers.count(t) == 0) {
      return;
    }
    release(*t);
    if (t->finish_hop(code)) {
      // The next hop may go to another host: it queues again, ahead of new work.
      m_queue.push_front(t);
    } else {
      complete(*t);
    }
    pump();
  }

  void post_done(Transfer& t) {
    // Never inline: the caller may be inside fetch() or deep in a curl callback chain.
    asio::post(m_io, [done = std::move(t.done()), result = t.take_result()]() mutable {
      done(std::move(result));
    });
  }

  void complete(Transfer& t) {
    post_done(t);
    m_transfers.erase(&t);
  }

  asio::io_context& m_io;
  Limits m_limits;
  const Clock& m_clock;
  std::map<Transfer*, std::unique_ptr<Transfer>> m_transfers; // queued and running
  std::deque<Transfer*> m_queue;
  std::unordered_map<std::string, int> m_per_host;
  int m_running = 0;
  std::shared_ptr<CurlMulti> m_multi; // last member: destroyed first, after cancel_all
};

Fetcher::Fetcher(asio::io_context& io, Limits limits, const Clock& clock)
    : m_impl(std::make_unique<Impl>(io, std::move(limits), clock)) {}

Fetcher::~Fetcher() = default;

void Fetcher::fetch(Request request, std::function<void(FetchResult)> done) {
  m_impl->fetch(std::move(request), std::move(done));
}

void Fetcher::cancel_all() {
  m_impl->cancel_all();
}

std::size_t Fetcher::in_flight() const {
  return m_impl->in_flight();
}

} // namespace reelfeed::fetch
