// Hand-built processes for the diagnosis tests: a builder that keeps the
// per-syscall rows and the family totals consistent, as the fold does.
#pragma once

#include <cstdint>
#include <string>

#include "analysis/figures.h"
#include "model/snapshot.h"

namespace iotrace::testing {

struct Proc {
    ProcessStats p;

    Proc() {
        p.pid = 100;
        p.comm = "srv";
    }

    Proc& waits(int sys, uint64_t calls) {
        p.syscalls[static_cast<size_t>(sys)].calls += calls;
        p.waits.calls += calls;
        return *this;
    }
    // The per-wait figures the kernel counts per process.
    Proc& wait_figs(uint64_t ready, uint64_t empty, uint64_t wakeups, uint64_t zero_timeout,
                    uint64_t zero_timeout_empty = 0) {
        p.waits.ready = ready;
        p.waits.empty = empty;
        p.waits.wakeups = wakeups;
        p.waits.zero_timeout = zero_timeout;
        p.waits.zero_timeout_empty = zero_timeout_empty;
        return *this;
    }
    Proc& scan(uint64_t watched, uint64_t scanned, uint64_t cpu_ns) {
        p.waits.watched = watched;
        p.waits.scanned = scanned;
        p.waits.cpu_ns = cpu_ns;
        return *this;
    }
    // Time in the waits of syscall sys, and of it on CPU: time_ns - cpu_ns
    // is time asleep.
    Proc& wait_time(int sys, uint64_t time_ns, uint64_t cpu_ns) {
        p.syscalls[static_cast<size_t>(sys)].time_ns += time_ns;
        p.waits.time_ns += time_ns;
        p.waits.cpu_ns += cpu_ns;
        return *this;
    }
    Proc& recv(int sys, uint64_t calls, uint64_t bytes, uint64_t eagain = 0, uint64_t blocked = 0, uint64_t eof = 0,
               uint64_t short_reads = 0, uint64_t time_ns = 0) {
        SyscallStats& s = p.syscalls[static_cast<size_t>(sys)];
        s.calls += calls;
        s.errors += eagain;
        s.eagain += eagain;
        s.time_ns += time_ns;
        p.recv.calls += calls;
        p.recv.bytes += bytes;
        p.recv.eagain += eagain;
        p.recv.blocked += blocked;
        p.recv.eof += eof;
        p.recv.short_reads += short_reads;
        p.copy.recv_bytes += bytes;
        return *this;
    }
    Proc& send(uint64_t calls, uint64_t bytes, uint64_t eagain = 0, uint64_t time_ns = 0) {
        SyscallStats& s = p.syscalls[IOT_SENDTO];
        s.calls += calls;
        s.errors += eagain;
        s.eagain += eagain;
        s.time_ns += time_ns;
        p.send.calls += calls;
        p.send.bytes += bytes;
        p.send.eagain += eagain;
        p.copy.send_bytes += bytes;
        return *this;
    }
    // errors: failed accepts, EAGAIN included.
    Proc& accept(uint64_t calls, uint64_t eagain, uint64_t blocked, uint64_t errors = 0) {
        SyscallStats& s = p.syscalls[IOT_ACCEPT4];
        s.calls += calls;
        s.errors += errors > eagain ? errors : eagain;
        s.eagain += eagain;
        p.accept.calls += calls;
        p.accept.eagain += eagain;
        p.accept.blocked += blocked;
        return *this;
    }
    Proc& calls(int sys, uint64_t n) {
        p.syscalls[static_cast<size_t>(sys)].calls += n;
        return *this;
    }
    Proc& fd(int n, const char* kind, const char* trigger, uint64_t reported, const char* local = "",
             const char* peer = "") {
        FdStats f;
        f.fd = n;
        f.kind = kind;
        f.trigger = trigger;
        f.oneshot = std::string(trigger) == "oneshot";  // as the kernel side derives both
        f.reported = reported;
        f.local = local;
        f.peer = peer;
        p.fds.push_back(f);
        return *this;
    }
    // n connection fds (tcp, with a peer) numbered from first.
    Proc& conns(int first, int n, const char* trigger, uint64_t reported_each) {
        for (int i = 0; i < n; ++i) fd(first + i, "tcp", trigger, reported_each, "10.0.0.1:80", "10.0.0.2:40000");
        return *this;
    }
    // n connection fds registered EPOLLONESHOT with `trigger` ("et": EPOLLET|EPOLLONESHOT).
    Proc& oneshot_conns(int first, int n, const char* trigger, uint64_t reported_each) {
        conns(first, n, trigger, reported_each);
        for (size_t i = p.fds.size() - static_cast<size_t>(n); i < p.fds.size(); ++i) p.fds[i].oneshot = true;
        return *this;
    }
    // Every fd so far: `each` EAGAIN reads (fds[].eagain).
    Proc& fd_eagain(uint64_t each) {
        for (FdStats& f : p.fds) f.eagain = each;
        return *this;
    }
    Proc& thread(const ThreadStats& t) {
        p.threads.push_back(t);
        return *this;
    }
    operator const ProcessStats&() const { return p; }
};

// A thread with the figures the classifier reads.
inline ThreadStats thread(int tid, const char* comm) {
    ThreadStats t;
    t.tid = tid;
    t.comm = comm;
    return t;
}

}  // namespace iotrace::testing
