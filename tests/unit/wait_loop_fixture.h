// A hand-built process for the tests of degraded reports: a wait loop with a
// figure in every section, so a test can see which turn null / "n/a".
#pragma once

#include <initializer_list>

#include "model/snapshot.h"

namespace iotrace::testing {

// pid 42 "srv": 10 waits of wait_sys (12 ready, 40 watched), 8 reads and 8
// writes of 100 bytes, fd 5 reported 12 times with `trigger`, 2 partial LT
// re-reports; the waits and reads shared evenly by the threads `tids`.
inline ProcessStats wait_loop(int wait_sys, const char* trigger, std::initializer_list<int> tids) {
    ProcessStats p;
    p.pid = 42;
    p.comm = "srv";
    p.syscalls[static_cast<size_t>(wait_sys)] = {10, 0, 0, 2'000'000, {}};
    p.syscalls[IOT_READ] = {8, 0, 0, 1'000'000, {}};
    p.syscalls[IOT_WRITE] = {8, 0, 0, 1'000'000, {}};
    p.waits = {10, 0, 12, 40, 40, 2'000'000, 5, 300'000, 0};
    p.recv = {8, 800, 0, 0, 0, 0};
    p.send = {8, 800, 0};
    p.copy = {320, 80, 800, 800};
    p.readiness.lt_rereports = p.readiness.lt_rereports_partial = 2;
    FdStats f;
    f.fd = 5;
    f.kind = "tcp";
    f.trigger = trigger;
    f.reported = 12;
    p.fds.push_back(f);
    const uint64_t n = tids.size();
    for (int tid : tids) {
        ThreadStats t;
        t.tid = tid;
        t.comm = "srv";
        t.waits = 10 / n;
        (wait_sys <= IOT_PSELECT6 ? t.select_waits : wait_sys <= IOT_PPOLL ? t.poll_waits : t.epoll_waits) = t.waits;
        t.recv = 8 / n;
        p.threads.push_back(t);
    }
    return p;
}

}  // namespace iotrace::testing
