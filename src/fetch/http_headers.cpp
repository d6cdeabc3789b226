#include "fetch/http_headers.hpp"
#include "util/ascii.hpp"
#include "util/trim.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include <curl/curl.h>

namespace reelfeed::fetch {

namespace {

std::optional<long long> parse_delta(std::string_view s) {
  s = util::trim_ascii_whitespace(s);
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size() || v < 0) {
    return std::nullopt;
  }
  return v;
}

Timestamp reference_time(const std::string* date_header, Timestamp now) {
  if (date_header != nullptr) {
    if (const auto d = parse_http_date(*date_header)) {
      return *d;
    }
  }
  return now;
}

} // namespace

void ResponseHeaders::add_line(std::string_view line) {
  line = util::trim_ascii_whitespace(line);
  if (line.starts_with("HTTP/")) {
    m_fields.clear(); // a new response (after 1xx) starts
    return;
  }
  const auto colon = line.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return;
  }
  m_fields.emplace_back(util::ascii_lower(util::trim_ascii_whitespace(line.substr(0, colon))),
                        std::string(util::trim_ascii_whitespace(line.substr(colon + 1))));
}

const std::string* ResponseHeaders::get(std::string_view lower_name) const {
  // The last occurrence wins, as for a repeated single-valued field.
  for (auto it = m_fields.rbegin(); it != m_fields.rend(); ++it) {
    if (it->first == lower_name) {
      return &it->second;
    }
  }
  return nullptr;
}

std::optional<Timestamp> parse_http_date(std::string_view value) {
  // curl_getdate understands all three HTTP-date forms (and is already linked).
  const std::string s(util::trim_ascii_whitespace(value));
  if (s.empty()) {
    return std::nullopt;
  }
  const time_t t = curl_getdate(s.c_str(), nullptr);
  if (t == -1) {
    return std::nullopt;
  }
  return Timestamp{Seconds{static_cast<long long>(t)}};
}

std::optional<Seconds>
parse_retry_after(std::string_view value, const std::string* date_header, Timestamp now) {
  if (const auto delta = parse_delta(value)) {
    return Seconds{*delta};
  }
  const auto when = parse_http_date(value);
  if (!when) {
    return std::nullopt;
  }
  return std::max(Seconds{0}, *when - reference_time(date_header, now));
}

std::optional<Seconds> parse_freshness(const std::string* cache_control,
                                       const std::string* expires,
                                       const std::string* date_header,
                                       Timestamp now) {
  if (cache_control != nullptr) {
    const std::string cc = util::ascii_lower(*cache_control);
    std::string_view rest = cc;
    while (!rest.empty()) {
      const auto comma = rest.find(',');
      const std::string_view directive = util::trim_ascii_whitespace(rest.substr(0, comma));
      rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
      if (directive == "no-cache" || directive == "no-store") {
        return Seconds{0};
      }
      if (directive.starts_with("max-age=")) {
        std::string_view v = directive.substr(8);
        if (v.size() >= 2 && v.front() == '"' && v.back() == '"') {
          v = v.substr(1, v.size() - 2);
        }
        if (const auto delta = parse_delta(v)) {
          return Seconds{*delta};
        }
      }
    }
  }
  if (expires != nullptr) {
    // An invalid Expires ("0", "-1") means "already expired" (RFC 9111 5.3).
    const auto when = parse_http_date(*expires);
    if (!when) {
      return Seconds{0};
    }
    return std::max(Seconds{0}, *when - reference_time(date_header, now));
  }
  return std::nullopt;
}

} // namespace reelfeed::fetch
