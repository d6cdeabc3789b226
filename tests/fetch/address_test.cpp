// Address classes and the redirect rule, on every spelling of an address that libcurl
// connects to (its URL parser reads 0x7f000001, 2130706433 and 0177.1 as 127.0.0.1).

#include "fetch/address.hpp"

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace reelfeed::fetch {
namespace {

using C = AddressClass;

C class_of_url_host(const std::string& host) {
  const auto ip = literal_host("http://" + host + ":8080/feed");
  EXPECT_TRUE(ip.has_value()) << host;
  return ip ? classify(*ip) : C::public_address;
}

TEST(Address, EverySpellingOfAnInternalAddressIsClassifiedByWhereItLeads) {
  const std::vector<std::pair<std::string, C>> cases = {
      {"127.0.0.1", C::loopback},
      {"0x7f000001", C::loopback},
      {"2130706433", C::loopback},
      {"0177.0.0.1", C::loopback},
      {"017700000001", C::loopback},
      {"127.1", C::loopback},
      {"0x7f.1", C::loopback},
      {"127.0.0.1.", C::loopback}, // a trailing dot resolves the same
      {"127.255.3.4", C::loopback},
      {"[::1]", C::loopback},
      {"[0:0:0:0:0:0:0:1]", C::loopback},
      {"[::ffff:127.0.0.1]", C::loopback},
      {"[::ffff:7f00:1]", C::loopback},
      {"[::127.0.0.1]", C::loopback},     // IPv4-compatible (deprecated)
      {"[64:ff9b::7f00:1]", C::loopback}, // NAT64
      {"[2002:7f00:1::]", C::loopback},   // 6to4
      {"10.0.0.1", C::private_network},
      {"0x0a000001", C::private_network},
      {"167772161", C::private_network},
      {"172.16.0.1", C::private_network},
      {"172.31.255.255", C::private_network},
      {"192.168.1.1", C::private_network},
      {"100.64.0.1", C::private_network},
      {"[::ffff:10.0.0.1]", C::private_network},
      {"[fd00::1]", C::private_network},
      {"[fc00::1]", C::private_network},
      {"[fec0::1]", C::private_network},
      {"169.254.169.254", C::link_local},
      {"0xa9fea9fe", C::link_local},
      {"2852039166", C::link_local},
      {"[::ffff:169.254.169.254]", C::link_local},
      {"[fe80::1]", C::link_local},
      {"[fe80::1%25eth0]", C::link_local},
      {"0.0.0.0", C::unspecified},
      {"0", C::unspecified},
      {"0.1.2.3", C::unspecified},
      {"[::]", C::unspecified},
      {"[::ffff:0.0.0.0]", C::unspecified},
      {"224.0.0.1", C::reserved},
      {"255.255.255.255", C::reserved},
      {"192.0.2.1", C::reserved},
      {"[ff02::1]", C::reserved},
      {"[2001:db8::1]", C::reserved},
      {"8.8.8.8", C::public_address},
      {"172.32.0.1", C::public_address},
      {"100.128.0.1", C::public_address},
      {"93.184.216.34", C::public_address},
      {"[2606:4700:4700::1111]", C::public_address},
      {"[::ffff:8.8.8.8]", C::public_address},
      {"[64:ff9b::808:808]", C::public_address},
      {"[2002:808:808::1]", C::public_address},
  };
  for (const auto& [host, expected] : cases) {
    EXPECT_EQ(class_of_url_host(host), expected)
        << host << " is " << to_string(class_of_url_host(host)) << ", expected "
        << to_string(expected);
  }
}

TEST(Address, NamesAreLeftToTheConnectedAddressCheck) {
  EXPECT_FALSE(literal_host("http://localhost:8080/").has_value());
  EXPECT_FALSE(literal_host("http://feeds.example.org/rss").has_value());
  EXPECT_FALSE(literal_host("http://127.0.0.1.nip.io/").has_value());
  EXPECT_FALSE(literal_host("not a url").has_value());
}

TEST(Address, ParsesAndPrintsSocketForms) {
  const auto v4 = parse_ip("169.254.169.254");
  ASSERT_TRUE(v4.has_value());
  EXPECT_FALSE(v4->v6);
  EXPECT_EQ(to_string(*v4), "169.254.169.254");
  const auto v6 = parse_ip("[::ffff:127.0.0.1]");
  ASSERT_TRUE(v6.has_value());
  EXPECT_TRUE(v6->v6);
  EXPECT_EQ(classify(*v6), C::loopback);
  EXPECT_FALSE(parse_ip("0x7f000001").has_value()); // inet_pton's forms only
  EXPECT_FALSE(parse_ip("localhost").has_value());
}

TEST(Address, ARedirectMayReachPublicAddressesOrTheSourcesOwnClass) {
  const C all[] = {C::public_address, C::private_network, C::link_local,
                   C::loopback,       C::unspecified,     C::reserved};
  for (const C source : all) {
    for (const C target : all) {
      const bool expected = target == C::public_address || target == source;
      EXPECT_EQ(redirect_may_reach(source, target, false), expected)
          << to_string(source) << " -> " << to_string(target);
      EXPECT_TRUE(redirect_may_reach(source, target, true));
    }
  }
}

} // namespace
} // namespace reelfeed::fetch
