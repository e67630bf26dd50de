#include "proc/proc_file.h"

#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <memory>

#include "util/unique_fd.h"

namespace iotrace {

std::optional<std::string> read_text_file(const std::string& path) {
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return std::nullopt;
    // /proc files report size 0, so read until end of file rather than
    // trusting fstat. seq_file hands out whole lines per read, so a loop
    // reassembles the file however large it is (net/tcp on a busy server).
    std::string text;
    char buf[16384];
    for (;;) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n == 0) return text;
        if (n < 0) {
            if (errno == EINTR) continue;
            return std::nullopt;  // ESRCH: the process exited mid-read
        }
        text.append(buf, static_cast<size_t>(n));
    }
}

std::optional<std::string> read_link(const std::string& path) {
    // A path target can be PATH_MAX long plus " (deleted)": grow until the
    // answer fits instead of guessing a bound.
    std::string target(256, '\0');
    for (;;) {
        ssize_t n = ::readlink(path.c_str(), target.data(), target.size());
        if (n < 0) return std::nullopt;
        if (static_cast<size_t>(n) < target.size()) {
            target.resize(static_cast<size_t>(n));
            return target;
        }
        target.resize(target.size() * 2);
    }
}

std::vector<int> list_fds(int pid) {
    std::vector<int> fds;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(proc_path(pid, "fd").c_str()), ::closedir);
    if (!dir) return fds;
    while (const dirent* e = ::readdir(dir.get())) {
        int fd = -1;
        const char* end = e->d_name + std::strlen(e->d_name);
        auto [p, ec] = std::from_chars(e->d_name, end, fd);
        if (ec == std::errc() && p == end) fds.push_back(fd);  // skips "." and ".."
    }
    std::sort(fds.begin(), fds.end());
    return fds;
}

std::string proc_path(int pid, const std::string& rest) {
    return "/proc/" + std::to_string(pid) + "/" + rest;
}

}  // namespace iotrace
