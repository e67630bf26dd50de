// Printable socket endpoints from the raw bytes the kernel side copies out
// of struct sock (network byte order addresses, host byte order ports).
#pragma once

#include <cstdint>
#include <string>

namespace iotrace {

// "127.0.0.1:8080", "[::1]:80"; a v4-mapped v6 address prints as IPv4.
std::string format_endpoint(const uint8_t addr[16], uint16_t port, bool v6);
// True if the 16 bytes are not an IPv4 address stored in the first 4.
bool is_v6_address(const uint8_t addr[16]);

}  // namespace iotrace
