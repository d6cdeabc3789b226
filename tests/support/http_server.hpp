#pragma once
// An in-process HTTP/1.1 server on 127.0.0.1 for tests, on its own thread. Each test
// scripts the replies (including misbehaviours) and inspects the requests it saw.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace reelfeed::test {

struct HttpRequest {
  std::string method;
  std::string target;                         ///< path + query
  std::map<std::string, std::string> headers; ///< names lower-cased
  std::string body;                           ///< by Content-Length (a POST's form)
};

struct HttpReply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  /// Misbehaviours.
  std::chrono::milliseconds drip{0};  ///< send the body one byte per interval
  bool reset = false;                 ///< close the connection without answering
  bool endless = false;               ///< stream `body` forever (no Content-Length)
  bool no_content_length = false;     ///< close-delimited body
  std::chrono::milliseconds delay{0}; ///< wait this long before answering (concurrency tests)
};

using Handler = std::function<HttpReply(const HttpRequest&)>;

/// The handler runs on the server's thread; it must not block for long. A handler that
/// throws produces a 500. The destructor closes every connection and joins the thread.
class HttpServer {
public:
  /// Listens on `address` (any of 127/8, or ::1), on a free port.
  explicit HttpServer(Handler handler, std::string address = "127.0.0.1");
  ~HttpServer(); ///< stops the thread; any dripping/endless reply is cut off
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  /// "http://127.0.0.1:PORT/path" (the server's address, in brackets for IPv6).
  [[nodiscard]] std::string url(const std::string& path) const;
  [[nodiscard]] std::vector<HttpRequest> requests() const; ///< copies, in arrival order
  /// Highest number of requests that were being answered at the same time.
  [[nodiscard]] int max_concurrent() const;
  /// Connections accepted so far (keep-alive reuse shows as fewer connections than requests).
  [[nodiscard]] int connections() const;
  void set_handler(Handler handler);

private:
  class Impl;
  std::unique_ptr<Impl> m_impl;
  std::string m_address; ///< as it appears in url()
};

/// A handler serving the files of `root` (Content-Type from the extension, strong ETag
/// from the content, 304 on a matching If-None-Match).
[[nodiscard]] Handler serve_directory(std::filesystem::path root);

} // namespace reelfeed::test
