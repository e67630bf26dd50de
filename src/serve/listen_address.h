// --listen ADDR:PORT: where `iotrace serve` accepts scrapes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace iotrace {

// The default: loopback only, since the metrics name processes; a fleet
// opts in with --listen 0.0.0.0:19435.
constexpr std::string_view kDefaultListen = "127.0.0.1:19435";

struct ListenAddress {
    std::string host;  // "127.0.0.1", "0.0.0.0", "::1", "localhost" (brackets removed)
    uint16_t port = 0; // 0: any free port (tests)
    std::string text() const;  // back as given: "127.0.0.1:19435", "[::1]:19435"
};

// "HOST:PORT" or "[IPV6]:PORT"; nullopt when malformed (no port, a port
// above 65535, an IPv6 address without brackets, an empty host).
std::optional<ListenAddress> parse_listen_address(std::string_view s);

}  // namespace iotrace
