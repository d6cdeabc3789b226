#pragma once
// The libcurl <-> Asio bridge: a CURLM driven by CURLMOPT_SOCKETFUNCTION and
// CURLMOPT_TIMERFUNCTION, one steady_timer, and a posix::stream_descriptor per socket that
// curl reports (released, never closed, on CURL_POLL_REMOVE: curl owns its sockets).
//
// Threading: everything runs on the io_context's thread. Asio handlers hold weak_ptrs to the
// bridge and to each socket watch, so a handler that fires after curl removed the socket or
// after the bridge died does nothing (curl#5090's use-after-free class). curl_multi_socket_action
// is only ever called from Asio handlers, never from inside a curl callback.

#include <functional>
#include <map>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <curl/curl.h>

namespace reelfeed::fetch {

struct SocketWatch;

class CurlMulti : public std::enable_shared_from_this<CurlMulti> {
public:
  /// Called (on the io thread, from a socket/timer handler) for each finished easy handle,
  /// after it has been removed from the multi handle. It may add or remove handles.
  using DoneFn = std::function<void(CURL*, CURLcode)>;

  /// Throws std::runtime_error when libcurl cannot create a multi handle.
  static std::shared_ptr<CurlMulti> create(boost::asio::io_context& io, DoneFn on_done);
  ~CurlMulti();
  CurlMulti(const CurlMulti&) = delete;
  CurlMulti& operator=(const CurlMulti&) = delete;

  /// Starts a transfer; false (with the handle not added) when libcurl refuses it.
  [[nodiscard]] bool add(CURL* easy);
  /// Stops a running transfer without calling on_done.
  void remove(CURL* easy);
  [[nodiscard]] CURLM* handle() const { return m_multi.get(); }

private:
  struct MultiDeleter {
    void operator()(CURLM* m) const { curl_multi_cleanup(m); }
  };

  CurlMulti(boost::asio::io_context& io, DoneFn on_done);

  static int on_socket(CURL* easy, curl_socket_t s, int what, void* user, void* socketp) noexcept;
  static int on_timer(CURLM* multi, long timeout_ms, void* user) noexcept;
  void arm(const std::shared_ptr<SocketWatch>& watch);
  void socket_action(curl_socket_t s, int mask);
  void drain_done();

  boost::asio::io_context& m_io;
  DoneFn m_on_done;
  // Declared before m_multi: curl_multi_cleanup may still call on_socket, which uses them.
  boost::asio::steady_timer m_timer;
  std::map<curl_socket_t, std::shared_ptr<SocketWatch>> m_sockets;
  std::unique_ptr<CURLM, MultiDeleter> m_multi;
};

} // namespace reelfeed::fetch
