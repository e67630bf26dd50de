// The expected figures, scenario by scenario. Each number is derived in a
// comment from the scenario's code in tests/workloads/iowork.c (every return
// value there is also checked by the workload itself, and strace_test.cpp
// checks the calls/errors columns against strace).
//
// Definitions (the contract iotrace implements):
//   waits.watched  select/pselect6: bits set below nfds, summed over the
//                  non-NULL sets; poll/ppoll: entries with fd >= 0; epoll:
//                  size of the interest list at the call. Not added (nor
//                  scanned) for a call failing with EBADF/EINVAL/EFAULT.
//   waits.scanned  select/poll: nfds; epoll: events returned.
//   copy.wait_in   select: FDS_BYTES(nfds) = ceil(nfds/64)*8 per non-NULL
//                  set unless it failed with EINVAL/EFAULT (an EBADF call
//                  copied its sets in before checking the fds); poll: 8 per
//                  entry; epoll_ctl ADD/MOD: 12 per call.
//   copy.wait_out  select: FDS_BYTES(nfds) per non-NULL set when it returned
//                  >= 0; poll: 2 per entry when it returned >= 0 or was
//                  interrupted (do_sys_poll writes revents back whatever
//                  do_poll returned); epoll waits: 12 per returned event.
//   recv.short     0 < returned < asked (len, or the sum of the iovecs;
//                  recvmmsg: 0 < messages < vlen).
#include "expected.h"

#include <stdexcept>

namespace itest {
namespace {

// select(2) or pselect6 (run_select_family): fds 40 readable, 41 writable,
// 42 idle, 61 never open.
Expect select_family(const std::string& sys) {
    Expect e;
    // select1: nfds 45, r={40,42,50} w={41} e={40} -> 2 (40 in, 41 out)
    //   watched: r 2 (bit 50 >= nfds 45 does not count) + w 1 + e 1 = 4
    //   scanned 45; in/out: FDS_BYTES(45) = 8 per set, 3 sets = 24 each
    // select2: nfds 43, r={42} -> 0: watched 1, scanned 43, in 8, out 8
    // select3: nfds 0, no sets -> 0: watched 0, scanned 0, no copy
    // select4: nfds 62, r={40,61} -> EBADF: nothing watched or scanned,
    //   in FDS_BYTES(62) = 8 (one set), out 0 (failed)
    e.sys[sys] = {.calls = 4, .errors = 1, .eagain = 0};
    e.waits = {.calls = 4, .empty = 2 /* select2, select3 */, .ready = 2, .watched = 4 + 1 + 0,
               .scanned = 45 + 43 + 0};
    e.copy = {.wait_in = 24 + 8 + 0 + 8, .wait_out = 24 + 8 + 0};
    return e;
}

// poll or ppoll (run_poll_family).
Expect poll_family(const std::string& sys) {
    Expect e;
    // poll1: {40 IN, 42 IN, -1, 41 OUT, -7}, nfds 5 -> 2
    //   watched 3 (fd >= 0), scanned 5, in 5*8 = 40, out 5*2 = 10
    // poll2: {42 IN} -> 0: watched 1, scanned 1, in 8, out 2
    // poll3: (NULL, 0) -> 0: nothing
    // poll4: {61 IN} -> 1 (POLLNVAL is a ready entry, not an error):
    //   watched 1, scanned 1, in 8, out 2
    e.sys[sys] = {.calls = 4, .errors = 0, .eagain = 0};
    e.waits = {.calls = 4, .empty = 2 /* poll2, poll3 */, .ready = 2 + 1, .watched = 3 + 1 + 0 + 1,
               .scanned = 5 + 1 + 0 + 1};
    e.copy = {.wait_in = 40 + 8 + 0 + 8, .wait_out = 10 + 2 + 0 + 2};
    return e;
}

// epoll_wait, epoll_pwait or epoll_pwait2 (run_epoll_family), epoll fd 50.
Expect epoll_family(const std::string& sys) {
    Expect e;
    // ctl1-4: ADD 40 IN, ADD 42 IN, ADD 41 OUT, ADD 43 IN -> interest list 4
    // wait1 (max 8) -> 2 (40 in, 41 out): watched 4, scanned 2, out 2*12
    // ctl5: MOD 41 IN; ctl6: DEL 40 -> interest list 3
    // wait2 (max 8) -> 0: watched 3, scanned 0
    // ctl7: ADD 40 -> 4; ctl8: ADD 40 again -> EEXIST (list stays 4)
    // wait3 (max 1) -> 1: watched 4, scanned 1, out 12
    // wait4: fd 61 -> EBADF; wait5: fd 40, not epoll -> EINVAL: nothing
    //   watched or scanned
    // epoll_ctl in: ADD/MOD calls ctl1-5, ctl7, ctl8 (the failing ADD also
    //   copied its event) = 7 * 12 = 84; DEL copies nothing
    e.sys[sys] = {.calls = 5, .errors = 2, .eagain = 0};
    e.sys["epoll_ctl"] = {.calls = 8, .errors = 1, .eagain = 0};
    e.waits = {.calls = 5, .empty = 1, .ready = 2 + 1, .watched = 4 + 3 + 4, .scanned = 2 + 0 + 1};
    e.copy = {.wait_in = 7 * 12, .wait_out = (2 + 1) * 12};
    return e;
}

// run_eintr: each wait is interrupted by a pending SIGALRM that its own
// sigmask unblocks; fd 42 is idle. The kernel returns -ERESTARTNOHAND
// (ppoll, pselect6) or -EINTR (epoll): errors, not EAGAIN, and not among
// EBADF/EINVAL/EFAULT, so watched and scanned are added.
Expect eintr() {
    Expect e;
    // ppoll({42 IN}, 1): watched 1, scanned 1, in 8, out 2 (interrupted:
    //   revents are still written back)
    // pselect6(43, r={42}): watched 1, scanned 43, in 8, out 0
    // epoll_ctl ADD 42 -> interest list 1, in 12
    // epoll_pwait: watched 1, scanned 0 (no event), out 0
    // epoll_pwait2: watched 1, scanned 0, out 0
    e.sys["ppoll"] = {.calls = 1, .errors = 1, .eagain = 0};
    e.sys["pselect6"] = {.calls = 1, .errors = 1, .eagain = 0};
    e.sys["epoll_ctl"] = {.calls = 1, .errors = 0, .eagain = 0};
    e.sys["epoll_pwait"] = {.calls = 1, .errors = 1, .eagain = 0};
    e.sys["epoll_pwait2"] = {.calls = 1, .errors = 1, .eagain = 0};
    e.waits = {.calls = 4, .empty = 0, .ready = 0, .watched = 4, .scanned = 1 + 43 + 0 + 0};
    e.copy = {.wait_in = 8 + 8 + 12, .wait_out = 2};
    return e;
}

// recvfrom, recvmsg (2 iovecs 30+30), read, readv (2 iovecs) — run_recv_family.
// fd 40 holds 100 bytes then EOF, 42 is empty and non-blocking, the pipe 7.
Expect recv_family(const std::string& sys, bool pipe_step) {
    Expect e;
    // recv1: asks 60 -> 60 (full)
    // recv2: asks 60 -> 40 (short)
    // recv3: asks 60 -> 0 (EOF)
    // recv4: fd 42 -> EAGAIN
    // recv5: fd 61 -> EBADF
    // recv6 (read/readv only): pipe, asks 7 -> 7 (full)
    uint64_t calls = pipe_step ? 6 : 5;
    uint64_t bytes = 60 + 40 + (pipe_step ? 7 : 0);
    e.sys[sys] = {.calls = calls, .errors = 2, .eagain = 1};
    e.recv = {.calls = calls, .bytes = bytes, .eagain = 1, .eof = 1, .short_ = 1};
    return e;
}

// sendto, sendmsg (2 iovecs), write, writev — run_send_family.
// fd 40 has room, 42 is non-blocking with a full send buffer.
Expect send_family(const std::string& sys, bool pipe_step) {
    Expect e;
    // send1: 100 -> 100; send2: 1 -> 1; send3: fd 42 -> EAGAIN;
    // send4: fd 61 -> EBADF; send5 (write/writev only): pipe, 5 -> 5
    uint64_t calls = pipe_step ? 5 : 4;
    e.sys[sys] = {.calls = calls, .errors = 2, .eagain = 1};
    e.send = {.calls = calls, .bytes = 100 + 1 + (pipe_step ? 5u : 0u), .eagain = 1};
    return e;
}

Expect recvmmsg() {
    Expect e;
    // fd 46 holds datagrams of 10, 20, 30, 40, 100 bytes; iovecs of 64.
    // mm1: vlen 2 -> 2 messages (10 + 20 bytes), not short (2 == vlen)
    // mm2: vlen 4 -> 3 messages (30 + 40 + 64: the 100-byte one truncated),
    //   short (3 < 4)
    // mm3: fd 48 empty, MSG_DONTWAIT -> EAGAIN; mm4: fd 61 -> EBADF
    e.sys["recvmmsg"] = {.calls = 4, .errors = 2, .eagain = 1};
    e.recv = {.calls = 4, .bytes = 10 + 20 + 30 + 40 + 64, .eagain = 1, .eof = 0, .short_ = 1};
    return e;
}

Expect sendmmsg() {
    Expect e;
    // smm1: 3 datagrams of 10, 20, 30 on fd 46 -> 3 (60 bytes)
    // smm2: fd 48 (send buffer full), MSG_DONTWAIT -> EAGAIN
    // smm3: fd 61 -> EBADF
    // smm4: 25 bytes, then a 300000-byte datagram (EMSGSIZE) -> 1 (25 bytes)
    e.sys["sendmmsg"] = {.calls = 4, .errors = 2, .eagain = 1};
    e.send = {.calls = 4, .bytes = 60 + 25, .eagain = 1};
    return e;
}

Expect accept_family(const std::string& sys) {
    Expect e;
    // Two connections queued on the non-blocking listener (fd 51):
    // accept 1, 2 -> new fds; 3 -> EAGAIN (queue empty); 4: fd 61 -> EBADF
    e.sys[sys] = {.calls = 4, .errors = 2, .eagain = 1};
    return e;
}

Expect close_scenario() {
    Expect e;
    // close(40) 0, close(41) 0, close(61) EBADF, close(40) again EBADF
    e.sys["close"] = {.calls = 4, .errors = 2, .eagain = 0};
    return e;
}

Expect uring() {
    Expect e;
    // io_uring_enter: submit one NOP -> 1; nothing to do -> 0; fd 61 -> EBADF
    e.sys["io_uring_enter"] = {.calls = 3, .errors = 1, .eagain = 0};
    return e;
}

}  // namespace

const std::vector<std::string>& fixed_scenarios() {
    // Same order as the scenarios[] table of iowork.c ("all" runs these).
    static const std::vector<std::string> names = {
        "select",   "pselect6", "poll",     "ppoll",    "epoll_wait", "epoll_pwait", "epoll_pwait2", "eintr",
        "recvfrom", "recvmsg",  "recvmmsg", "read",     "readv",      "sendto",      "sendmsg",
        "sendmmsg", "write",    "writev",   "accept",   "accept4",    "close",       "uring",
    };
    return names;
}

Expect expected(const std::string& name) {
    if (name == "select" || name == "pselect6") return select_family(name);
    if (name == "poll" || name == "ppoll") return poll_family(name);
    if (name == "epoll_wait" || name == "epoll_pwait" || name == "epoll_pwait2") return epoll_family(name);
    if (name == "eintr") return eintr();
    if (name == "recvfrom" || name == "recvmsg") return recv_family(name, false);
    if (name == "read" || name == "readv") return recv_family(name, true);
    if (name == "recvmmsg") return recvmmsg();
    if (name == "sendto" || name == "sendmsg") return send_family(name, false);
    if (name == "write" || name == "writev") return send_family(name, true);
    if (name == "sendmmsg") return sendmmsg();
    if (name == "accept" || name == "accept4") return accept_family(name);
    if (name == "close") return close_scenario();
    if (name == "uring") return uring();
    if (name == "all") {
        // "all" runs every fixed scenario in turn, each after its own
        // (untraced) set-up: the sum of them all.
        Expect sum;
        for (const auto& n : fixed_scenarios()) sum += expected(n);
        return sum;
    }
    throw std::invalid_argument("no expectations for scenario " + name);
}

Expect expected_spin(uint64_t n) {
    Expect e;
    // n times recvfrom(42, 16 bytes) on an empty non-blocking socket: EAGAIN
    e.sys["recvfrom"] = {.calls = n, .errors = n, .eagain = n};
    e.recv = {.calls = n, .bytes = 0, .eagain = n, .eof = 0, .short_ = 0};
    return e;
}

Expect expected_fork_parent() {
    Expect e;
    // after reaping the child (wait4, not probed): read(41, 64) -> 10, short
    e.sys["read"] = {.calls = 1, .errors = 0, .eagain = 0};
    e.recv = {.calls = 1, .bytes = 10, .eagain = 0, .eof = 0, .short_ = 1};
    return e;
}

Expect expected_fork_child() {
    Expect e;
    // sendto(40, 10 bytes) -> 10; recvfrom(42) -> EAGAIN; close(61) -> EBADF
    e.sys["sendto"] = {.calls = 1, .errors = 0, .eagain = 0};
    e.sys["recvfrom"] = {.calls = 1, .errors = 1, .eagain = 1};
    e.sys["close"] = {.calls = 1, .errors = 1, .eagain = 0};
    e.recv = {.calls = 1, .bytes = 0, .eagain = 1, .eof = 0, .short_ = 0};
    e.send = {.calls = 1, .bytes = 10, .eagain = 0};
    return e;
}

}  // namespace itest
