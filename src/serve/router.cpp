#include "serve/router.hpp"
#include "util/ascii.hpp"
#include "util/trim.hpp"

#include <cstdlib>
#include <ctime>

namespace reelfeed::serve {

namespace {

constexpr const char* k_cache_control = "public, max-age=300";
constexpr const char* k_server = "reelfeed";

/// Boost 1.74's Beast has its own string_view type.
std::string_view sv(boost::beast::string_view s) {
  return {s.data(), s.size()};
}

/// Calls f(item) for each comma-separated, trimmed, non-empty item.
template <typename F> void for_each_item(std::string_view list, F f) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const std::string_view item = util::trim_http_ows(list.substr(0, comma));
    if (!item.empty()) {
      f(item);
    }
    if (comma == std::string_view::npos) {
      break;
    }
    list.remove_prefix(comma + 1);
  }
}

std::string_view opaque(std::string_view tag) {
  if (tag.starts_with("W/")) {
    tag.remove_prefix(2);
  }
  return tag;
}

Response base_response(http::status status, unsigned version) {
  Response res{status, version};
  res.set(http::field::server, k_server);
  // Feeds carry (escaped) HTML from hostile sources: a browser must never sniff a feed
  // or an error reply as an HTML page of this origin.
  res.set("X-Content-Type-Options", "nosniff");
  return res;
}

Routed serve_resource(const http::request_header<>& req,
                      const Resource& r,
                      std::shared_ptr<const void> keep,
                      bool cacheable) {
  const bool gzip = !r.gzip_body.empty() && accepts_gzip(sv(req[http::field::accept_encoding]));
  const std::string& etag = gzip ? r.gzip_etag : r.etag;
  const std::string& body = gzip ? r.gzip_body : r.body;

  bool not_modified = false;
  const auto inm = req.find(http::field::if_none_match);
  if (inm != req.end()) {
    not_modified = !etag.empty() && etag_matches(sv(inm->value()), etag);
  } else if (r.last_modified != Timestamp{}) {
    const auto ims = parse_http_date(sv(req[http::field::if_modified_since]));
    not_modified = ims && r.last_modified <= *ims;
  }

  Routed out{
      base_response(not_modified ? http::status::not_modified : http::status::ok, req.version()),
      std::move(keep)};
  Response& res = out.response;
  if (!etag.empty()) {
    res.set(http::field::etag, etag);
  }
  if (r.last_modified != Timestamp{}) {
    res.set(http::field::last_modified, format_rfc1123(r.last_modified));
  }
  res.set(http::field::cache_control, cacheable ? k_cache_control : "no-cache");
  if (cacheable) {
    // Public feeds: web-based readers fetch them from their own origin (JSON Feed above all).
    res.set(http::field::access_control_allow_origin, "*");
  }
  if (!r.gzip_body.empty()) {
    res.set(http::field::vary, "Accept-Encoding");
  }
  if (not_modified) {
    return out;
  }
  res.set(http::field::content_type, r.content_type);
  if (gzip) {
    res.set(http::field::content_encoding, "gzip");
  }
  // HEAD announces the GET body's length but sends none.
  res.content_length(body.size());
  if (req.method() == http::verb::get) {
    res.body() = http::span_body<const char>::value_type(body.data(), body.size());
  }
  return out;
}

} // namespace

Response error_response(http::status status, unsigned version) {
  Response res = base_response(status, version);
  std::string_view text;
  switch (status) {
  case http::status::not_found:
    text = "not found\n";
    break;
  case http::status::method_not_allowed:
    text = "method not allowed\n";
    res.set(http::field::allow, "GET, HEAD");
    break;
  case http::status::payload_too_large:
    text = "request body too large\n";
    break;
  case http::status::request_header_fields_too_large:
    text = "request header too large\n";
    break;
  case http::status::service_unavailable:
    text = "no feed published yet\n";
    res.set(http::field::retry_after, "5");
    break;
  case http::status::internal_server_error:
    text = "internal error\n";
    break;
  default:
    text = "bad request\n";
  }
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = http::span_body<const char>::value_type(text.data(), text.size());
  res.content_length(text.size());
  return res;
}

namespace {

Routed route_get(const http::request_header<>& req,
                 const std::shared_ptr<const Snapshot>& snapshot,
                 const Handlers& handlers) {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    return {error_response(http::status::method_not_allowed, req.version()), nullptr};
  }
  const std::string_view target = sv(req.target());
  const std::string_view path = target.substr(0, target.find('?'));

  if (snapshot) {
    // A pre-rendered page may be published under its query ("/?before=42"); any other
    // query is ignored, as it always was for the feeds.
    auto it = path.size() < target.size() ? snapshot->find(target) : snapshot->end();
    if (it == snapshot->end()) {
      it = snapshot->find(path);
    }
    if (it != snapshot->end() && it->second) {
      // The snapshot owns its resources; keeping it keeps the body alive.
      return serve_resource(req, *it->second, snapshot, true);
    }
  }
  const auto h = handlers.find(path);
  if (h != handlers.end()) {
    try {
      auto res = std::make_shared<const Resource>(h->second());
      const Resource& ref = *res;
      return serve_resource(req, ref, std::move(res), false);
    } catch (...) {
      return {error_response(http::status::internal_server_error, req.version()), nullptr};
    }
  }
  // Before the first publish no path is known to be missing; a 404 would make some readers
  // drop the subscription, so ask them to come back instead.
  if (!snapshot) {
    return {error_response(http::status::service_unavailable, req.version()), nullptr};
  }
  return {error_response(http::status::not_found, req.version()), nullptr};
}

} // namespace

Routed route(const http::request_header<>& req,
             const std::shared_ptr<const Snapshot>& snapshot,
             const Handlers& handlers) {
  Routed out = route_get(req, snapshot, handlers);
  if (req.method() == http::verb::head) {
    // Error replies carry a body; a HEAD answer keeps its length but never sends it.
    out.response.body() = {};
  }
  return out;
}

bool accepts_gzip(std::string_view accept_encoding) {
  bool ok = false;
  for_each_item(accept_encoding, [&](std::string_view item) {
    const std::size_t semi = item.find(';');
    const std::string_view coding = util::trim_http_ows(item.substr(0, semi));
    if (!util::iequals(coding, "gzip") && !util::iequals(coding, "x-gzip") && coding != "*") {
      return;
    }
    bool zero = false;
    if (semi != std::string_view::npos) {
      std::string_view params = util::trim_http_ows(item.substr(semi + 1));
      if (params.size() > 2 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
        params.remove_prefix(2);
        // "0", "0.", "0.0", "0.000" all mean "not acceptable".
        zero = params.find_first_not_of("0.") == std::string_view::npos;
      }
    }
    ok = ok || !zero;
  });
  return ok;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  if (util::trim_http_ows(if_none_match) == "*") {
    return true;
  }
  bool match = false;
  for_each_item(if_none_match,
                [&](std::string_view tag) { match = match || opaque(tag) == opaque(etag); });
  return match;
}

std::optional<Timestamp> parse_http_date(std::string_view s) {
  s = util::trim_http_ows(s);
  if (s.empty() || s.size() > 64) {
    return std::nullopt;
  }
  const std::string text(s);
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') {
    return std::nullopt;
  }
  return Timestamp{std::chrono::seconds{timegm(&tm)}};
}

} // namespace reelfeed::serve
