// What one run of iotrace observed, in plain C++ types: the tracer fills it
// from the kernel maps, the outputs render it. Nothing here knows libbpf,
// /proc or the terminal, so tests build snapshots by hand.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "iotrace.h"
#include "model/availability.h"
#include "model/diagnosis.h"

namespace iotrace {

struct SyscallStats {
    uint64_t calls = 0;
    uint64_t errors = 0;
    uint64_t eagain = 0;
    uint64_t time_ns = 0;
    std::array<uint64_t, IOT_HIST_SLOTS> hist_log2_ns{};
};

struct WaitStats {
    uint64_t calls = 0;
    uint64_t empty = 0;
    uint64_t ready = 0;
    uint64_t watched = 0;
    uint64_t scanned = 0;
    uint64_t time_ns = 0;
    uint64_t wakeups = 0;  // calls that blocked (switched out, not runnable) and were woken
    uint64_t cpu_ns = 0;   // time_ns minus the time switched out during the calls
    uint64_t zero_timeout = 0;  // calls with a zero timeout (asked not to block)
    uint64_t zero_timeout_empty = 0;  // of those, calls that returned 0 (nothing ready)
};

// The readiness figures (docs/readiness.md has the definitions).
struct ReadinessStats {
    uint64_t lt_rereports = 0;  // unread + partial
    uint64_t lt_rereports_unread = 0;
    uint64_t lt_rereports_partial = 0;
    uint64_t write_rereports_unwritten = 0;
    uint64_t et_notifications = 0;
    uint64_t et_undrained = 0;
    uint64_t herd_rereports = 0;  // readable reports handed to a thread while another's was unread
    uint64_t et_stalls = 0;       // ET notifications while the fd's previous one was still undrained
};

// One fd that a wait reported, as the kernel classified it when first seen.
struct FdStats {
    int fd = 0;
    std::string kind;     // tcp, tcp6, udp, unix, pipe, eventfd, timerfd, signalfd, epoll, file, other
    std::string trigger;  // lt, et, oneshot, select, poll (as last reported)
    std::string local;    // sockets: "127.0.0.1:8080", "[::1]:80"; else ""
    std::string peer;
    uint64_t reported = 0;  // readable reports + writable reports
    uint64_t reads = 0;
    uint64_t bytes = 0;
    uint64_t eagain = 0;
    uint64_t drains = 0;
    uint64_t writes = 0;
    uint64_t lt_rereports = 0;  // unread + partial
    uint64_t lt_rereports_unread = 0;
    uint64_t lt_rereports_partial = 0;
    uint64_t write_rereports = 0;
    uint64_t et_notifications = 0;
    uint64_t et_undrained = 0;
    bool oneshot = false;  // registered EPOLLONESHOT, with or without EPOLLET (as last reported)
    uint64_t herd_rereports = 0;
    uint64_t et_stalls = 0;  // ET notifications while the previous one was neither drained nor closed
};

struct ThreadStats {
    int tid = 0;
    std::string comm;
    uint64_t waits = 0;
    uint64_t wakeups = 0;
    uint64_t recv = 0;
    uint64_t select_waits = 0;  // select, pselect6
    uint64_t poll_waits = 0;    // poll, ppoll
    uint64_t epoll_waits = 0;   // the three epoll waits
    uint64_t zero_timeout = 0;
    uint64_t recv_eagain = 0;
    uint64_t recv_blocked = 0;
    uint64_t accepts = 0;
    uint64_t accept_blocked = 0;
    uint64_t uring_enters = 0;
    uint64_t ready = 0;     // sum of its waits' positive returns (its part of waits.ready)
    Diagnosis diagnosis{};  // filled by diagnose() (src/analysis/diagnose.h)
    uint64_t zero_timeout_empty = 0;  // of zero_timeout, those that returned 0 (last: keeps brace-inits valid)
};

struct RecvStats {
    uint64_t calls = 0;
    uint64_t bytes = 0;
    uint64_t eagain = 0;
    uint64_t eof = 0;
    uint64_t short_reads = 0;  // JSON "short"
    uint64_t blocked = 0;      // calls that slept (blocking IO)
};

// accept + accept4 together.
struct AcceptStats {
    uint64_t calls = 0;
    uint64_t eagain = 0;
    uint64_t blocked = 0;  // calls that slept
};

struct SendStats {
    uint64_t calls = 0;
    uint64_t bytes = 0;
    uint64_t eagain = 0;
};

struct CopyStats {
    uint64_t wait_in_bytes = 0;
    uint64_t wait_out_bytes = 0;
    uint64_t recv_bytes = 0;
    uint64_t send_bytes = 0;
};

struct ProcessStats {
    int pid = 0;
    int ppid = 0;  // 0 when not known (a -p target)
    std::string comm;
    bool exited = false;
    std::array<SyscallStats, IOT_NR_SYS> syscalls{};  // indexed by enum iot_sys
    WaitStats waits;
    RecvStats recv;
    SendStats send;
    AcceptStats accept;
    CopyStats copy;
    ReadinessStats readiness;
    std::vector<FdStats> fds;          // by fd number
    std::vector<ThreadStats> threads;  // by tid
    Diagnosis diagnosis{};             // filled by diagnose() (src/analysis/diagnose.h)
    bool target = false;               // asked for (-p, the launched command), not a followed child
    int uid = -1;                      // real uid, read by the tracer when it first sees the process; -1 unknown
    // Set when this entry stands for several followed processes
    // (group_processes, src/model/group.h): processes == 0 for one process.
    struct Group {
        uint64_t processes = 0;
        uint64_t exited = 0;
        std::vector<int> pids;  // the first kGroupPids, lowest first
    } group;
};

struct Snapshot {
    std::string version;
    double duration_s = 0;
    std::array<uint64_t, IOT_LOST_NR> lost{};  // by enum iot_lost
    std::vector<ProcessStats> processes;
    Availability availability;  // parts of the kernel side that did not load (figures unavailable)

    uint64_t lost_events() const {
        uint64_t n = 0;
        for (auto v : lost) n += v;
        return n;
    }
};

}  // namespace iotrace
