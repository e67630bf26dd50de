// What the kernel let iotrace load on this machine, and so which figures
// exist. The tracer fills it (src/tracer); outputs read it. A missing part
// makes its figures unavailable (null in JSON, "n/a" in text), never zero.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace iotrace {

// Parts of the kernel side that can be missing while the rest runs.
enum class Part {
    SelectCounts,     // select, pselect6: their syscall rows (enter_select + exit_select[_basic])
    PollCounts,       // poll, ppoll
    EpollWaitCounts,  // epoll_wait, epoll_pwait, epoll_pwait2
    EpollCtl,         // epoll_ctl: its row, and the registrations epoll readiness needs
    Recv,             // recvfrom, recvmsg, recvmmsg, read, readv
    Send,             // sendto, sendmsg, sendmmsg, write, writev
    Other,            // accept, accept4, close, io_uring_enter
    SelectReadiness,  // select results walked per fd (exit_select; exit_select_basic lacks it)
    PollReadiness,    // poll results walked per fd (exit_poll)
    EpollReadiness,   // epoll events walked per fd (exit_epoll_wait)
    WaitCpuTime,      // on_switch (sched_switch): waits.cpu_ns
    EpollWatched,     // eventpoll.refcount (Linux >= 6.4): epoll's share of waits.watched
    Follow,           // on_fork: -f and launched commands follow their children
};

// Stable names used in JSON and --check ("select_counts", "epoll_watched"...).
const char* part_name(Part p);

// The syscalls (enum iot_sys) whose rows a counting part owns (SelectCounts:
// select and pselect6...); empty for the parts that count no syscall.
const std::vector<int>& syscalls_of(Part p);
// Every part, in enum order.
const std::vector<Part>& all_parts();

struct Availability {
    std::map<Part, std::string> missing;  // part -> why, one line ("exit_select: BPF program is too large...")

    bool has(Part p) const { return missing.find(p) == missing.end(); }
    bool complete() const { return missing.empty(); }
};

// One BPF program as the kernel took it (or not).
struct ProgramLoad {
    std::string name;             // "sys_enter", "exit_select", ...
    bool loaded = false;          // verified and loaded
    bool forced = false;          // not loaded because --fail-prog named it (tests)
    uint64_t verified_insns = 0;  // /proc/self/fdinfo "verified_insns" (0 when unknown)
    double load_ms = 0;           // from its load's start to the next program's (the kernel's stamps): verification mostly
    std::string error;            // why it did not load: "BPF program is too large. Processed 1000001 insn"
};

struct LoadReport {
    std::vector<ProgramLoad> programs;  // in load order
    Availability availability;
    std::string verifier_log_path;      // -v: where the failed programs' verifier logs were written ("" if none)
};

}  // namespace iotrace
