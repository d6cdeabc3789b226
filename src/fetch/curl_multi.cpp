#include "fetch/curl_multi.hpp"

#include <stdexcept>

#include <boost/asio/posix/stream_descriptor.hpp>

namespace reelfeed::fetch {

namespace asio = boost::asio;

struct SocketWatch {
  SocketWatch(asio::io_context& io, curl_socket_t s) : fd(s), descriptor(io, s) {}
  curl_socket_t fd;
  asio::posix::stream_descriptor descriptor;
  int want = 0;         ///< CURL_POLL_IN/OUT/INOUT as curl last asked
  bool reading = false; ///< an async_wait(wait_read) is pending
  bool writing = false; ///< an async_wait(wait_write) is pending
  bool removed = false; ///< curl said CURL_POLL_REMOVE; the fd is no longer ours to watch
};

CurlMulti::CurlMulti(asio::io_context& io, DoneFn on_done)
    : m_io(io), m_on_done(std::move(on_done)), m_timer(io), m_multi(curl_multi_init()) {
  if (!m_multi) {
    throw std::runtime_error("curl_multi_init failed");
  }
}

std::shared_ptr<CurlMulti> CurlMulti::create(asio::io_context& io, DoneFn on_done) {
  std::shared_ptr<CurlMulti> self(new CurlMulti(io, std::move(on_done)));
  CURLM* m = self->m_multi.get();
  curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
  curl_multi_setopt(m, CURLMOPT_SOCKETDATA, self.get());
  curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
  curl_multi_setopt(m, CURLMOPT_TIMERDATA, self.get());
  curl_multi_setopt(m, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
  return self;
}

CurlMulti::~CurlMulti() {
  m_timer.cancel();
  // Owners remove their easy handles first; cleanup may still report CURL_POLL_REMOVE.
  m_multi.reset();
  for (auto& [fd, watch] : m_sockets) {
    watch->removed = true;
    boost::system::error_code ec;
    watch->descriptor.cancel(ec);
    (void)watch->descriptor.release();
  }
  m_sockets.clear();
}

bool CurlMulti::add(CURL* easy) {
  return curl_multi_add_handle(m_multi.get(), easy) == CURLM_OK;
}

void CurlMulti::remove(CURL* easy) {
  curl_multi_remove_handle(m_multi.get(), easy);
}

int CurlMulti::on_socket(
    CURL* /*easy*/, curl_socket_t s, int what, void* user, void* /*socketp*/) noexcept {
  auto* self = static_cast<CurlMulti*>(user);
  try {
    auto it = self->m_sockets.find(s);
    if (what == CURL_POLL_REMOVE) {
      if (it != self->m_sockets.end()) {
        const auto watch = it->second;
        watch->removed = true;
        boost::system::error_code ec;
        watch->descriptor.cancel(ec);
        (void)watch->descriptor.release(); // curl closes the fd itself
        self->m_sockets.erase(it);
      }
      return 0;
    }
    if (it == self->m_sockets.end()) {
      it = self->m_sockets.emplace(s, std::make_shared<SocketWatch>(self->m_io, s)).first;
    }
    it->second->want = what;
    self->arm(it->second);
    return 0;
  } catch (...) {
    return -1; // no exception crosses into C; curl fails the affected transfer
  }
}

int CurlMulti::on_timer(CURLM* /*multi*/, long timeout_ms, void* user) noexcept {
  auto* self = static_cast<CurlMulti*>(user);
  try {
    if (timeout_ms < 0) {
      self->m_timer.cancel();
      return 0;
    }
    // Even 0 goes through the timer: socket_action must not run inside this callback.
    self->m_timer.expires_after(std::chrono::milliseconds(timeout_ms));
    self->m_timer.async_wait([weak = self->weak_from_this()](boost::system::error_code ec) {
      const auto me = weak.lock();
      if (ec || !me) {
        return;
      }
      me->socket_action(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
  } catch (...) {
    return -1;
  }
}

void CurlMulti::arm(const std::shared_ptr<SocketWatch>& watch) {
  const auto weak_self = weak_from_this();
  const std::weak_ptr<SocketWatch> weak_watch = watch;
  auto make_handler = [weak_self, weak_watch](bool read) {
    return [weak_self, weak_watch, read](boost::system::error_code ec) {
      const auto me = weak_self.lock();
      const auto w = weak_watch.lock();
      if (!me || !w) {
        return;
      }
      (read ? w->reading : w->writing) = false;
      if (w->removed || ec == asio::error::operation_aborted) {
        return;
      }
      const int flag = read ? CURL_POLL_IN : CURL_POLL_OUT;
      if ((w->want & flag) == 0) {
        return; // curl changed its mind while we waited
      }
      int mask = read ? CURL_CSELECT_IN : CURL_CSELECT_OUT;
      if (ec) {
        mask |= CURL_CSELECT_ERR;
      }
      me->socket_action(w->fd, mask);
      if (!w->removed) {
        me->arm(w); // re-arm while that direction is still wanted
      }
    };
  };
  if ((watch->want & CURL_POLL_IN) != 0 && !watch->reading) {
    watch->reading = true;
    watch->descriptor.async_wait(asio::posix::stream_descriptor::wait_read, make_handler(true));
  }
  if ((watch->want & CURL_POLL_OUT) != 0 && !watch->writing) {
    watch->writing = true;
    watch->descriptor.async_wait(asio::posix::stream_descriptor::wait_write, make_handler(false));
  }
}

void CurlMulti::socket_action(curl_socket_t s, int mask) {
  int running = 0;
  curl_multi_socket_action(m_multi.get(), s, mask, &running);
  drain_done();
}

void CurlMulti::drain_done() {
  int left = 0;
  while (CURLMsg* msg = curl_multi_info_read(m_multi.get(), &left)) {
    if (msg->msg != CURLMSG_DONE) {
      continue;
    }
    CURL* easy = msg->easy_handle;
    const CURLcode code = msg->data.result;
    curl_multi_remove_handle(m_multi.get(), easy);
    m_on_done(easy, code);
  }
}

} // namespace reelfeed::fetch
