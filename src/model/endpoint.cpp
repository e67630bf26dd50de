#include "model/endpoint.h"

#include <arpa/inet.h>

#include <cstring>

namespace iotrace {

bool is_v6_address(const uint8_t addr[16]) {
    for (int i = 4; i < 16; ++i)
        if (addr[i]) return true;
    return false;
}

std::string format_endpoint(const uint8_t addr[16], uint16_t port, bool v6) {
    char buf[INET6_ADDRSTRLEN] = {};
    static const uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (v6 && std::memcmp(addr, kMapped, sizeof(kMapped)) == 0) {
        inet_ntop(AF_INET, addr + 12, buf, sizeof(buf));
        return std::string(buf) + ":" + std::to_string(port);
    }
    if (v6) {
        inet_ntop(AF_INET6, addr, buf, sizeof(buf));
        return "[" + std::string(buf) + "]:" + std::to_string(port);
    }
    inet_ntop(AF_INET, addr, buf, sizeof(buf));
    return std::string(buf) + ":" + std::to_string(port);
}

}  // namespace iotrace
