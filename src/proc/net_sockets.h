// The sockets of a network namespace, from /proc/PID/net/{tcp,tcp6,udp,udp6,unix},
// keyed by socket inode: the number a process's fd link names ("socket:[N]").
// The tables list every socket of the namespace, not only one process's, and
// only sockets the kernel has hashed: a socket that is not yet bound or
// connected, or a TCP socket back in CLOSE, is in none of them.
//
// Formats, as observed on Linux 6.18 (net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c,
// net/ipv4/udp.c, net/unix/af_unix.c):
// * tcp/udp "local_address rem_address": ADDR:PORT, the port as %04X of its
//   host value, the address as the kernel's in-memory network-order words
//   printed with %08X: 127.0.0.1 is "0100007F" on a little-endian machine,
//   and ::1 is "00000000000000000000000001000000" (four words, each in host
//   byte order). The parser therefore decodes for the machine it runs on.
// * "st" is a TCP state number in hex (include/net/tcp_states.h); UDP uses
//   07 (CLOSE) when unconnected and 01 (ESTABLISHED) when connected.
// * Lines with inode 0 (TIME_WAIT, SYN_RECV requests) belong to no fd.
// * The "sl" column of udp is the hash slot, not a line number.
// * unix: "Num RefCount Protocol Flags Type St Inode Path"; the inode is
//   right-aligned in 5 columns, Path follows after one space and may hold
//   spaces; an abstract name is printed with '@' for its leading NUL. An
//   accepted stream socket shows its listener's path; the connecting end
//   shows none, and no column names a peer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace iotrace {

struct SocketEntry {
    std::string kind;   // as FdInfo::kind: tcp, tcp6, udp or unix
    std::string local;  // "127.0.0.1:8080", "[::1]:80", a unix path, or ""
    std::string peer;   // remote address of a connected inet socket, else ""
    std::string state;  // "LISTEN", "ESTABLISHED", ...; see the parsers

    bool operator==(const SocketEntry&) const = default;
};

using SocketTable = std::map<uint64_t, SocketEntry>;  // by socket inode

// "0100007F:1F90" -> "127.0.0.1:8080"; a 32-hex-digit address gives
// "[::1]:8080". nullopt if the text is not such an endpoint.
std::optional<std::string> parse_inet_endpoint(std::string_view hex);

// The kernel's name of TCP state ST ("LISTEN"), or its number if unknown.
std::string tcp_state_name(unsigned st);

// Parses /proc/PID/net/{tcp,tcp6,udp,udp6}; every entry gets KIND. IPv4 and
// IPv6 lines are told apart by address length, not by KIND. A remote of
// 0.0.0.0:0 or [::]:0 (a listener, an unconnected UDP socket) gives peer "".
SocketTable parse_inet_sockets(std::string_view text, std::string_view kind);

// Parses /proc/PID/net/unix. state is "LISTEN" for a listening socket, else
// the socket state: "UNCONNECTED", "CONNECTING", "CONNECTED" or
// "DISCONNECTING". peer is always "": /proc does not say.
SocketTable parse_unix_sockets(std::string_view text);

// The socket kind for a socket's "system.sockprotoname" attribute (the
// protocol's name: "TCP", "TCPv6", "UDP", "UDPv6", "UNIX", "UNIX-STREAM"),
// the fallback for sockets in none of the tables; "other" if unknown.
std::string socket_kind_from_protoname(std::string_view name);

// All the tables of the network namespace of process PID (not the reader's
// own, which /proc/net would give). Missing tables (no IPv6, process gone)
// contribute nothing.
SocketTable read_socket_table(int pid);

}  // namespace iotrace
