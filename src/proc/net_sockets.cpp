#include "proc/net_sockets.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <utility>
#include <vector>

#include "proc/proc_file.h"
#include "proc/text_scan.h"

namespace iotrace {
namespace {

// One %08X word of an address back to the bytes it was printed from: the
// kernel printed a network-order word as a host integer, so copying the
// integer into memory restores the network-order bytes.
bool decode_word(std::string_view hex8, unsigned char* out) {
    auto word = parse_number<uint32_t>(hex8, 16);
    if (hex8.size() != 8 || !word) return false;
    std::memcpy(out, &*word, 4);
    return true;
}

struct Endpoint {
    std::string text;
    bool unspecified;  // address all zero and port 0: no endpoint at all
};

std::optional<Endpoint> decode_endpoint(std::string_view hex) {
    size_t colon = hex.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    std::string_view addr = hex.substr(0, colon);
    std::string_view port_hex = hex.substr(colon + 1);
    auto port = parse_number<uint16_t>(port_hex, 16);
    if (!port || port_hex.size() != 4) return std::nullopt;
    if (addr.size() != 8 && addr.size() != 32) return std::nullopt;

    std::array<unsigned char, 16> bytes{};
    for (size_t i = 0; i * 8 < addr.size(); ++i)
        if (!decode_word(addr.substr(i * 8, 8), bytes.data() + i * 4)) return std::nullopt;

    bool v6 = addr.size() == 32;
    char buf[INET6_ADDRSTRLEN];
    if (!::inet_ntop(v6 ? AF_INET6 : AF_INET, bytes.data(), buf, sizeof buf)) return std::nullopt;
    std::string port_text = std::to_string(*port);
    bool zero = std::all_of(bytes.begin(), bytes.end(), [](unsigned char b) { return b == 0; });
    return Endpoint{v6 ? "[" + std::string(buf) + "]:" + port_text : std::string(buf) + ":" + port_text,
                    zero && *port == 0};
}

// The field after Inode on a unix line: everything past one space, so that
// spaces inside a path survive.
std::string unix_path(std::string_view line, std::string_view inode_field) {
    size_t end = static_cast<size_t>(inode_field.data() + inode_field.size() - line.data());
    if (end + 1 >= line.size()) return "";
    return std::string(line.substr(end + 1));
}

std::string unix_state(uint32_t flags, unsigned st) {
    constexpr uint32_t kSoAcceptCon = 1u << 16;  // __SO_ACCEPTCON: listening
    if (flags & kSoAcceptCon) return "LISTEN";
    switch (st) {  // enum socket_state (include/uapi/linux/net.h)
        case 1: return "UNCONNECTED";
        case 2: return "CONNECTING";
        case 3: return "CONNECTED";
        case 4: return "DISCONNECTING";
        default: return std::to_string(st);
    }
}

}  // namespace

std::optional<std::string> parse_inet_endpoint(std::string_view hex) {
    auto e = decode_endpoint(hex);
    if (!e) return std::nullopt;
    return e->text;
}

std::string tcp_state_name(unsigned st) {
    static constexpr const char* kNames[] = {
        nullptr,     "ESTABLISHED", "SYN_SENT",   "SYN_RECV", "FIN_WAIT1",
        "FIN_WAIT2", "TIME_WAIT",   "CLOSE",      "CLOSE_WAIT", "LAST_ACK",
        "LISTEN",    "CLOSING",     "NEW_SYN_RECV", "BOUND_INACTIVE",
    };
    if (st < std::size(kNames) && kNames[st]) return kNames[st];
    return std::to_string(st);
}

SocketTable parse_inet_sockets(std::string_view text, std::string_view kind) {
    SocketTable table;
    for (std::string_view line : split_lines(text)) {
        // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
        std::vector<std::string_view> f = split_fields(line);
        if (f.size() < 10 || f[0].back() != ':') continue;  // the header, or garbage
        auto inode = parse_number<uint64_t>(f[9]);
        auto local = decode_endpoint(f[1]);
        auto remote = decode_endpoint(f[2]);
        auto st = parse_number<unsigned>(f[3], 16);
        if (!inode || *inode == 0 || !local || !remote || !st) continue;
        table[*inode] = SocketEntry{std::string(kind), local->text,
                                    remote->unspecified ? "" : remote->text, tcp_state_name(*st)};
    }
    return table;
}

SocketTable parse_unix_sockets(std::string_view text) {
    SocketTable table;
    for (std::string_view line : split_lines(text)) {
        // Num: RefCount Protocol Flags Type St Inode [Path]
        std::vector<std::string_view> f = split_fields(line);
        if (f.size() < 7 || f[0].back() != ':') continue;  // the header
        auto flags = parse_number<uint32_t>(f[3], 16);
        auto st = parse_number<unsigned>(f[5], 16);
        auto inode = parse_number<uint64_t>(f[6]);
        if (!flags || !st || !inode || *inode == 0) continue;
        table[*inode] = SocketEntry{"unix", unix_path(line, f[6]), "", unix_state(*flags, *st)};
    }
    return table;
}

std::string socket_kind_from_protoname(std::string_view name) {
    if (name == "TCP") return "tcp";
    if (name == "TCPv6") return "tcp6";
    if (name == "UDP" || name == "UDPv6") return "udp";
    if (name == "UNIX" || name.substr(0, 5) == "UNIX-") return "unix";
    return "other";
}

SocketTable read_socket_table(int pid) {
    // The kinds are the report's vocabulary, which names tcp6 but folds
    // udp6 into udp.
    static constexpr std::pair<const char*, const char*> kInet[] = {
        {"net/tcp", "tcp"}, {"net/tcp6", "tcp6"}, {"net/udp", "udp"}, {"net/udp6", "udp"}};
    SocketTable table;
    for (auto [file, kind] : kInet)
        if (auto text = read_text_file(proc_path(pid, file)))
            table.merge(parse_inet_sockets(*text, kind));
    if (auto text = read_text_file(proc_path(pid, "net/unix")))
        table.merge(parse_unix_sockets(*text));
    return table;
}

}  // namespace iotrace
