#include "fetch/address.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>
#include <memory>

#include <curl/curl.h>

namespace reelfeed::fetch {

namespace {

using Class = AddressClass;

/// Is `a` inside prefix/bits (both IPv4 as host-order integers)?
bool in_v4(std::uint32_t a, std::uint32_t prefix, int bits) {
  const std::uint32_t mask = bits == 0 ? 0 : ~std::uint32_t{0} << (32 - bits);
  return (a & mask) == (prefix & mask);
}

constexpr std::uint32_t v4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24) | (b << 16) | (c << 8) | d;
}

Class classify_v4(std::uint32_t a) {
  struct Range {
    std::uint32_t prefix;
    int bits;
    Class cls;
  };
  // IANA's special-purpose registry, reduced to what matters for where a connection goes.
  static constexpr Range k_ranges[] = {
      {v4(0, 0, 0, 0), 8, Class::unspecified},          // "this network": 0.0.0.0 is this host
      {v4(10, 0, 0, 0), 8, Class::private_network},     //
      {v4(100, 64, 0, 0), 10, Class::private_network},  // carrier-grade NAT
      {v4(127, 0, 0, 0), 8, Class::loopback},           //
      {v4(169, 254, 0, 0), 16, Class::link_local},      // 169.254.169.254: cloud metadata
      {v4(172, 16, 0, 0), 12, Class::private_network},  //
      {v4(192, 0, 0, 0), 24, Class::reserved},          // IETF protocol assignments
      {v4(192, 0, 2, 0), 24, Class::reserved},          // documentation
      {v4(192, 88, 99, 0), 24, Class::reserved},        // 6to4 relay anycast (deprecated)
      {v4(192, 168, 0, 0), 16, Class::private_network}, //
      {v4(198, 18, 0, 0), 15, Class::reserved},         // benchmarking
      {v4(198, 51, 100, 0), 24, Class::reserved},       // documentation
      {v4(203, 0, 113, 0), 24, Class::reserved},        // documentation
      {v4(224, 0, 0, 0), 4, Class::reserved},           // multicast
      {v4(240, 0, 0, 0), 4, Class::reserved},           // future use, broadcast
  };
  for (const Range& r : k_ranges) {
    if (in_v4(a, r.prefix, r.bits)) {
      return r.cls;
    }
  }
  return Class::public_address;
}

std::uint32_t v4_at(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

bool zeros(const std::uint8_t* p, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    if (p[i] != 0) {
      return false;
    }
  }
  return true;
}

Class classify_v6(const std::array<std::uint8_t, 16>& b) {
  const std::uint8_t* p = b.data();
  if (zeros(p, 15)) {
    return p[15] == 0 ? Class::unspecified : p[15] == 1 ? Class::loopback : Class::reserved;
  }
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated but still routed by
  // some stacks): the IPv4 address is where the connection goes.
  if (zeros(p, 10) && ((p[10] == 0xff && p[11] == 0xff) || (p[10] == 0 && p[11] == 0))) {
    return classify_v4(v4_at(p + 12));
  }
  // NAT64's well-known prefix 64:ff9b::/96 translates to the embedded IPv4 address; its
  // local-use prefix 64:ff9b:1::/48 is a site's own.
  static constexpr std::uint8_t k_nat64[12] = {0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
  if (std::memcmp(p, k_nat64, 12) == 0) {
    return classify_v4(v4_at(p + 12));
  }
  if (p[0] == 0x00 && p[1] == 0x64 && p[2] == 0xff && p[3] == 0x9b && p[4] == 0x00 &&
      p[5] == 0x01) {
    return Class::private_network;
  }
  if (p[0] == 0x20 && p[1] == 0x02) { // 6to4: 2002:AABB:CCDD::/48 carries AA.BB.CC.DD
    return classify_v4(v4_at(p + 2));
  }
  if (p[0] == 0xfe && (p[1] & 0xc0) == 0x80) {
    return Class::link_local; // fe80::/10
  }
  if (p[0] == 0xfe && (p[1] & 0xc0) == 0xc0) {
    return Class::private_network; // fec0::/10, site-local (deprecated)
  }
  if ((p[0] & 0xfe) == 0xfc) {
    return Class::private_network; // fc00::/7, unique local
  }
  if (p[0] == 0xff) {
    return Class::reserved; // multicast
  }
  if (p[0] == 0x20 && p[1] == 0x01 && p[2] == 0x0d && p[3] == 0xb8) {
    return Class::reserved; // 2001:db8::/32, documentation
  }
  if (p[0] == 0x01 && zeros(p + 1, 7)) {
    return Class::reserved; // 100::/64, discard-only
  }
  return Class::public_address;
}

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

} // namespace

const char* to_string(AddressClass c) {
  switch (c) {
  case Class::public_address:
    return "public";
  case Class::private_network:
    return "private";
  case Class::link_local:
    return "link-local";
  case Class::loopback:
    return "loopback";
  case Class::unspecified:
    return "unspecified";
  case Class::reserved:
    return "reserved";
  }
  return "reserved";
}

std::optional<IpAddress> parse_ip(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (const auto zone = text.find('%'); zone != std::string_view::npos) {
    text = text.substr(0, zone);
  }
  const std::string s(text);
  IpAddress out;
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) {
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) {
    out.v6 = true;
    return out;
  }
  return std::nullopt;
}

std::optional<IpAddress> ip_of(const sockaddr* address) {
  if (address == nullptr) {
    return std::nullopt;
  }
  IpAddress out;
  if (address->sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, address, sizeof in);
    std::memcpy(out.bytes.data(), &in.sin_addr, 4);
    return out;
  }
  if (address->sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, address, sizeof in6);
    std::memcpy(out.bytes.data(), &in6.sin6_addr, 16);
    out.v6 = true;
    return out;
  }
  return std::nullopt;
}

std::string to_string(const IpAddress& address) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(address.v6 ? AF_INET6 : AF_INET, address.bytes.data(), buf, sizeof buf) ==
      nullptr) {
    return "?";
  }
  return buf;
}

AddressClass classify(const IpAddress& address) {
  return address.v6 ? classify_v6(address.bytes) : classify_v4(v4_at(address.bytes.data()));
}

std::optional<IpAddress> literal_host(const std::string& url) {
  const std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u ||
      curl_url_set(u.get(), CURLUPART_URL, url.c_str(), CURLU_NON_SUPPORT_SCHEME) != CURLUE_OK) {
    return std::nullopt;
  }
  char* host = nullptr;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) != CURLUE_OK || host == nullptr) {
    return std::nullopt;
  }
  std::string_view h(host);
  if (!h.empty() && h.back() == '.') {
    h.remove_suffix(1); // "127.0.0.1." resolves like "127.0.0.1"
  }
  auto ip = parse_ip(h);
  curl_free(host);
  return ip;
}

bool redirect_may_reach(AddressClass source, AddressClass target, bool allow_private) {
  return allow_private || target == Class::public_address || target == source;
}

} // namespace reelfeed::fetch
