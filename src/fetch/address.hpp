#pragma once
// Which kind of network an IP address belongs to, and the redirect rule built on it: a
// feed on the public internet must not be able to send reelfeed, through a redirect, to
// this machine, the LAN or a cloud metadata service (server-side request forgery).
//
// The rule is checked on the address a hop actually connects to (see transfer.cpp), so
// every spelling of an address (0x7f000001, 2130706433, 0177.1, [::ffff:127.0.0.1]) and
// every DNS name that resolves to an internal address is judged by where it leads.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

struct sockaddr;

namespace reelfeed::fetch {

enum class AddressClass {
  public_address,  ///< anything not below: the internet
  private_network, ///< 10/8, 172.16/12, 192.168/16, 100.64/10 (carrier NAT), fc00::/7, fec0::/10
  link_local,      ///< 169.254/16 (cloud metadata services live here), fe80::/10
  loopback,        ///< 127/8, ::1
  unspecified,     ///< 0/8, :: (connecting to them reaches this machine)
  reserved,        ///< multicast, documentation, benchmarking and future-use ranges
};

/// "public", "private", "link-local", "loopback", "unspecified", "reserved".
[[nodiscard]] const char* to_string(AddressClass c);

/// An IPv4 or IPv6 address in network byte order (IPv4 in the first 4 bytes).
struct IpAddress {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};
};

/// Parses the numeric forms inet_pton accepts: dotted-quad IPv4, RFC 4291 IPv6 (brackets
/// and a zone suffix "%eth0" are allowed). nullopt for anything else, names included.
[[nodiscard]] std::optional<IpAddress> parse_ip(std::string_view text);
/// The address of an AF_INET or AF_INET6 socket address; nullopt for other families.
[[nodiscard]] std::optional<IpAddress> ip_of(const sockaddr* address);
[[nodiscard]] std::string to_string(const IpAddress& address);

/// The class of an address. IPv6 forms that carry an IPv4 address (mapped ::ffff:0:0/96,
/// compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16) get the class of that address.
[[nodiscard]] AddressClass classify(const IpAddress& address);

/// The class of the host of `url` when the host is an IP address in any form libcurl
/// accepts (its URL parser normalises 0x7f000001, 2130706433 or 0177.0.0.1 to 127.0.0.1);
/// nullopt when the host is a name or the URL does not parse.
[[nodiscard]] std::optional<IpAddress> literal_host(const std::string& url);

/// The redirect rule: may a hop reached through a redirect connect to an address of class
/// `target`, when the source's own address (its configured URL's, first hop) was of class
/// `source`? A public address always; any other only when it is of the source's own class
/// (a LAN feed may redirect within the LAN, a local service to itself), or when
/// `allow_private` ([poll] allow_private_redirects) says so.
[[nodiscard]] bool redirect_may_reach(AddressClass source, AddressClass target, bool allow_private);

} // namespace reelfeed::fetch
