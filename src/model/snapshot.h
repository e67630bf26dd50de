// What one run of iotrace observed, in plain C++ types: the tracer fills it
// from the kernel maps, the outputs render it. Nothing here knows libbpf,
// /proc or the terminal, so tests build snapshots by hand.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "iotrace.h"

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
};

struct RecvStats {
    uint64_t calls = 0;
    uint64_t bytes = 0;
    uint64_t eagain = 0;
    uint64_t eof = 0;
    uint64_t short_reads = 0;  // JSON "short"
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
    CopyStats copy;
};

struct Snapshot {
    std::string version;
    double duration_s = 0;
    std::array<uint64_t, IOT_LOST_NR> lost{};  // by enum iot_lost
    std::vector<ProcessStats> processes;

    uint64_t lost_events() const {
        uint64_t n = 0;
        for (auto v : lost) n += v;
        return n;
    }
};

}  // namespace iotrace
