// A fixed, hand-made snapshot for the exposition tests (serve_*_test.cpp):
// two nginx workers (one comm, summed), a redis-server, a process whose name
// needs escaping and one whose name is not UTF-8, with their diagnoses set
// by hand (the merged nginx entry is diagnosed on its sums by label_sets).
#pragma once

#include "model/snapshot.h"
#include "serve/exposition.h"

namespace iotrace::testing {

// A wait syscall row: calls spread over two log2 slots, time in ns.
inline void wait_row(ProcessStats& p, int sys, uint64_t calls, size_t slot, uint64_t time_ns) {
    SyscallStats& s = p.syscalls[static_cast<size_t>(sys)];
    s.calls += calls;
    s.time_ns += time_ns;
    s.hist_log2_ns[slot] += calls - calls / 4;
    s.hist_log2_ns[slot + 3] += calls / 4;
    p.waits.calls += calls;
    p.waits.time_ns += time_ns;
}

// A receive or send row: calls in one log2 slot, some of them EAGAIN.
inline void io_row(ProcessStats& p, int sys, uint64_t calls, uint64_t eagain, size_t slot) {
    SyscallStats& s = p.syscalls[static_cast<size_t>(sys)];
    s.calls += calls;
    s.errors += eagain;
    s.eagain += eagain;
    s.hist_log2_ns[slot] += calls;
}

inline void recv_row(ProcessStats& p, int sys, uint64_t calls, uint64_t bytes, uint64_t eagain) {
    io_row(p, sys, calls, eagain, 10);
    p.recv.calls += calls;
    p.recv.bytes += bytes;
    p.recv.eagain += eagain;
    p.copy.recv_bytes += bytes;
}

inline void send_row(ProcessStats& p, uint64_t calls, uint64_t bytes, uint64_t eagain) {
    io_row(p, IOT_SENDTO, calls, eagain, 11);
    p.send.calls += calls;
    p.send.bytes += bytes;
    p.send.eagain += eagain;
    p.copy.send_bytes += bytes;
}

// An nginx worker: edge-triggered epoll, reads until EAGAIN.
inline ProcessStats nginx_worker(int pid, uint64_t scale) {
    ProcessStats p;
    p.pid = pid;
    p.ppid = 100;
    p.comm = "nginx";
    p.target = true;
    wait_row(p, IOT_EPOLL_WAIT, 4000 * scale, 14, 900'000'000 * scale);
    p.waits.ready = 6000 * scale;
    p.waits.watched = 80'000 * scale;
    p.waits.scanned = 6000 * scale;
    p.waits.wakeups = 3900 * scale;
    p.waits.cpu_ns = 12'345'678 * scale;
    recv_row(p, IOT_RECVFROM, 8000 * scale, 4'096'000 * scale, 2000 * scale);
    send_row(p, 6000 * scale, 9'000'000 * scale, 0);
    p.accept.calls = 500 * scale;
    p.accept.eagain = 250 * scale;
    p.syscalls[IOT_ACCEPT4].calls = 500 * scale;
    p.syscalls[IOT_ACCEPT4].eagain = 250 * scale;
    p.syscalls[IOT_ACCEPT4].errors = 250 * scale;
    p.readiness.et_notifications = 5000 * scale;
    p.readiness.et_undrained = 7 * scale;
    for (int i = 0; i < 20; ++i) {
        FdStats f;
        f.fd = 10 + i;
        f.kind = "tcp";
        f.trigger = "et";
        f.reported = 300 * scale;
        f.et_notifications = 250 * scale;
        f.drains = 250 * scale;
        p.fds.push_back(f);
    }
    return p;
}

inline Snapshot exposition_fixture() {
    Snapshot snap;
    snap.version = "0.1.0";
    snap.duration_s = 60;
    snap.lost[IOT_LOST_USER_READ] = 3;
    snap.lost[IOT_LOST_FD_MAP_FULL] = 1;

    snap.processes.push_back(nginx_worker(101, 1));
    snap.processes.push_back(nginx_worker(102, 2));

    ProcessStats redis;
    redis.pid = 300;
    redis.comm = "redis-server";
    wait_row(redis, IOT_EPOLL_WAIT, 1000, 16, 2'000'000'000);
    redis.waits.empty = 10;
    redis.waits.ready = 1500;
    redis.waits.watched = 12'000;
    redis.waits.scanned = 1500;
    redis.waits.wakeups = 900;
    redis.waits.cpu_ns = 1'500'000;
    recv_row(redis, IOT_READ, 1500, 150'000, 0);
    send_row(redis, 1500, 300'000, 0);
    redis.readiness.lt_rereports_unread = 4;
    redis.readiness.lt_rereports_partial = 200;
    redis.readiness.lt_rereports = 204;
    redis.readiness.write_rereports_unwritten = 50;
    redis.diagnosis.model = {"epoll-lt", "", "high", {"1,000 waits, 100.0% epoll"}};
    redis.diagnosis.findings = {{"lt_rereports_partial", "medium", "text", {}},
                                {"epollout_busy_loop", "low", "text", {}}};
    snap.processes.push_back(redis);

    // A name with every character a label value escapes: a quote, a
    // backslash and a newline (a process can name itself anything).
    ProcessStats odd;
    odd.pid = 400;
    odd.comm = "sel\"ect\\er\nx";
    wait_row(odd, IOT_SELECT, 200, 12, 40'000'000);
    wait_row(odd, IOT_POLL, 20, 12, 1'000'000);
    odd.waits.ready = 220;
    odd.waits.watched = 220'000;
    odd.waits.scanned = 230'000;
    odd.waits.wakeups = 200;
    odd.waits.cpu_ns = 30'000'000;
    recv_row(odd, IOT_READ, 220, 22'000, 0);
    odd.diagnosis.model = {"select", "", "medium", {}};
    odd.diagnosis.findings = {{"select_scan_cost", "high", "text", {}}};
    snap.processes.push_back(odd);

    // Not UTF-8: the label value carries U+FFFD in place of the bad byte.
    ProcessStats bad;
    bad.pid = 500;
    bad.comm = "bad\xff" "name";
    bad.diagnosis.model = {"idle", "", "low", {}};
    snap.processes.push_back(bad);
    return snap;
}

inline SelfMetrics self_fixture() {
    SelfMetrics s;
    s.traced_processes = 5;
    s.label_sets_expired_early = 7;
    s.maps = {{"proc_stats", 5, 1024}, {"fds", 40, 65536}};
    s.scrape_duration_s = 0.00125;
    s.resident_bytes = 12'582'912;
    s.cpu_seconds = 1.5;
    s.start_time_s = 1'700'000'000;
    return s;
}

}  // namespace iotrace::testing
