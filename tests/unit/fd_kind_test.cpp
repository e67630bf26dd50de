#include "proc/fd_kind.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "proc/net_sockets.h"
#include "util/unique_fd.h"

namespace iotrace {

void PrintTo(const FdInfo& i, std::ostream* os) {
    *os << "{" << i.fd << " " << i.kind << " '" << i.local << "' '" << i.peer << "' " << i.state << "}";
}
void PrintTo(const SocketEntry& s, std::ostream* os) {
    *os << "{" << s.kind << " '" << s.local << "' '" << s.peer << "' " << s.state << "}";
}

namespace {

// Fixtures: one python3 process on Linux 6.18 (x86_64), read from
// /proc/PID/fd and /proc/PID/net/*. It held a TCP listener on 127.0.0.1:8080
// with a connected pair, a TCP6 listener on [::1]:8081 with a connected pair,
// a dual-stack listener on [::]:8082 reached from 127.0.0.1, UDP sockets on
// 127.0.0.1:5353 (and one connected to it) and [::1]:5354, a unix
// socketpair, a unix listener "/tmp/fdx/my sock" with a connected pair, an
// abstract unix datagram socket, a pipe, an eventfd, an epoll fd and a file.
// The tcp table is cut to a few of its lines: the namespace's TIME_WAIT
// sockets of other processes are left as samples only.

constexpr const char* kTcp = R"(  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 75761 1 000000002e379823 100 0 0 10 0                     
   1: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1152 1 00000000c72dff85 100 0 0 10 0                      
   2: 0100007F:829C 0100007F:B53D 06 00000000:00000000 03:00000EFC 00000000     0        0 0 3 00000000f1c56498                                      
   7: 0100007F:E246 0100007F:1F92 01 00000000:00000000 00:00000000 00000000     0        0 75768 1 00000000bc6d7d76 20 0 0 10 -1                     
  22: 0100007F:1F90 0100007F:A7B8 01 00000000:00000000 00:00000000 00000000     0        0 75763 1 000000008ef3a56c 20 0 0 10 -1                     
  23: 0100007F:A7B8 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     0        0 75762 1 00000000788c8b68 20 0 0 10 -1                     
  24: 0100007F:CA12 0100007F:1F90 06 00000000:00000000 03:00001476 00000000     0        0 0 3 00000000f82f75d6                                      
)";

constexpr const char* kTcp6 = R"(  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000000000000:1F92 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 75767 1 0000000008bfaaf8 100 0 0 10 0
   1: 00000000000000000000000001000000:1F91 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 75764 1 000000002593423f 100 0 0 10 0
   2: 0000000000000000FFFF00000100007F:1F92 0000000000000000FFFF00000100007F:E246 01 00000000:00000000 00:00000000 00000000     0        0 75769 1 00000000b5686fb5 20 0 0 10 -1
   3: 00000000000000000000000001000000:88EC 00000000000000000000000001000000:1F91 01 00000000:00000000 00:00000000 00000000     0        0 75765 1 00000000afc20d86 20 0 0 10 -1
   4: 00000000000000000000000001000000:A940 00000000000000000000000001000000:1F91 06 00000000:00000000 03:00001475 00000000     0        0 0 3 000000005da610ad
   5: 00000000000000000000000001000000:1F91 00000000000000000000000001000000:88EC 01 00000000:00000000 00:00000000 00000000     0        0 75766 1 000000003196eba8 20 0 0 10 -1
)";

constexpr const char* kUdp = R"(   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops            
 7398: 0100007F:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 75770 2 00000000019727b5 0         
 8883: 0100007F:DAB6 0100007F:14E9 01 00000000:00000000 00:00000000 00000000     0        0 75771 2 000000004e66a1b8 0         
)";

constexpr const char* kUdp6 = R"(  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 7399: 00000000000000000000000001000000:14EA 00000000000000000000000000000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 75772 2 0000000070381d64 0
)";

constexpr const char* kUnix = R"(Num       RefCount Protocol Flags    Type St Inode Path
000000009404b985: 00000003 00000000 00000000 0001 03 75776
000000002ee106f4: 00000003 00000000 00000000 0001 03 75773
00000000537df550: 00000003 00000000 00000000 0001 03 75774
00000000f73203dd: 00000003 00000000 00000000 0001 03  1148
0000000013b87356: 00000003 00000000 00000000 0001 03 39920
0000000085a77b06: 00000002 00000000 00010000 0001 01 75775 /tmp/fdx/my sock
000000002d202f03: 00000003 00000000 00000000 0001 03 75777 /tmp/fdx/my sock
00000000794036e8: 00000003 00000000 00000000 0001 03 39919
00000000115fb3c4: 00000003 00000000 00000000 0001 03  1149
000000008648a565: 00000002 00000000 00000000 0002 01 75778 @iotrace-abstract
)";

// `N -> target` for each /proc/PID/fd/N (fd 251 was inherited from the shell).
constexpr const char* kLinks = R"(0 -> /dev/null
1 -> /tmp/fdx/out.txt
2 -> /tmp/fdx/out.txt
3 -> anon_inode:[eventpoll]
4 -> pipe:[75760]
5 -> pipe:[75760]
6 -> anon_inode:[eventfd]
7 -> socket:[75761]
8 -> socket:[75762]
9 -> socket:[75763]
10 -> /dev/null
11 -> socket:[75764]
12 -> socket:[75765]
13 -> socket:[75766]
14 -> socket:[75767]
15 -> socket:[75768]
16 -> socket:[75769]
17 -> socket:[75770]
18 -> socket:[75771]
19 -> socket:[75772]
20 -> socket:[75773]
21 -> socket:[75774]
22 -> socket:[75775]
23 -> socket:[75776]
24 -> socket:[75777]
25 -> socket:[75778]
26 -> /etc/hostname
251 -> pipe:[74436]
)";

SocketTable all_sockets() {
    SocketTable t = parse_inet_sockets(kTcp, "tcp");
    t.merge(parse_inet_sockets(kTcp6, "tcp6"));
    t.merge(parse_inet_sockets(kUdp, "udp"));
    t.merge(parse_inet_sockets(kUdp6, "udp"));
    t.merge(parse_unix_sockets(kUnix));
    return t;
}

TEST(NetSockets, InetEndpoints) {
    EXPECT_EQ(parse_inet_endpoint("0100007F:1F90"), "127.0.0.1:8080");
    EXPECT_EQ(parse_inet_endpoint("00000000:07E8"), "0.0.0.0:2024");
    EXPECT_EQ(parse_inet_endpoint("0100007F:A7B8"), "127.0.0.1:42936");
    EXPECT_EQ(parse_inet_endpoint("00000000000000000000000001000000:1F91"), "[::1]:8081");
    EXPECT_EQ(parse_inet_endpoint("00000000000000000000000000000000:1F92"), "[::]:8082");
    EXPECT_EQ(parse_inet_endpoint("0000000000000000FFFF00000100007F:E246"),
              "[::ffff:127.0.0.1]:57926");
    EXPECT_EQ(parse_inet_endpoint("0100007F"), std::nullopt);
    EXPECT_EQ(parse_inet_endpoint("0100007F:1F9"), std::nullopt);
    EXPECT_EQ(parse_inet_endpoint("100007F:1F90"), std::nullopt);
    EXPECT_EQ(parse_inet_endpoint("0100007G:1F90"), std::nullopt);
    EXPECT_EQ(parse_inet_endpoint("local_address"), std::nullopt);
}

TEST(NetSockets, TcpTableSkipsHeaderAndInodeZero) {
    EXPECT_EQ(parse_inet_sockets(kTcp, "tcp"),
              (SocketTable{
                  {75761, {"tcp", "127.0.0.1:8080", "", "LISTEN"}},
                  {1152, {"tcp", "0.0.0.0:2024", "", "LISTEN"}},  // another process's
                  {75768, {"tcp", "127.0.0.1:57926", "127.0.0.1:8082", "ESTABLISHED"}},
                  {75763, {"tcp", "127.0.0.1:8080", "127.0.0.1:42936", "ESTABLISHED"}},
                  {75762, {"tcp", "127.0.0.1:42936", "127.0.0.1:8080", "ESTABLISHED"}},
              }));
}

TEST(NetSockets, Tcp6TableIncludesV4MappedPeers) {
    EXPECT_EQ(parse_inet_sockets(kTcp6, "tcp6"),
              (SocketTable{
                  {75767, {"tcp6", "[::]:8082", "", "LISTEN"}},
                  {75764, {"tcp6", "[::1]:8081", "", "LISTEN"}},
                  {75769, {"tcp6", "[::ffff:127.0.0.1]:8082", "[::ffff:127.0.0.1]:57926", "ESTABLISHED"}},
                  {75765, {"tcp6", "[::1]:35052", "[::1]:8081", "ESTABLISHED"}},
                  {75766, {"tcp6", "[::1]:8081", "[::1]:35052", "ESTABLISHED"}},
              }));
}

TEST(NetSockets, UdpTablesBothFamiliesAreUdp) {
    EXPECT_EQ(parse_inet_sockets(kUdp, "udp"),
              (SocketTable{
                  {75770, {"udp", "127.0.0.1:5353", "", "CLOSE"}},
                  {75771, {"udp", "127.0.0.1:55990", "127.0.0.1:5353", "ESTABLISHED"}},
              }));
    EXPECT_EQ(parse_inet_sockets(kUdp6, "udp"),
              (SocketTable{{75772, {"udp", "[::1]:5354", "", "CLOSE"}}}));
}

TEST(NetSockets, UnixTablePathsWithSpacesAndAbstractNames) {
    SocketTable t = parse_unix_sockets(kUnix);
    EXPECT_EQ(t.size(), 10u);
    EXPECT_EQ(t.at(75775), (SocketEntry{"unix", "/tmp/fdx/my sock", "", "LISTEN"}));
    EXPECT_EQ(t.at(75777), (SocketEntry{"unix", "/tmp/fdx/my sock", "", "CONNECTED"}));  // accepted
    EXPECT_EQ(t.at(75776), (SocketEntry{"unix", "", "", "CONNECTED"}));  // the connecting end
    EXPECT_EQ(t.at(75773), (SocketEntry{"unix", "", "", "CONNECTED"}));  // socketpair
    EXPECT_EQ(t.at(75778), (SocketEntry{"unix", "@iotrace-abstract", "", "UNCONNECTED"}));
    EXPECT_EQ(t.at(1148), (SocketEntry{"unix", "", "", "CONNECTED"}));  // inode padded to 5 columns
}

TEST(NetSockets, StateNames) {
    EXPECT_EQ(tcp_state_name(0x01), "ESTABLISHED");
    EXPECT_EQ(tcp_state_name(0x06), "TIME_WAIT");
    EXPECT_EQ(tcp_state_name(0x07), "CLOSE");
    EXPECT_EQ(tcp_state_name(0x0A), "LISTEN");
    EXPECT_EQ(tcp_state_name(0x0C), "NEW_SYN_RECV");
    EXPECT_EQ(tcp_state_name(0), "0");
    EXPECT_EQ(tcp_state_name(99), "99");
}

TEST(NetSockets, ProtocolNamesAsSockfsGivesThem) {
    // getxattr(/proc/PID/fd/N, "system.sockprotoname") on Linux 6.18.
    EXPECT_EQ(socket_kind_from_protoname("TCP"), "tcp");
    EXPECT_EQ(socket_kind_from_protoname("TCPv6"), "tcp6");
    EXPECT_EQ(socket_kind_from_protoname("UDP"), "udp");
    EXPECT_EQ(socket_kind_from_protoname("UDPv6"), "udp");
    EXPECT_EQ(socket_kind_from_protoname("UNIX-STREAM"), "unix");
    EXPECT_EQ(socket_kind_from_protoname("UNIX"), "unix");  // datagram and seqpacket
    EXPECT_EQ(socket_kind_from_protoname("NETLINK"), "other");
    EXPECT_EQ(socket_kind_from_protoname(""), "other");
}

TEST(FdKind, SocketInode) {
    EXPECT_EQ(socket_inode("socket:[75761]"), 75761u);
    EXPECT_EQ(socket_inode("socket:[]"), std::nullopt);
    EXPECT_EQ(socket_inode("socket:[75761"), std::nullopt);
    EXPECT_EQ(socket_inode("pipe:[75760]"), std::nullopt);
    EXPECT_EQ(socket_inode("/tmp/socket:[1]"), std::nullopt);
}

TEST(FdKind, ThePythonProcessFdTable) {
    SocketTable sockets = all_sockets();
    std::map<int, FdInfo> got;
    std::istringstream links(kLinks);
    std::string line;
    while (std::getline(links, line)) {
        size_t arrow = line.find(" -> ");
        int fd = std::stoi(line.substr(0, arrow));
        got.emplace(fd, classify_fd(fd, line.substr(arrow + 4), sockets));
    }
    std::map<int, FdInfo> want;
    for (const FdInfo& i : std::vector<FdInfo>{
             {0, "file", "/dev/null", "", ""},
             {1, "file", "/tmp/fdx/out.txt", "", ""},
             {2, "file", "/tmp/fdx/out.txt", "", ""},
             {3, "epoll", "", "", ""},
             {4, "pipe", "", "", ""},
             {5, "pipe", "", "", ""},
             {6, "eventfd", "", "", ""},
             {7, "tcp", "127.0.0.1:8080", "", "LISTEN"},
             {8, "tcp", "127.0.0.1:42936", "127.0.0.1:8080", "ESTABLISHED"},
             {9, "tcp", "127.0.0.1:8080", "127.0.0.1:42936", "ESTABLISHED"},
             {10, "file", "/dev/null", "", ""},
             {11, "tcp6", "[::1]:8081", "", "LISTEN"},
             {12, "tcp6", "[::1]:35052", "[::1]:8081", "ESTABLISHED"},
             {13, "tcp6", "[::1]:8081", "[::1]:35052", "ESTABLISHED"},
             {14, "tcp6", "[::]:8082", "", "LISTEN"},
             {15, "tcp", "127.0.0.1:57926", "127.0.0.1:8082", "ESTABLISHED"},
             {16, "tcp6", "[::ffff:127.0.0.1]:8082", "[::ffff:127.0.0.1]:57926", "ESTABLISHED"},
             {17, "udp", "127.0.0.1:5353", "", "CLOSE"},
             {18, "udp", "127.0.0.1:55990", "127.0.0.1:5353", "ESTABLISHED"},
             {19, "udp", "[::1]:5354", "", "CLOSE"},
             {20, "unix", "", "", "CONNECTED"},
             {21, "unix", "", "", "CONNECTED"},
             {22, "unix", "/tmp/fdx/my sock", "", "LISTEN"},
             {23, "unix", "", "", "CONNECTED"},
             {24, "unix", "/tmp/fdx/my sock", "", "CONNECTED"},
             {25, "unix", "@iotrace-abstract", "", "UNCONNECTED"},
             {26, "file", "/etc/hostname", "", ""},
             {251, "pipe", "", "", ""},
         })
        want.emplace(i.fd, i);
    EXPECT_EQ(got, want);
}

TEST(FdKind, AnonInodesAndOthers) {
    SocketTable none;
    // Links seen on this machine.
    EXPECT_EQ(classify_fd(7, "anon_inode:[timerfd]", none).kind, "timerfd");
    EXPECT_EQ(classify_fd(8, "anon_inode:[signalfd]", none).kind, "signalfd");
    EXPECT_EQ(classify_fd(6, "anon_inode:[eventfd]", none).kind, "eventfd");
    EXPECT_EQ(classify_fd(3, "anon_inode:[eventpoll]", none).kind, "epoll");
    EXPECT_EQ(classify_fd(9, "anon_inode:[pidfd]", none).kind, "other");
    EXPECT_EQ(classify_fd(9, "anon_inode:[perf_event]", none).kind, "other");
    EXPECT_EQ(classify_fd(9, "anon_inode:bpf-prog", none).kind, "other");
    EXPECT_EQ(classify_fd(9, "anon_inode:bpf_link", none).kind, "other");
    // A socket not in the tables is "other" until the reader asks the socket.
    EXPECT_EQ(classify_fd(13, "socket:[75842]", none), (FdInfo{13, "other", "", "", ""}));
    EXPECT_EQ(classify_fd(1, "/tmp/x (deleted)", none), (FdInfo{1, "file", "/tmp/x (deleted)", "", ""}));
    EXPECT_EQ(classify_fd(1, "", none).kind, "other");
}

// --- The readers against this very process. -------------------------------
// Not skipped as root or otherwise: a process may always read its own /proc.

UniqueFd tcp_listener(sockaddr_in* bound) {
    UniqueFd s(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    socklen_t len = sizeof a;
    if (!s || ::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(s.get(), 4) != 0 ||
        ::getsockname(s.get(), reinterpret_cast<sockaddr*>(bound), &len) != 0)
        return UniqueFd();
    return s;
}

std::string port_of(int fd) {
    sockaddr_in a{};
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    return std::to_string(ntohs(a.sin_port));
}

TEST(FdKind, ReadsOwnFdTable) {
    int p[2];
    ASSERT_EQ(::pipe2(p, O_CLOEXEC), 0);
    UniqueFd rd(p[0]), wr(p[1]);
    UniqueFd efd(::eventfd(0, EFD_CLOEXEC));
    UniqueFd tfd(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC));
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR2);
    UniqueFd sfd(::signalfd(-1, &mask, SFD_CLOEXEC));
    UniqueFd ep(::epoll_create1(EPOLL_CLOEXEC));
    ASSERT_TRUE(efd && tfd && sfd && ep);
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = 99;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, efd.get(), &ev), 0);

    sockaddr_in addr{};
    UniqueFd listener = tcp_listener(&addr);
    ASSERT_TRUE(listener);
    std::string port = std::to_string(ntohs(addr.sin_port));
    UniqueFd client(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_EQ(::connect(client.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    UniqueFd server(::accept4(listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
    ASSERT_TRUE(server);
    std::string client_port = port_of(client.get());

    UniqueFd udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    ASSERT_EQ(::bind(udp.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);  // UDP may share the TCP port
    int sp[2];
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp), 0);
    UniqueFd us0(sp[0]), us1(sp[1]);
    // In no net table (never bound): the kinds come from the sockets themselves.
    UniqueFd unbound4(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    UniqueFd unbound_udp(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    UniqueFd netlink(::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE));
    UniqueFd file(::open("/proc/self/status", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(unbound4 && unbound_udp && netlink && file);

    std::map<int, FdInfo> t = read_fd_table(::getpid());
    auto at = [&](const UniqueFd& fd) {
        auto it = t.find(fd.get());
        return it == t.end() ? FdInfo{fd.get(), "missing", "", "", ""} : it->second;
    };
    EXPECT_EQ(at(rd), (FdInfo{rd.get(), "pipe", "", "", ""}));
    EXPECT_EQ(at(wr), (FdInfo{wr.get(), "pipe", "", "", ""}));
    EXPECT_EQ(at(efd), (FdInfo{efd.get(), "eventfd", "", "", ""}));
    EXPECT_EQ(at(tfd), (FdInfo{tfd.get(), "timerfd", "", "", ""}));
    EXPECT_EQ(at(sfd), (FdInfo{sfd.get(), "signalfd", "", "", ""}));
    EXPECT_EQ(at(ep), (FdInfo{ep.get(), "epoll", "", "", ""}));
    EXPECT_EQ(at(listener), (FdInfo{listener.get(), "tcp", "127.0.0.1:" + port, "", "LISTEN"}));
    EXPECT_EQ(at(client), (FdInfo{client.get(), "tcp", "127.0.0.1:" + client_port,
                                  "127.0.0.1:" + port, "ESTABLISHED"}));
    EXPECT_EQ(at(server), (FdInfo{server.get(), "tcp", "127.0.0.1:" + port,
                                  "127.0.0.1:" + client_port, "ESTABLISHED"}));
    EXPECT_EQ(at(udp), (FdInfo{udp.get(), "udp", "127.0.0.1:" + port, "", "CLOSE"}));
    EXPECT_EQ(at(us0), (FdInfo{us0.get(), "unix", "", "", "CONNECTED"}));
    EXPECT_EQ(at(unbound4), (FdInfo{unbound4.get(), "tcp", "", "", ""}));
    EXPECT_EQ(at(unbound_udp), (FdInfo{unbound_udp.get(), "udp", "", "", ""}));
    EXPECT_EQ(at(netlink), (FdInfo{netlink.get(), "other", "", "", ""}));
    EXPECT_EQ(at(file), (FdInfo{file.get(), "file", "/proc/" + std::to_string(::getpid()) + "/status", "", ""}));
    for (const auto& [fd, info] : t) EXPECT_EQ(fd, info.fd);
}

TEST(FdKind, ReadsOwnTcp6Listener) {
    UniqueFd s(::socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0));
    ASSERT_TRUE(s);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_addr = in6addr_loopback;
    if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        // No ::1 (IPv6 disabled): the kind still comes from the socket.
        EXPECT_EQ(read_fd_table(::getpid()).at(s.get()).kind, "tcp6");
        return;
    }
    ASSERT_EQ(::listen(s.get(), 1), 0);
    socklen_t len = sizeof a;
    ASSERT_EQ(::getsockname(s.get(), reinterpret_cast<sockaddr*>(&a), &len), 0);
    EXPECT_EQ(read_fd_table(::getpid()).at(s.get()),
              (FdInfo{s.get(), "tcp6", "[::1]:" + std::to_string(ntohs(a.sin6_port)), "", "LISTEN"}));
}

TEST(FdKind, VanishedProcessIsEmptyNotAnError) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) ::_exit(0);
    ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // reaped: its /proc entry is gone
    EXPECT_TRUE(read_fd_table(child).empty());
    EXPECT_TRUE(read_socket_table(child).empty());
}

}  // namespace
}  // namespace iotrace
