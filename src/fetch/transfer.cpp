#include "fetch/transfer.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>

#include <strings.h>
#include <sys/socket.h>

#include "fetch/url.hpp"

namespace reelfeed::fetch {

namespace {

constexpr const char* k_accept = "Accept: application/atom+xml, application/rss+xml, "
                                 "application/rdf+xml;q=0.9, application/feed+json;q=0.9, "
                                 "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5";

bool is_redirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

bool is_success(long status) {
  return status == 0 || (status >= 200 && status < 300);
}

int http_version_number(long curl_version) {
  switch (curl_version) {
  case CURL_HTTP_VERSION_1_0:
    return 10;
  case CURL_HTTP_VERSION_1_1:
    return 11;
  case CURL_HTTP_VERSION_2_0:
    return 20;
  case CURL_HTTP_VERSION_3:
    return 30;
  default:
    return 0;
  }
}

long to_ms(std::chrono::milliseconds d) {
  return static_cast<long>(std::max<long long>(1, d.count()));
}

} // namespace

Transfer::Transfer(Request request,
                   std::function<void(FetchResult)> done,
                   const Limits& limits,
                   const Clock& clock)
    : m_request(std::move(request)), m_done(std::move(done)), m_limits(limits), m_clock(clock),
      m_url(m_request.url), m_host(host_key(m_url)), m_started(std::chrono::steady_clock::now()) {
  m_visited.insert(m_url);
}

CURL* Transfer::prepare_hop() {
  m_easy.reset(curl_easy_init());
  m_headers_out.reset();
  m_headers = ResponseHeaders{};
  m_body.clear();
  m_status = 0;
  m_too_large = false;
  m_drained = 0;
  m_cut_drain = false;
  m_errbuf[0] = '\0';
  CURL* e = m_easy.get();
  if (e == nullptr) {
    return nullptr;
  }
  // Say what we want, so that content-negotiating servers send a feed rather than a page.
  curl_slist* list = curl_slist_append(nullptr, k_accept);
  if (!m_request.validators.etag.empty()) {
    list = curl_slist_append(list, ("If-None-Match: " + m_request.validators.etag).c_str());
  }
  if (!m_request.validators.last_modified.empty()) {
    list = curl_slist_append(list,
                             ("If-Modified-Since: " + m_request.validators.last_modified).c_str());
  }
  m_headers_out.reset(list);
  // The total timeout covers every hop of the fetch, not each hop afresh.
  const auto spent = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - m_started);
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.timeout) - spent;
  const std::string& ua =
      m_limits.user_agent.empty() ? std::string(k_default_user_agent) : m_limits.user_agent;

  curl_easy_setopt(e, CURLOPT_URL, m_url.c_str());
  curl_easy_setopt(e, CURLOPT_PRIVATE, this);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, m_errbuf);
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Transfer::on_write);
  curl_easy_setopt(e, CURLOPT_WRITEDATA, this);
  curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, &Transfer::on_header);
  curl_easy_setopt(e, CURLOPT_HEADERDATA, this);
  // The redirect rule is checked on the address each hop connects to: before a new
  // connection is opened, and again once the connection (new or reused from the cache,
  // which another source may have opened) is known, before the request goes out.
  curl_easy_setopt(e, CURLOPT_OPENSOCKETFUNCTION, &Transfer::on_open_socket);
  curl_easy_setopt(e, CURLOPT_OPENSOCKETDATA, this);
  curl_easy_setopt(e, CURLOPT_PREREQFUNCTION, &Transfer::on_prerequest);
  curl_easy_setopt(e, CURLOPT_PREREQDATA, this);
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, m_headers_out.get());
  curl_easy_setopt(e, CURLOPT_USERAGENT, ua.c_str());
  // Redirects are followed here, hop by hop, so that each one is checked and recorded;
  // curl's own protocol lists stay as a second fence.
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ""); // everything this libcurl can decode
  curl_easy_setopt(e, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_2TLS));
  curl_easy_setopt(e, CURLOPT_PIPEWAIT, 1L); // prefer multiplexing over a new connection
  if (!m_limits.ca_file.empty()) {
    curl_easy_setopt(e, CURLOPT_CAINFO, m_limits.ca_file.c_str());
  }
  curl_easy_setopt(
      e, CURLOPT_CONNECTTIMEOUT_MS,
      to_ms(std::chrono::duration_cast<std::chrono::milliseconds>(m_limits.connect_timeout)));
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, to_ms(left));
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, m_limits.low_speed_bytes);
  curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, static_cast<long>(m_limits.low_speed_time.count()));
  return e;
}

std::size_t Transfer::on_header(char* data, std::size_t size, std::size_t n, void* user) noexcept {
  auto* self = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  try {
    const std::string_view line(data, len);
    if (line.starts_with("HTTP/")) {
      const auto sp = line.find(' ');
      long code = 0;
      if (sp != std::string_view::npos) {
        std::from_chars(line.data() + sp + 1, line.data() + line.size(), code);
      }
      self->m_status = code;
    }
    self->m_headers.add_line(line);
    if (is_success(self->m_status) && line.size() > 15 &&
        strncasecmp(line.data(), "content-length:", 15) == 0) {
      // Refuse early: no need to download what will be thrown away.
      std::uint64_t length = 0;
      const auto v = line.substr(15);
      const auto first = v.find_first_not_of(" \t");
      if (first != std::string_view::npos) {
        std::from_chars(v.data() + first, v.data() + v.size(), length);
      }
      if (length > self->m_limits.max_body_bytes) {
        self->m_too_large = true;
        return 0;
      }
      self->m_body.reserve(static_cast<std::size_t>(length));
    }
    return len;
  } catch (...) {
    return 0;
  }
}

std::size_t Transfer::on_write(char* data, std::size_t size, std::size_t n, void* user) noexcept {
  auto* self = static_cast<Transfer*>(user);
  const std::size_t len = size * n;
  if (!is_success(self->m_status)) {
    // Redirect and error bodies are drained, not kept; an endless one is cut at the cap
    // and the response still counts for its status.
    self->m_drained += len;
    if (self->m_drained > self->m_limits.max_body_bytes) {
      self->m_cut_drain = true;
      return 0;
    }
    return len;
  }
  // `data` is already decoded (gzip, br...), so the cap bounds what we hold in memory and
  // cuts a compression bomb at the cap instead of at its inflated size.
  if (self->m_body.size() + len > self->m_limits.max_body_bytes) {
    self->m_too_large = true;
    return 0;
  }
  try {
    self->m_body.append(data, len);
  } catch (...) {
    return 0;
  }
  return len;
}

bool Transfer::admit(const IpAddress& address) {
  const AddressClass cls =
      m_limits.classify_for_tests ? m_limits.classify_for_tests(address) : classify(address);
  if (m_result.redirects.empty()) {
    m_source_class = cls; // the configured URL: the user's choice
    return true;
  }
  // Unknown (the first hop never connected, e.g. a reused connection it did not report):
  // judged as public, the strictest.
  const AddressClass source = m_source_class.value_or(AddressClass::public_address);
  if (redirect_may_reach(source, cls, m_limits.allow_private_redirects)) {
    return true;
  }
  m_refused = "redirect refused: " + m_url + " leads to " + to_string(address) + " (" +
              to_string(cls) + ") from a " + to_string(source) +
              " source; [poll] allow_private_redirects = true allows it";
  return false;
}

curl_socket_t
Transfer::on_open_socket(void* user, curlsocktype purpose, curl_sockaddr* address) noexcept {
  auto* self = static_cast<Transfer*>(user);
  try {
    if (purpose == CURLSOCKTYPE_IPCXN && !self->m_result.redirects.empty()) {
      const auto ip = ip_of(&address->addr);
      if (ip && !self->admit(*ip)) {
        return CURL_SOCKET_BAD; // never connected: curl reports "couldn't connect"
      }
    }
  } catch (...) {
    return CURL_SOCKET_BAD;
  }
  return ::socket(address->family, address->socktype, address->protocol);
}

int Transfer::on_prerequest(void* user,
                            char* primary_ip,
                            char* /*local_ip*/,
                            int /*primary_port*/,
                            int /*local_port*/) noexcept {
  auto* self = static_cast<Transfer*>(user);
  try {
    const auto ip = primary_ip != nullptr ? parse_ip(primary_ip) : std::nullopt;
    if (ip && !self->admit(*ip)) {
      return CURL_PREREQFUNC_ABORT;
    }
    return CURL_PREREQFUNC_OK;
  } catch (...) {
    return CURL_PREREQFUNC_ABORT;
  }
}

bool Transfer::finish_hop(CURLcode code) {
  long status = 0;
  curl_easy_getinfo(m_easy.get(), CURLINFO_RESPONSE_CODE, &status);
  curl_off_t body_bytes = 0;
  long header_bytes = 0;
  curl_easy_getinfo(m_easy.get(), CURLINFO_SIZE_DOWNLOAD_T, &body_bytes);
  curl_easy_getinfo(m_easy.get(), CURLINFO_HEADER_SIZE, &header_bytes);
  m_wire_bytes += static_cast<std::uint64_t>(body_bytes) + static_cast<std::uint64_t>(header_bytes);
  if (!m_refused.empty()) {
    finalize(FetchOutcome::bad_redirect, m_refused);
    return false;
  }
  if (code == CURLE_WRITE_ERROR && m_cut_drain) {
    code = CURLE_OK;
  }
  if (code == CURLE_OK && is_redirect(status) && m_headers.get("location") != nullptr) {
    return follow(status);
  }
  build_result(code, status);
  return false;
}

bool Transfer::follow(long status) {
  const auto target = resolve_url(m_url, *m_headers.get("location"));
  if (!target) {
    finalize(FetchOutcome::bad_redirect, "unparsable Location: " + *m_headers.get("location"));
    return false;
  }
  m_result.redirects.push_back(Redirect{status, m_url, *target});
  const std::string scheme = url_scheme(*target);
  if (scheme != "http" && scheme != "https") {
    finalize(FetchOutcome::bad_redirect, "redirect to a refused scheme: " + *target);
    return false;
  }
  if (!m_visited.insert(*target).second) {
    finalize(FetchOutcome::bad_redirect, "redirect loop at " + *target);
    return false;
  }
  if (static_cast<int>(m_result.redirects.size()) > m_limits.max_redirects) {
    finalize(FetchOutcome::bad_redirect,
             "more than " + std::to_string(m_limits.max_redirects) + " redirects");
    return false;
  }
  m_url = *target;
  m_host = host_key(m_url);
  // An address written in the URL is refused before any connection is tried; a name is
  // judged by what it resolves to, when the hop connects.
  if (const auto ip = literal_host(m_url); ip && !admit(*ip)) {
    finalize(FetchOutcome::bad_redirect, m_refused);
    return false;
  }
  return true;
}

void Transfer::finalize(FetchOutcome outcome, std::string error) {
  m_result.outcome = outcome;
  m_result.error = std::move(error);
  m_result.body.clear();
  m_result.effective_url = m_url;
  m_result.bytes = m_wire_bytes;
  m_result.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - m_started);
}

void Transfer::build_result(CURLcode code, long status) {
  FetchResult& r = m_result;
  r.status = status;
  long version = CURL_HTTP_VERSION_NONE;
  curl_easy_getinfo(m_easy.get(), CURLINFO_HTTP_VERSION, &version);
  r.http_version = http_version_number(version);
  const Timestamp now = m_clock.now();
  const std::string* date = m_headers.get("date");
  if (const std::string* ra = m_headers.get("retry-after")) {
    r.retry_after = parse_retry_after(*ra, date, now);
  }
  if (m_too_large || code == CURLE_FILESIZE_EXCEEDED) {
    finalize(FetchOutcome::too_large,
             "body larger than " + std::to_string(m_limits.max_body_bytes) + " bytes");
    return;
  }
  if (code != CURLE_OK) {
    finalize(FetchOutcome::network_error,
             m_errbuf[0] != '\0' ? std::string(m_errbuf) : std::string(curl_easy_strerror(code)));
    return;
  }
  if (status == 304 || is_success(status)) {
    if (const std::string* etag = m_headers.get("etag")) {
      r.validators.etag = *etag;
    }
    if (const std::string* lm = m_headers.get("last-modified")) {
      r.validators.last_modified = *lm;
    }
    r.max_age =
        parse_freshness(m_headers.get("cache-control"), m_headers.get("expires"), date, now);
  }
  if (status == 304) {
    // A 304 need not repeat the validators; the ones we sent are still current.
    if (r.validators.etag.empty()) {
      r.validators.etag = m_request.validators.etag;
    }
    if (r.validators.last_modified.empty()) {
      r.validators.last_modified = m_request.validators.last_modified;
    }
    finalize(FetchOutcome::not_modified, {});
    return;
  }
  if (!is_success(status)) {
    finalize(FetchOutcome::http_error, "HTTP " + std::to_string(status));
    return;
  }
  const char* ct = nullptr;
  curl_easy_getinfo(m_easy.get(), CURLINFO_CONTENT_TYPE, &ct);
  r.content_type = ct != nullptr ? ct : "";
  finalize(FetchOutcome::ok, {});
  r.body = std::move(m_body);
}

} // namespace reelfeed::fetch
