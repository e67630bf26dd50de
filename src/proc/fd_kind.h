// What each fd of a process is, from its /proc/PID/fd/N link:
//   socket:[INODE]            tcp, tcp6, udp (v4 or v6) or unix, by looking
//                             INODE up in the process's network namespace
//   pipe:[INODE]              pipe
//   anon_inode:[eventpoll]    epoll
//   anon_inode:[eventfd]      eventfd
//   anon_inode:[timerfd]      timerfd
//   anon_inode:[signalfd]     signalfd
//   /a/path                   file (also a named FIFO, a tty, a directory)
//   anything else             other (io_uring, inotify, pidfd, netlink, ...)
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "proc/net_sockets.h"

namespace iotrace {

struct FdInfo {
    int fd = -1;
    std::string kind;   // one of the kinds above
    // For sockets: "127.0.0.1:8080", "[::1]:80", a unix path ("@name" when
    // abstract), or "" if unbound or unknown. For a file: its path as the
    // link shows it (" (deleted)" included). "" otherwise.
    std::string local;
    std::string peer;   // remote address of a connected tcp/udp socket, else ""
    std::string state;  // sockets found in the net tables: see SocketEntry::state

    bool operator==(const FdInfo&) const = default;
};

// INODE of a "socket:[INODE]" link; nullopt for any other link.
std::optional<uint64_t> socket_inode(std::string_view link);

// Classifies one fd from its link target. A socket missing from SOCKETS gets
// kind "other"; the reader refines that from the socket itself.
FdInfo classify_fd(int fd, std::string_view link, const SocketTable& sockets);

// Every fd of process PID, by fd number. The net tables are read once per
// call, and only if the process has a socket. Empty if the process is gone;
// an fd closed while we read is left out.
std::map<int, FdInfo> read_fd_table(int pid);

}  // namespace iotrace
