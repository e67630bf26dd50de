// Which figures of one process a degraded load left unknown: the outputs
// print them as null / "n/a" and the diagnosis draws nothing from them. A
// pure function of the process and the Availability (src/model/availability.h),
// so the rules below are unit-tested without a kernel.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "model/availability.h"
#include "model/snapshot.h"

namespace iotrace {

struct UnavailableFigures {
    std::array<bool, IOT_NR_SYS> syscalls{};  // syscall rows, by enum iot_sys
    bool waits = false;          // every waits.* figure
    bool waits_cpu_ns = false;   // waits.cpu_ns (also true when waits is)
    bool waits_watched = false;  // waits.watched (also true when waits is)
    bool recv = false;           // recv.*
    bool send = false;           // send.*
    bool accept = false;         // accept.*
    bool copy_wait_in = false;   // copy.wait_in_bytes (the waits and epoll_ctl)
    bool copy_wait_out = false;  // copy.wait_out_bytes
    bool copy_recv = false;      // copy.recv_bytes
    bool copy_send = false;      // copy.send_bytes
    bool readiness = false;      // the readiness block and fds[]
    bool thread_waits = false;   // per thread: waits, wakeups, ready, *_waits, zero_timeout
    bool thread_recv = false;    // per thread: recv, recv_eagain, recv_blocked
    bool thread_accepts = false; // per thread: accepts, accept_blocked
    bool thread_uring = false;   // per thread: uring_enters

    bool any_syscall() const;
    bool copy_any() const { return copy_wait_in || copy_wait_out || copy_recv || copy_send; }
    bool any() const;
    // The names the JSON's per-process "unavailable" lists, in document
    // order: "syscalls.select", "waits", "waits.cpu_ns", "readiness", ...
    // (docs/json.md). A group name ("waits") stands for all its members.
    std::vector<std::string> names() const;
};

UnavailableFigures unavailable_figures(const ProcessStats& p, const Availability& a);

// "select readiness", "wait cpu time": a part as a sentence names it.
std::string part_label(Part p);

// One line per missing part: "select readiness unavailable: exit_select: why".
std::vector<std::string> missing_part_lines(const Availability& a);

}  // namespace iotrace
