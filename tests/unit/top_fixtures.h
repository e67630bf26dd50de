// Hand-made frames for the iotrace top tests: processes whose cumulative
// counters are set (not added), so two frames give known differences.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "top/frame.h"
#include "top/top_state.h"

namespace iotrace::testing {

struct P {
    ProcessStats p;

    explicit P(ProcessStats from) : p(std::move(from)) {}
    explicit P(int pid, std::string comm = "srv", int uid = 1000) {
        p.pid = pid;
        p.comm = std::move(comm);
        p.uid = uid;
    }
    // Cumulative epoll_wait figures.
    P& waits(uint64_t calls, uint64_t ready = 0, uint64_t watched = 0, uint64_t empty = 0, uint64_t wakeups = 0,
             uint64_t time_ns = 0, uint64_t cpu_ns = 0) {
        SyscallStats& s = p.syscalls[IOT_EPOLL_WAIT];
        s.calls = calls;
        s.time_ns = time_ns;
        p.waits.calls = calls;
        p.waits.ready = ready;
        p.waits.watched = watched;
        p.waits.empty = empty;
        p.waits.wakeups = wakeups;
        p.waits.time_ns = time_ns;
        p.waits.cpu_ns = cpu_ns;
        return *this;
    }
    // Cumulative read figures.
    P& recv(uint64_t calls, uint64_t bytes = 0, uint64_t eagain = 0) {
        SyscallStats& s = p.syscalls[IOT_READ];
        s.calls = calls;
        s.errors = eagain;
        s.eagain = eagain;
        p.recv.calls = calls;
        p.recv.bytes = bytes;
        p.recv.eagain = eagain;
        p.copy.recv_bytes = bytes;
        return *this;
    }
    P& rereports(uint64_t lt, uint64_t et_undrained) {
        p.readiness.lt_rereports = lt;
        p.readiness.lt_rereports_unread = lt;
        p.readiness.et_undrained = et_undrained;
        return *this;
    }
    // Moves n of the waits to another wait syscall (the family counts follow the rows).
    P& as(int sys, uint64_t n) {
        p.syscalls[IOT_EPOLL_WAIT].calls -= n;
        p.syscalls[static_cast<size_t>(sys)].calls += n;
        return *this;
    }
    P& hist(size_t slot, uint64_t n) {
        p.syscalls[IOT_EPOLL_WAIT].hist_log2_ns[slot] = n;
        return *this;
    }
    P& thread(int tid, std::string comm, uint64_t waits, uint64_t wakeups = 0, uint64_t recv = 0,
              uint64_t recv_eagain = 0, uint64_t ready = 0) {
        ThreadStats t;
        t.tid = tid;
        t.comm = std::move(comm);
        t.waits = waits;
        t.epoll_waits = waits;
        t.wakeups = wakeups;
        t.recv = recv;
        t.recv_eagain = recv_eagain;
        t.ready = ready;
        p.threads.push_back(std::move(t));
        return *this;
    }
    P& fd(int fd, std::string kind, std::string trigger, uint64_t reported, uint64_t reads, uint64_t bytes,
          std::string peer = "") {
        FdStats f;
        f.fd = fd;
        f.kind = std::move(kind);
        f.trigger = std::move(trigger);
        f.reported = reported;
        f.reads = reads;
        f.bytes = bytes;
        f.peer = std::move(peer);
        p.fds.push_back(std::move(f));
        return *this;
    }
    P& exited() {
        p.exited = true;
        return *this;
    }
    operator ProcessStats() const { return p; }  // NOLINT: the builder stands for its process
};

inline TopFrame frame(double t_s, std::vector<ProcessStats> procs, uint64_t lost = 0) {
    TopFrame f;
    f.t_s = t_s;
    f.snap.version = "test";
    f.snap.duration_s = t_s;
    f.snap.lost[IOT_LOST_USER_READ] = lost;
    f.traced_processes = procs.size();
    f.snap.processes = std::move(procs);
    return f;
}

// A process that waits `rate` times a second from t = 0 (cumulative at t).
inline ProcessStats waiter(int pid, std::string comm, double rate, double t) {
    auto n = static_cast<uint64_t>(rate * t);
    return P(pid, std::move(comm)).waits(n, n, 0, 0, n, n * 1000, n * 100);
}

// Options with users named "u<uid>" (no passwd lookups) and a fixed clock.
inline TopOptions test_options() {
    TopOptions o;
    o.user_lookup = [](int uid) -> std::optional<std::string> { return "u" + std::to_string(uid); };
    return o;
}

inline constexpr double kWall = 1700000000;  // 2023-11-14T22:13:20Z

// The pids of rows, in order.
inline std::vector<int> pids(const std::vector<Row>& rows) {
    std::vector<int> out;
    for (const Row& r : rows) out.push_back(r.is_thread() ? r.tid : r.pid);
    return out;
}

}  // namespace iotrace::testing
