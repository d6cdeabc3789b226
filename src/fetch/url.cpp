#include "fetch/url.hpp"
#include "util/ascii.hpp"

#include <algorithm>
#include <cctype>
#include <memory>

#include <curl/curl.h>

namespace reelfeed::fetch {

namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlPtr = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlString {
  char* p = nullptr;
  CurlString() = default;
  CurlString(const CurlString&) = delete;
  CurlString& operator=(const CurlString&) = delete;
  ~CurlString() { curl_free(p); }
};

std::optional<std::string> part(CURLU* u, CURLUPart what, unsigned flags = 0) {
  CurlString s;
  if (curl_url_get(u, what, &s.p, flags) != CURLUE_OK || s.p == nullptr) {
    return std::nullopt;
  }
  return std::string(s.p);
}

UrlPtr parse(const std::string& url) {
  UrlPtr u(curl_url());
  if (!u ||
      curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return nullptr;
  }
  return u;
}

} // namespace

std::string url_scheme(const std::string& url) {
  const UrlPtr u = parse(url);
  if (!u) {
    return {};
  }
  return util::ascii_lower(part(u.get(), CURLUPART_SCHEME).value_or(""));
}

std::string host_key(const std::string& url) {
  const UrlPtr u = parse(url);
  if (!u) {
    return url;
  }
  const std::string scheme = util::ascii_lower(part(u.get(), CURLUPART_SCHEME).value_or(""));
  if (scheme == "file") {
    return "file:";
  }
  const auto host = part(u.get(), CURLUPART_HOST);
  const auto port = part(u.get(), CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!host) {
    return url;
  }
  return util::ascii_lower(*host) + ":" + port.value_or("");
}

std::optional<std::string> resolve_url(const std::string& base, const std::string& location) {
  const UrlPtr u = parse(base);
  if (!u || curl_url_set(u.get(), CURLUPART_URL, location.c_str(), CURLU_NON_SUPPORT_SCHEME) !=
                CURLUE_OK) {
    return std::nullopt;
  }
  return part(u.get(), CURLUPART_URL);
}

} // namespace reelfeed::fetch
