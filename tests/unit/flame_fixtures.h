// Fixed inputs for the flame tests: cells as the tracer will fill them, for
// a few servers (weights of every kind, a grouped entry, a thread per
// connection) and for names that need sanitizing and escaping.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "flame/build.h"
#include "iotrace.h"

namespace iotrace::testing {

inline flame::FlameCell cell(int pid, int tid, const std::string& comm, const std::string& model, int sys,
                             const std::string& fd_kind, uint64_t time_ns, std::optional<uint64_t> cpu_ns,
                             uint64_t calls, std::optional<uint64_t> bytes) {
    flame::FlameCell c;
    c.pid = pid;
    c.comm = comm;
    c.tid = tid;
    c.thread_comm = comm;
    c.model = model;
    c.sys = sys;
    c.fd_kind = fd_kind;
    c.time_ns = time_ns;
    c.cpu_ns = cpu_ns;
    c.calls = calls;
    c.bytes = bytes;
    return c;
}

// nginx (two workers, edge-triggered epoll), three httpd children grouped
// (poll), python3 with a select loop and a blocking worker thread. One
// recvfrom cell twice (the builder sums them), one close cell whose cpu time
// is not known.
inline std::vector<flame::FlameCell> server_cells() {
    std::vector<flame::FlameCell> v = {
        cell(101, 101, "nginx", "epoll-et", IOT_EPOLL_WAIT, "", 9'000'000, 400'000, 1200, 0),
        cell(101, 101, "nginx", "epoll-et", IOT_RECVFROM, "tcp", 1'500'000, 1'500'000, 2400, 2'457'600),
        cell(101, 101, "nginx", "epoll-et", IOT_WRITEV, "tcp", 2'000'000, 2'000'000, 1200, 9'600'000),
        cell(101, 101, "nginx", "epoll-et", IOT_ACCEPT4, "tcp", 300'000, 300'000, 40, 0),
        cell(101, 101, "nginx", "epoll-et", IOT_CLOSE, "tcp", 100'000, std::nullopt, 40, 0),
        cell(101, 101, "nginx", "epoll-et", IOT_RECVFROM, "tcp", 500'000, 500'000, 100, 4'000),
        cell(102, 102, "nginx", "epoll-et", IOT_EPOLL_WAIT, "", 4'000'000, 200'000, 600, 0),
        cell(102, 102, "nginx", "epoll-et", IOT_READ, "file", 50'000, 50'000, 10, 40'960),
        cell(200, 0, "httpd", "poll", IOT_POLL, "", 3'000'000, 90'000, 90, 0),
        cell(200, 0, "httpd", "poll", IOT_RECVFROM, "unix", 200'000, 200'000, 90, 9'000),
        cell(300, 300, "python3", "select", IOT_PSELECT6, "", 5'000'000, 800'000, 2000, 0),
        cell(300, 301, "python3", "blocking", IOT_RECVFROM, "tcp", 7'000'000, 100'000, 50, 3'200),
        cell(300, 301, "python3", "blocking", IOT_SENDTO, "tcp", 100'000, 100'000, 50, 3'200),
    };
    for (auto& c : v) {
        if (c.pid == 200) c.ppid = 1, c.group = 3;
        if (c.tid == 301) c.thread_comm = "worker";
    }
    return v;
}

// Names a process can give itself: the folded separator, XML's special
// characters, a newline, leading spaces, bytes that are not UTF-8, and
// UTF-8 that is.
inline std::vector<flame::FlameCell> odd_name_cells() {
    flame::FlameCell a = cell(7, 8, "  a;b<c>&\"d'\n", "", IOT_READ, "pipe", 10, 10, 1, 5);
    a.thread_comm = "t\xff\xfe";
    flame::FlameCell b = cell(9, 9, "s\xc3\xa9rv\xc3\xa9r \xe2\x98\x83", "epoll-lt oneshot", IOT_EPOLL_WAIT, "", 20,
                              20, 2, 0);
    flame::FlameCell c = cell(9, 9, "s\xc3\xa9rv\xc3\xa9r \xe2\x98\x83", "epoll-lt oneshot", IOT_RECVMSG, "udp", 30,
                              30, 3, 1500);
    return {a, b, c};
}

}  // namespace iotrace::testing
