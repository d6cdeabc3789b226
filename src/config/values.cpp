#include "config/values.hpp"

#include <arpa/inet.h>
#include <iconv.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>
#include <vector>

#include "config/load.hpp"
#include "util/ascii.hpp"

namespace reelfeed::config {

std::string Error::str() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

std::optional<Seconds> parse_duration(std::string_view s) {
  // Compound forms ("1h30m") are accepted because users write them; every part needs a unit
  // so that a bare "30" (minutes? seconds?) is never guessed.
  if (s.empty()) {
    return std::nullopt;
  }
  constexpr std::int64_t k_max = std::int64_t{1} << 40; // ~35000 years: far beyond any use
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    std::int64_t value = 0;
    const auto* begin = s.data() + i;
    const auto [ptr, ec] = std::from_chars(begin, s.data() + s.size(), value);
    if (ec != std::errc{} || ptr == begin || value < 0 || value > k_max) {
      return std::nullopt;
    }
    i = static_cast<std::size_t>(ptr - s.data());
    if (i >= s.size()) {
      return std::nullopt;
    }
    std::int64_t unit = 0;
    switch (s[i]) {
    case 's':
      unit = 1;
      break;
    case 'm':
      unit = 60;
      break;
    case 'h':
      unit = 3600;
      break;
    case 'd':
      unit = 86400;
      break;
    case 'w':
      unit = std::int64_t{7} * 86400;
      break;
    default:
      return std::nullopt;
    }
    ++i;
    total += value * unit;
    if (total > k_max) {
      return std::nullopt;
    }
  }
  return Seconds{total};
}

namespace detail {

namespace {

bool parse_port(std::string_view s, std::uint16_t& port) {
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size() || value > 65535) {
    return false;
  }
  port = static_cast<std::uint16_t>(value);
  return true;
}

bool is_ipv4(const std::string& s) {
  in_addr a{};
  return inet_pton(AF_INET, s.c_str(), &a) == 1;
}

bool is_ipv6(const std::string& s) {
  in6_addr a{};
  return inet_pton(AF_INET6, s.c_str(), &a) == 1;
}

// Percent-encodes what would change the meaning of a file URL; keeps '/' and the usual
// path characters so the URL stays readable in logs.
std::string encode_path(const std::string& path) {
  static constexpr std::string_view k_hex = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : path) {
    if (std::isalnum(c) != 0 || std::string_view("/-._~!$&'()*+,;=:@").find(static_cast<char>(c)) !=
                                    std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += k_hex[c >> 4];
      out += k_hex[c & 15];
    }
  }
  return out;
}

// Checks "scheme://host[:port][/...]" with a non-empty host; the fetcher does the rest.
util::Checked has_valid_authority(std::string_view rest) {
  const auto end = rest.find_first_of("/?#");
  const auto authority = rest.substr(0, end);
  const auto at = authority.rfind('@');
  const auto hostport = at == std::string_view::npos ? authority : authority.substr(at + 1);
  if (hostport.empty() || hostport.front() == ':') {
    return util::Failure{"URL has no host"};
  }
  return std::monostate{};
}

} // namespace

std::optional<std::uint64_t> parse_size(std::string_view s) {
  std::uint64_t value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || ptr == s.data()) {
    return std::nullopt;
  }
  auto unit = util::ascii_lower(s.substr(static_cast<std::size_t>(ptr - s.data())));
  if (!unit.empty() && unit.front() == ' ') {
    unit.erase(0, 1);
  }
  static constexpr std::array<std::pair<std::string_view, unsigned>, 11> k_units{{
      {"", 0},
      {"b", 0},
      {"k", 10},
      {"kb", 10},
      {"kib", 10},
      {"m", 20},
      {"mb", 20},
      {"mib", 20},
      {"g", 30},
      {"gb", 30},
      {"gib", 30},
  }};
  for (const auto& [name, shift] : k_units) {
    if (unit == name) {
      if (value == 0 || value > (std::numeric_limits<std::uint64_t>::max() >> shift)) {
        return std::nullopt;
      }
      return value << shift;
    }
  }
  return std::nullopt;
}

util::Result<Listen> parse_listen(std::string_view s) {
  Listen out;
  std::string_view port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos || close + 1 >= s.size() || s[close + 1] != ':') {
      return util::Failure{"must be \"host:port\" or \"[IPv6]:port\", got \"" + std::string(s) +
                           "\""};
    }
    out.host = std::string(s.substr(1, close - 1));
    port = s.substr(close + 2);
    if (!is_ipv6(out.host)) {
      return util::Failure{"\"" + out.host + "\" is not an IPv6 address"};
    }
  } else {
    const auto colon = s.rfind(':');
    if (colon == std::string_view::npos || s.find(':') != colon) {
      return util::Failure{"must be \"host:port\" (IPv6 as \"[::1]:8080\"), got \"" +
                           std::string(s) + "\""};
    }
    out.host = std::string(s.substr(0, colon));
    port = s.substr(colon + 1);
    if (out.host == "localhost") {
      out.host = "127.0.0.1";
    } else if (!is_ipv4(out.host)) {
      return util::Failure{"host \"" + out.host +
                           "\" must be an IPv4 address, [IPv6] or localhost"};
    }
  }
  if (!parse_port(port, out.port)) {
    return util::Failure{"port \"" + std::string(port) + "\" must be a number from 0 to 65535"};
  }
  return out;
}

bool is_loopback(std::string_view host) {
  const std::string h(host);
  if (h == "localhost") {
    return true;
  }
  in_addr v4{};
  if (inet_pton(AF_INET, h.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, h.c_str(), &v6) == 1) {
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
      return v6.s6_addr[12] == 127;
    }
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

util::Result<std::string> resolve_source_url(std::string_view url,
                                             const std::filesystem::path& base_dir) {
  if (url.empty()) {
    return util::Failure{"url is empty"};
  }
  if (url.find_first_of(" \t\r\n") != std::string_view::npos) {
    return util::Failure{"URL contains whitespace (percent-encode it as %20)"};
  }
  const auto colon = url.find(':');
  const auto scheme = util::ascii_lower(url.substr(0, colon == std::string_view::npos ? 0 : colon));
  const auto rest = url.substr(colon + 1);
  if (scheme == "http" || scheme == "https") {
    if (rest.substr(0, 2) != "//") {
      return util::Failure{"URL must start with " + scheme + "://"};
    }
    if (auto authority = has_valid_authority(rest.substr(2)); !authority) {
      return util::Failure{authority.error()};
    }
    return scheme + ":" + std::string(rest);
  }
  if (scheme != "file") {
    return util::Failure{"URL scheme must be http, https or file: \"" + std::string(url) + "\""};
  }
  // file:///abs, file://localhost/abs, file:/abs and file:relative (against the config).
  std::string_view path = rest;
  if (path.substr(0, 2) == "//") {
    path.remove_prefix(2);
    const auto slash = path.find('/');
    const auto host = util::ascii_lower(path.substr(0, slash));
    if (slash == std::string_view::npos || (!host.empty() && host != "localhost")) {
      return util::Failure{"file URL must be file:///absolute/path or file:relative/path"};
    }
    path.remove_prefix(slash);
    return "file://" + std::string(path);
  }
  if (path.empty()) {
    return util::Failure{"file URL has no path"};
  }
  std::filesystem::path p{std::string(path)};
  if (p.is_relative()) {
    p = base_dir / p;
  }
  return "file://" + encode_path(p.lexically_normal().string());
}

util::Result<std::string> check_base_url(std::string_view url) {
  std::string scheme = util::ascii_lower(url.substr(0, url.find(':')));
  if ((scheme != "http" && scheme != "https") || url.substr(scheme.size(), 3) != "://") {
    return util::Failure{"must be an http:// or https:// URL"};
  }
  if (auto authority = has_valid_authority(url.substr(scheme.size() + 3)); !authority) {
    return util::Failure{authority.error()};
  }
  std::string out(url);
  while (!out.empty() && out.back() == '/') {
    out.pop_back();
  }
  return out;
}

std::string_view suggest(std::string_view key, std::span<const std::string_view> known) {
  const auto k = util::ascii_lower(key);
  std::string_view best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (const auto candidate : known) {
    // Edit distance where swapping two neighbours is one edit, like a missing or an extra
    // letter ("tgas", "nmae" are typing slips too): three rows.
    std::vector<std::size_t> before(candidate.size() + 1);
    std::vector<std::size_t> prev(candidate.size() + 1);
    std::vector<std::size_t> cur(candidate.size() + 1);
    for (std::size_t j = 0; j <= candidate.size(); ++j) {
      prev[j] = j;
    }
    for (std::size_t i = 1; i <= k.size(); ++i) {
      cur[0] = i;
      for (std::size_t j = 1; j <= candidate.size(); ++j) {
        const std::size_t cost = k[i - 1] == candidate[j - 1] ? 0 : 1;
        cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
        if (i > 1 && j > 1 && k[i - 1] == candidate[j - 2] && k[i - 2] == candidate[j - 1]) {
          cur[j] = std::min(cur[j], before[j - 2] + 1);
        }
      }
      std::swap(before, prev);
      std::swap(prev, cur);
    }
    if (prev[candidate.size()] < best_distance) {
      best_distance = prev[candidate.size()];
      best = candidate;
    }
  }
  // A third of the key's length is a typo; more is a different word.
  const std::size_t limit = std::max<std::size_t>(1, std::min(k.size(), best.size()) / 3);
  return best_distance <= limit ? best : std::string_view{};
}

util::Result<int> parse_utc_offset(std::string_view s) {
  if (s == "UTC" || s == "utc" || s == "Z" || s == "z" || s == "GMT") {
    return 0;
  }
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  int hours = -1, minutes = 0;
  if (s.size() >= 2 && (s[0] == '+' || s[0] == '-')) {
    const std::string_view rest = s.substr(1);
    if (rest.size() <= 2 && std::all_of(rest.begin(), rest.end(), digit)) { // "+9", "+09"
      hours = rest.size() == 1 ? rest[0] - '0' : (rest[0] - '0') * 10 + (rest[1] - '0');
    } else if ((rest.size() == 5 && rest[2] == ':' && digit(rest[0]) && digit(rest[1]) &&
                digit(rest[3]) && digit(rest[4])) ||
               (rest.size() == 4 && std::all_of(rest.begin(), rest.end(), digit))) {
      hours = (rest[0] - '0') * 10 + (rest[1] - '0');
      minutes = (rest[rest.size() - 2] - '0') * 10 + (rest.back() - '0');
    }
  }
  if (hours < 0 || hours > 14 || minutes > 59) {
    return util::Failure{
        "\"" + std::string(s) +
        "\" is not an offset from UTC: write it like \"+09:00\", \"-05:30\" or \"UTC\" "
        "(zone names such as \"Asia/Tokyo\" are not read: an offset has no daylight saving)"};
  }
  return (s[0] == '-' ? -1 : 1) * (hours * 60 + minutes);
}

util::Checked check_encoding(std::string_view name) {
  // The parser converts with iconv: a name it cannot open would only fail at the first poll.
  const iconv_t cd = ::iconv_open("UTF-8", std::string(name).c_str());
  // NOLINTNEXTLINE(performance-no-int-to-ptr): (iconv_t)-1 is iconv_open's failure value
  if (cd == reinterpret_cast<iconv_t>(-1)) {
    return util::Failure{
        "unknown encoding \"" + std::string(name) +
        "\" (a character set name such as \"windows-1252\", \"ISO-8859-1\", \"Shift_JIS\")"};
  }
  ::iconv_close(cd);
  return std::monostate{};
}

} // namespace detail
} // namespace reelfeed::config
