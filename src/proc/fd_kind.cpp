#include "proc/fd_kind.h"

#include <sys/xattr.h>

#include <utility>
#include <vector>

#include "proc/proc_file.h"
#include "proc/text_scan.h"

namespace iotrace {
namespace {

std::optional<uint64_t> bracketed_inode(std::string_view link, std::string_view prefix) {
    if (link.size() <= prefix.size() + 1 || link.substr(0, prefix.size()) != prefix ||
        link.back() != ']')
        return std::nullopt;
    return parse_number<uint64_t>(link.substr(prefix.size(), link.size() - prefix.size() - 1));
}

// sockfs answers the "system.sockprotoname" attribute with the protocol's
// name. Through the /proc fd link this works for another process's socket
// too, and for sockets the net tables do not list (not yet bound or
// connected, TCP back in CLOSE, or in another network namespace).
std::string socket_kind_from_fd(const std::string& fd_path) {
    char name[64];
    ssize_t n = ::getxattr(fd_path.c_str(), "system.sockprotoname", name, sizeof name);
    if (n <= 0) return "other";
    std::string_view v(name, static_cast<size_t>(n));
    if (v.back() == '\0') v.remove_suffix(1);
    return socket_kind_from_protoname(v);
}

}  // namespace

std::optional<uint64_t> socket_inode(std::string_view link) {
    return bracketed_inode(link, "socket:[");
}

FdInfo classify_fd(int fd, std::string_view link, const SocketTable& sockets) {
    FdInfo info{fd, "other", "", "", ""};
    if (auto inode = socket_inode(link)) {
        if (auto it = sockets.find(*inode); it != sockets.end()) {
            const SocketEntry& s = it->second;
            info.kind = s.kind;
            info.local = s.local;
            info.peer = s.peer;
            info.state = s.state;
        }
    } else if (bracketed_inode(link, "pipe:[")) {
        info.kind = "pipe";
    } else if (link == "anon_inode:[eventpoll]") {
        info.kind = "epoll";
    } else if (link == "anon_inode:[eventfd]") {
        info.kind = "eventfd";
    } else if (link == "anon_inode:[timerfd]") {
        info.kind = "timerfd";
    } else if (link == "anon_inode:[signalfd]") {
        info.kind = "signalfd";
    } else if (!link.empty() && link.front() == '/') {
        info.kind = "file";
        info.local = std::string(link);
    }
    return info;
}

std::map<int, FdInfo> read_fd_table(int pid) {
    // Links first, tables second: a socket whose link we saw existed before
    // the tables were read, so only one closed in between can be missing.
    std::vector<std::pair<int, std::string>> links;
    bool any_socket = false;
    for (int fd : list_fds(pid)) {
        auto link = read_link(proc_path(pid, "fd/" + std::to_string(fd)));
        if (!link) continue;  // closed since the listing, or the process exited
        any_socket = any_socket || socket_inode(*link).has_value();
        links.emplace_back(fd, std::move(*link));
    }
    SocketTable sockets = any_socket ? read_socket_table(pid) : SocketTable{};

    std::map<int, FdInfo> table;
    for (const auto& [fd, link] : links) {
        FdInfo info = classify_fd(fd, link, sockets);
        if (auto inode = socket_inode(link); inode && !sockets.contains(*inode))
            info.kind = socket_kind_from_fd(proc_path(pid, "fd/" + std::to_string(fd)));
        table.emplace(fd, std::move(info));
    }
    return table;
}

}  // namespace iotrace
