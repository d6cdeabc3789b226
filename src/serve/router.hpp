#pragma once
// The request -> response rules of the feed server, apart from any socket so they can be
// tested directly (Beast's handle_request idea). Runs on the io thread; never throws.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/span_body.hpp>

#include "serve/serve.hpp"

namespace reelfeed::serve {

namespace http = boost::beast::http;

/// The body is a view into a Resource; `keep` holds what it points into alive until the
/// response has been written, so serving a snapshot copies no body bytes.
using Response = http::response<http::span_body<const char>>;
using Handlers = std::map<std::string, std::function<Resource()>, std::less<>>;

struct Routed {
  Response response;
  std::shared_ptr<const void> keep;
};

/// GET/HEAD on a snapshot path or a handler; 404 unknown path (503 with Retry-After while
/// no snapshot was published yet), 405 other methods.
/// The caller sets keep-alive.
[[nodiscard]] Routed route(const http::request_header<>& req,
                           const std::shared_ptr<const Snapshot>& snapshot,
                           const Handlers& handlers);

/// A plain-text error reply (body from static storage).
[[nodiscard]] Response error_response(http::status status, unsigned version);

/// True if an Accept-Encoding value admits gzip (q > 0, or `*`).
[[nodiscard]] bool accepts_gzip(std::string_view accept_encoding);
/// If-None-Match against one strong tag, by weak comparison (RFC 9110 13.1.2).
[[nodiscard]] bool etag_matches(std::string_view if_none_match, std::string_view etag);
/// IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT"); nullopt for anything else.
[[nodiscard]] std::optional<Timestamp> parse_http_date(std::string_view s);

} // namespace reelfeed::serve
