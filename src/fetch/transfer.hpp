#pragma once
// One logical fetch of one source: the request, the redirect hops taken so far, and the
// easy handle of the hop in progress. Owned by Fetcher::Impl; lives on the io thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <curl/curl.h>

#include "fetch/fetch.hpp"
#include "fetch/http_headers.hpp"

namespace reelfeed::fetch {

inline constexpr const char* k_default_user_agent =
    "reelfeed/0.1.0 (+https://github.com/reelfeed/reelfeed)";

struct EasyDeleter {
  void operator()(CURL* e) const { curl_easy_cleanup(e); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};

class Transfer {
public:
  Transfer(Request request,
           std::function<void(FetchResult)> done,
           const Limits& limits,
           const Clock& clock);

  /// Creates and configures the easy handle for the current hop (url()). nullptr on failure.
  [[nodiscard]] CURL* prepare_hop();
  /// Called when the hop's easy handle finished. Returns true when a redirect was accepted
  /// and url() now names the next hop; false when result() is final.
  [[nodiscard]] bool finish_hop(CURLcode code);

  /// The final result (call once finish_hop returned false). Moves the body out.
  [[nodiscard]] FetchResult take_result() { return std::move(m_result); }
  /// A final result for a transfer that never completed (cancel, add failure).
  void finalize(FetchOutcome outcome, std::string error);

  [[nodiscard]] const std::string& url() const { return m_url; }
  [[nodiscard]] const std::string& host() const { return m_host; }
  [[nodiscard]] CURL* easy() const { return m_easy.get(); }
  [[nodiscard]] std::function<void(FetchResult)>& done() { return m_done; }

private:
  static std::size_t on_write(char* data, std::size_t size, std::size_t n, void* user) noexcept;
  static std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) noexcept;
  static curl_socket_t
  on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) noexcept;
  static int on_prerequest(
      void* user, char* primary_ip, char* local_ip, int primary_port, int local_port) noexcept;
  /// The redirect rule on an address this hop connects to (or, before connecting, a URL's
  /// literal address). The first hop records its class as the source's; a later hop that
  /// may not go there is refused: false, and m_refused says why.
  [[nodiscard]] bool admit(const IpAddress& address);
  [[nodiscard]] bool follow(long status);
  void build_result(CURLcode code, long status);

  Request m_request;
  std::function<void(FetchResult)> m_done;
  const Limits& m_limits;
  const Clock& m_clock; ///< Retry-After dates are measured from its now()
  std::string m_url;
  std::string m_host;
  std::set<std::string> m_visited;
  std::chrono::steady_clock::time_point m_started;
  FetchResult m_result;
  std::uint64_t m_wire_bytes = 0;
  std::optional<AddressClass> m_source_class; ///< of the address the first hop connected to
  std::string m_refused;                      ///< why admit() refused this hop's address

  // Per hop.
  std::unique_ptr<CURL, EasyDeleter> m_easy;
  std::unique_ptr<curl_slist, SlistDeleter> m_headers_out;
  ResponseHeaders m_headers;
  std::string m_body;
  long m_status = 0; ///< from the latest status line
  bool m_too_large = false;
  std::uint64_t m_drained = 0; ///< bytes of a redirect/error body thrown away
  bool m_cut_drain = false;    ///< that body was cut at the cap (not a transfer failure)
  char m_errbuf[CURL_ERROR_SIZE] = {};
};

} // namespace reelfeed::fetch
