// Printable socket endpoints from the raw address bytes.
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <array>

#include "model/endpoint.h"

namespace iotrace {
namespace {

std::array<uint8_t, 16> v4(const char* addr) {
    std::array<uint8_t, 16> a{};
    EXPECT_EQ(inet_pton(AF_INET, addr, a.data()), 1) << addr;
    return a;
}

std::array<uint8_t, 16> v6(const char* addr) {
    std::array<uint8_t, 16> a{};
    EXPECT_EQ(inet_pton(AF_INET6, addr, a.data()), 1) << addr;
    return a;
}

TEST(Endpoint, Ipv4) {
    EXPECT_EQ(format_endpoint(v4("127.0.0.1").data(), 8080, false), "127.0.0.1:8080");
    EXPECT_EQ(format_endpoint(v4("0.0.0.0").data(), 0, false), "0.0.0.0:0");
    EXPECT_EQ(format_endpoint(v4("255.255.255.255").data(), 65535, false), "255.255.255.255:65535");
    // Network byte order in, dotted in that order out.
    EXPECT_EQ(format_endpoint(v4("10.20.30.40").data(), 1, false), "10.20.30.40:1");
}

TEST(Endpoint, Ipv6InBrackets) {
    EXPECT_EQ(format_endpoint(v6("::1").data(), 80, true), "[::1]:80");
    EXPECT_EQ(format_endpoint(v6("::").data(), 443, true), "[::]:443");
    EXPECT_EQ(format_endpoint(v6("2001:db8::8a2e:370:7334").data(), 65535, true),
              "[2001:db8::8a2e:370:7334]:65535");
    EXPECT_EQ(format_endpoint(v6("fe80::1").data(), 546, true), "[fe80::1]:546");
    // The longest text form fits (INET6_ADDRSTRLEN).
    EXPECT_EQ(format_endpoint(v6("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff").data(), 12345, true),
              "[ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff]:12345");
}

TEST(Endpoint, V4MappedPrintsAsIpv4) {
    EXPECT_EQ(format_endpoint(v6("::ffff:127.0.0.1").data(), 8080, true), "127.0.0.1:8080");
    EXPECT_EQ(format_endpoint(v6("::ffff:0.0.0.0").data(), 7, true), "0.0.0.0:7");
    // Not mapped: ::ffff:0:0 differs from the ::ffff:a.b.c.d prefix elsewhere.
    EXPECT_EQ(format_endpoint(v6("1::ffff:1.2.3.4").data(), 9, true), "[1::ffff:102:304]:9");
}

TEST(Endpoint, IsV6Address) {
    EXPECT_FALSE(is_v6_address(v4("127.0.0.1").data()));
    EXPECT_FALSE(is_v6_address(v4("0.0.0.0").data()));
    EXPECT_TRUE(is_v6_address(v6("::1").data()));
    EXPECT_TRUE(is_v6_address(v6("::ffff:127.0.0.1").data()));
    EXPECT_TRUE(is_v6_address(v6("fe80::1").data()));
    // Only the bytes past the first 4 tell: an IPv6 address whose last 12
    // bytes are zero cannot be told from IPv4 (why tcp6 is a kind of its own).
    EXPECT_FALSE(is_v6_address(v6("2001:db8::").data()));
    EXPECT_FALSE(is_v6_address(v6("::").data()));
}

}  // namespace
}  // namespace iotrace
