// The expected readiness figures, scenario by scenario, each derived in a
// comment from the scenario's code in tests/workloads/readiness.c (whose
// every return value and returned event is checked by the workload itself;
// the syscall sequences were checked with strace).
//
// The contract (issue 3), in short:
//   waiter       an epoll instance (epoll family), a thread (select, pselect6,
//                poll, ppoll); each of its wait calls gets the next number.
//   report       select read/write set, poll POLLIN/POLLOUT in revents,
//                epoll EPOLLIN/EPOLLOUT; `reported` counts readable plus
//                writable reports. The fd's entry exists from its first
//                report; reads/writes before that are not in it.
//   drain        a read-family call (recvfrom, recvmsg, recvmmsg, read, readv;
//                accept/accept4 count as reads, EAGAIN from them drains)
//                returning EAGAIN, 0, or less than asked (recvmmsg: fewer
//                messages than vlen).
//   U / P        LT re-report (select, poll, epoll without EPOLLET, ONESHOT
//                included): the waiter's previous wait also reported the fd
//                readable, no drain and no close since; U (unread) if no
//                read-family call since, else P (partial).
//   W            the same for writable, with no send-family call since.
//   ET           an epoll event for an EPOLLET registration; undrained if
//                its waiter enters its next wait before a drain of the fd.
//   S            ET stall: an ET notification of an fd whose previous ET
//                notification (any waiter) was followed by no drain and no
//                close of the fd (by any thread) until this one.
//   H            herd re-report: an epoll waiter reports the fd readable
//                to a thread other than the one its last readable report of
//                the fd went to, and the fd was neither read nor closed
//                since (any trigger; select/poll waiters are threads).
//   wakeups      wait calls that blocked and were woken.
// The thread entries count wait calls, wakeups, ready events (the positive
// returns of the thread's waits) and receive calls (recv family; accept is
// not a receive).
#include "readiness_expected.h"

#include <stdexcept>

namespace itest {
namespace {

const std::string kPid = "{pid}";

// ---- epoll_lt ---------------------------------------------------------------
ReadinessExp epoll_lt() {
    ReadinessExp e;
    // Epoll 50's waits w1..w19 (timeout 0: no wakeup).
    // Phase A, unix stream 40 (30 bytes queued):
    //   w1 first; w2 U; read 10 (full); w3 P; recvfrom 10 (full); w4 P;
    //   readv 5+5 -> 10 (full, queue empty); w5 nothing; +5 bytes; w6: w5
    //   did not report 40: no; recvmsg 8+8 -> 5 (short: drain 1); +5; w7:
    //   drained: no; read 5 -> 5; read -> EAGAIN (drain 2); +5; w8: no;
    //   read 5 -> 5; peer shuts down; w9 (EOF pending): read since w8, no
    //   drain: P; read -> 0 (EOF: drain 3); w10: no; w11 U.
    //   40: reported 10 (all but w5), reads 8, bytes 10+10+10+5+5+0+5+0 = 45,
    //   eagain 1, drains 3, U 2 (w2 w11), P 3 (w3 w4 w9)
    // Phase B, unix dgram 46 (three 10-byte datagrams):
    //   w12 first; recvmmsg vlen 2 -> 2 (== vlen: no drain, 20 bytes); w13 P;
    //   recvmmsg vlen 2 -> 1 (< vlen: drain, 10 bytes); +1 datagram; w14:
    //   drained: no; w15 U.
    //   46: reported 4, reads 2, bytes 30 (the bytes received, not the
    //   message count), drains 1, U 1, P 1
    // Phase C, tcp listener 51 on 127.0.0.1, two connections queued:
    //   w16 first; accept (a read); w17 P; accept4 (a read); accept -> EAGAIN
    //   (read, eagain, drain); a third connection queued; w18: no; w19 U.
    //   51: reported 4, reads 3, bytes 0, eagain 1, drains 1, U 1, P 1
    e.sys["epoll_ctl"] = {.calls = 6};  // ADD + DEL per phase
    e.sys["epoll_wait"] = {.calls = 19};
    e.sys["read"] = {.calls = 5, .errors = 1, .eagain = 1};
    e.sys["recvfrom"] = {.calls = 1};
    e.sys["readv"] = {.calls = 1};
    e.sys["recvmsg"] = {.calls = 1};
    e.sys["recvmmsg"] = {.calls = 2};
    e.sys["accept"] = {.calls = 2, .errors = 1, .eagain = 1};
    e.sys["accept4"] = {.calls = 1};
    e.waits = {.calls = 19, .empty = 1 /* w5 */, .ready = 18, .wakeups = 0};
    // recv: 5 read + recvfrom + readv + recvmsg + 2 recvmmsg; bytes 45 + 30;
    // EOF: the read -> 0; short: recvmsg (5 < 16), recvmmsg (1 < 2)
    e.recv = {.calls = 10, .bytes = 75, .eagain = 1, .eof = 1, .short_ = 2};
    e.readiness = {.unread = 2 + 1 + 1, .partial = 3 + 1 + 1};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "lt", .reported = 10, .reads = 8, .bytes = 45, .eagain = 1,
         .drains = 3, .lt_unread = 2, .lt_partial = 3},
        {.fd = 46, .kind = "unix", .trigger = "lt", .reported = 4, .reads = 2, .bytes = 30, .drains = 1,
         .lt_unread = 1, .lt_partial = 1},
        {.fd = 51, .kind = "tcp", .trigger = "lt", .local = "127.0.0.1:{listen_port}", .peer = "",
         .reported = 4, .reads = 3, .eagain = 1, .drains = 1, .lt_unread = 1, .lt_partial = 1},
    };
    e.threads = {{.tid = kPid, .waits = 19, .wakeups = 0, .recv = 10, .ready = 18}};
    return e;
}

// ---- select_lt ----------------------------------------------------------------
ReadinessExp select_lt() {
    ReadinessExp e;
    // The thread's waits s1..s15 (select, pselect6 and poll alike); e1 is
    // epoll 50's (empty interest list) and does not break the thread's chain.
    //   s1 40r first; s2 (pselect6) 40r U; read 5 (full); s3 (poll) 40r P;
    //   e1 -> 0; s4 40r U (prev is s3, nothing read since); recvfrom 15
    //   (full, queue empty); s5 -> 0; +5; s6 40r: s5 did not report: no;
    //   s7 40r U; read 64 -> 5 (short: drain); +5; s8 40r: drained: no;
    //   s9 EBADF (reports nothing); s10 40r: s9 did not report: no;
    //   s11 43w first; s12 43w W; write 43; s13 43w: written: no;
    //   s14 r={40} w={40,43} -> 3: 40r: s13 did not report it readable: no,
    //   40w first, 43w W; s15 r={40} w={40} -> 2: 40r U, 40w W.
    //   40: reported 10 readable (s1-s4, s6-s8, s10, s14, s15) + 2 writable
    //   (s14, s15) = 12, reads 3, bytes 5+15+5 = 25, drains 1, U 4 (s2 s4 s7
    //   s15), P 1 (s3), W 1 (s15); trigger: select (last report)
    //   43: reported 4 (s11-s14), writes 1, W 2 (s12 s14)
    e.sys["select"] = {.calls = 13, .errors = 1};  // s1 s4-s15; s9 EBADF
    e.sys["pselect6"] = {.calls = 1};
    e.sys["poll"] = {.calls = 1};
    e.sys["epoll_wait"] = {.calls = 1};
    e.sys["read"] = {.calls = 2};
    e.sys["recvfrom"] = {.calls = 1};
    e.sys["write"] = {.calls = 1};
    // ready: s1-s4, s6-s8, s10-s13 one each (11) + s14 3 + s15 2
    e.waits = {.calls = 16, .empty = 2 /* s5 e1 */, .ready = 16, .wakeups = 0};
    e.recv = {.calls = 3, .bytes = 25, .short_ = 1};
    e.readiness = {.unread = 4, .partial = 1, .write_unwritten = 1 + 2};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "select", .reported = 12, .reads = 3, .bytes = 25, .drains = 1,
         .lt_unread = 4, .lt_partial = 1, .write_rereports = 1},
        {.fd = 43, .kind = "unix", .trigger = "select", .reported = 4, .writes = 1, .write_rereports = 2},
    };
    e.threads = {{.tid = kPid, .waits = 16, .wakeups = 0, .recv = 3, .ready = 16}};
    return e;
}

// ---- poll_lt ------------------------------------------------------------------
ReadinessExp poll_lt() {
    ReadinessExp e;
    // The thread's waits p1..p6 over {40 IN|OUT, 44 IN, 45 OUT, -1, 61 (closed:
    // POLLNVAL, ready for the kernel, no report)}; 40 unix (10 bytes), pipe
    // 44 <- 45 (10 bytes).
    //   p1 -> 4: 40r 40w 44r 45w first.
    //   p2 (ppoll) -> 4: 40r U, 40w W, 44r U, 45w W.
    //   recvfrom 40 4 (full); read 44 4 (full); sendmsg 40 1; write 45 1.
    //   p3 -> 4: 40r P, 40w written: no, 44r P, 45w written: no.
    //   recvfrom 40 6 (full, empty now); recvfrom 40 -> EAGAIN (drain);
    //   read 44 64 -> 7 (short: drain).
    //   p4 -> 3 (40w, 45w, 61): 40w W, 45w W.
    //   +3 on 40, +3 on 44.
    //   p5 -> 4: 40r: p4 did not report it: no; 40w W; 44r: no; 45w W.
    //   p6 -> 4: 40r U, 40w W, 44r U, 45w W.
    //   40: reported 5 readable (p1 p2 p3 p5 p6) + 6 writable = 11, reads 3,
    //   bytes 4+6 = 10, eagain 1, drains 1, writes 1, U 2 (p2 p6), P 1 (p3),
    //   W 4 (p2 p4 p5 p6)
    //   44: reported 5, reads 2, bytes 4+7 = 11, drains 1, U 2, P 1
    //   45: reported 6, writes 1, W 4 (p2 p4 p5 p6)
    e.sys["poll"] = {.calls = 5};
    e.sys["ppoll"] = {.calls = 1};
    e.sys["recvfrom"] = {.calls = 3, .errors = 1, .eagain = 1};
    e.sys["read"] = {.calls = 2};
    e.sys["sendmsg"] = {.calls = 1};
    e.sys["write"] = {.calls = 1};
    e.waits = {.calls = 6, .empty = 0, .ready = 4 + 4 + 4 + 3 + 4 + 4, .wakeups = 0};
    e.recv = {.calls = 5, .bytes = 4 + 4 + 6 + 7, .eagain = 1, .short_ = 1};
    e.readiness = {.unread = 2 + 2, .partial = 1 + 1, .write_unwritten = 4 + 4};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "poll", .reported = 11, .reads = 3, .bytes = 10, .eagain = 1,
         .drains = 1, .writes = 1, .lt_unread = 2, .lt_partial = 1, .write_rereports = 4},
        {.fd = 44, .kind = "pipe", .trigger = "poll", .reported = 5, .reads = 2, .bytes = 11, .drains = 1,
         .lt_unread = 2, .lt_partial = 1},
        {.fd = 45, .kind = "pipe", .trigger = "poll", .reported = 6, .writes = 1, .write_rereports = 4},
    };
    e.threads = {{.tid = kPid, .waits = 6, .wakeups = 0, .recv = 5, .ready = 4 + 4 + 4 + 3 + 4 + 4}};
    return e;
}

// ---- epoll_out ----------------------------------------------------------------
ReadinessExp epoll_out() {
    ReadinessExp e;
    // Epoll 50, 40 registered EPOLLOUT, then (MOD) EPOLLIN|EPOLLOUT:
    //   w1 40w first; w2 W; w3 W; sendto 1; w4: written: no; w5 W;
    //   MOD (does not break a chain); +5 bytes; w6 40r first, 40w W;
    //   w7 40r U, 40w W; writev 2; read 2 (full); w8 40r P, 40w: written: no.
    //   40: reported 5 + 2 + 2 + 2 = 11, reads 1, bytes 2, writes 2, U 1, P 1,
    //   W 5 (w2 w3 w5 w6 w7)
    e.sys["epoll_ctl"] = {.calls = 2};
    e.sys["epoll_wait"] = {.calls = 8};
    e.sys["sendto"] = {.calls = 1};
    e.sys["writev"] = {.calls = 1};
    e.sys["read"] = {.calls = 1};
    e.waits = {.calls = 8, .empty = 0, .ready = 8, .wakeups = 0};
    e.recv = {.calls = 1, .bytes = 2};
    e.readiness = {.unread = 1, .partial = 1, .write_unwritten = 5};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "lt", .reported = 11, .reads = 1, .bytes = 2, .writes = 2,
         .lt_unread = 1, .lt_partial = 1, .write_rereports = 5},
    };
    e.threads = {{.tid = kPid, .waits = 8, .wakeups = 0, .recv = 1, .ready = 8}};
    return e;
}

// ---- epoll_et -----------------------------------------------------------------
ReadinessExp epoll_et() {
    ReadinessExp e;
    // Epoll 50, 40 and 42 registered EPOLLIN|EPOLLET:
    //   +100 on 40; w1 ET 40; read 10 (full); w2 judges 40: undrained (1);
    //   -> 0. +10; w3 ET 40; read 200 -> 100 (short: drain); w4: drained ->
    //   0. +10 on 40 and 42; w5 ET 40, ET 42; read 10 (full); read -> EAGAIN
    //   (drain); recvfrom 42 5 (full); w6: 40 drained, 42 undrained (2) -> 0;
    //   w7 nothing pending -> 0; 43 shuts down; w8 ET 42; read 42 64 -> 5
    //   (short: drain); w9: drained -> 0; +1 on 40; w10 ET 40; +1; w11
    //   judges 40: undrained (3); ET 40 (never an LT re-report); read 64 -> 2
    //   (short: drain); w12: drained -> 0.
    //   40: reported 5 (w1 w3 w5 w10 w11), reads 5, bytes 10+100+10+2 = 122,
    //   eagain 1, drains 3, ET 5, undrained 2 (w1's, w10's)
    //   42: reported 2 (w5 w8), reads 2, bytes 5+5 = 10, drains 1, ET 2,
    //   undrained 1 (w5's)
    // Stalls, judged at each ET notification against the fd's previous one:
    //   40: w3 (w1's: only read 10, full) S; w5 (read2 drained) no; w10
    //   (read4 drained) no; w11 (w10's: nothing read) S -> 2
    //   42: w8 (w5's: recvfrom 5, full) S: the 5 bytes sat until EOF -> 1
    e.sys["epoll_ctl"] = {.calls = 2};
    e.sys["epoll_wait"] = {.calls = 12};
    e.sys["read"] = {.calls = 6, .errors = 1, .eagain = 1};
    e.sys["recvfrom"] = {.calls = 1};
    e.waits = {.calls = 12, .empty = 6 /* w2 w4 w6 w7 w9 w12 */, .ready = 7, .wakeups = 0};
    // short: 100 < 200, 5 < 64, 2 < 64
    e.recv = {.calls = 7, .bytes = 132, .eagain = 1, .short_ = 3};
    e.readiness = {.et_notifications = 7, .et_undrained = 3, .et_stalls = 3};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "et", .reported = 5, .reads = 5, .bytes = 122, .eagain = 1,
         .drains = 3, .et_notifications = 5, .et_undrained = 2, .et_stalls = 2},
        {.fd = 42, .kind = "unix", .trigger = "et", .reported = 2, .reads = 2, .bytes = 10, .drains = 1,
         .et_notifications = 2, .et_undrained = 1, .et_stalls = 1},
    };
    e.threads = {{.tid = kPid, .waits = 12, .wakeups = 0, .recv = 7, .ready = 7}};
    return e;
}

// ---- oneshot ------------------------------------------------------------------
ReadinessExp oneshot() {
    ReadinessExp e;
    // Epoll 50, 40 (10 bytes) registered EPOLLIN|EPOLLONESHOT (LT):
    //   w1 first; w2 disarmed -> 0; MOD; w3: w2 did not report: no; MOD;
    //   w4 U; read 4 (full); MOD; w5 P; read 64 -> 6 (short: drain); +5; MOD;
    //   w6: drained: no; MOD to EPOLLIN|EPOLLONESHOT|EPOLLET; w7 ET; w8
    //   judges it: undrained; disarmed -> 0.
    //   40: reported 6, reads 2, bytes 10, drains 1, U 1, P 1, ET 1,
    //   undrained 1; trigger: et, oneshot (w7, the last report); no stall
    //   (w7 is 40's only ET notification: its LT reports are none)
    e.sys["epoll_ctl"] = {.calls = 6};  // ADD + 5 MOD
    e.sys["epoll_wait"] = {.calls = 8};
    e.sys["read"] = {.calls = 2};
    e.waits = {.calls = 8, .empty = 2 /* w2 w8 */, .ready = 6, .wakeups = 0};
    e.recv = {.calls = 2, .bytes = 10, .short_ = 1};
    e.readiness = {.unread = 1, .partial = 1, .et_notifications = 1, .et_undrained = 1};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "et", .oneshot = true, .reported = 6, .reads = 2, .bytes = 10,
         .drains = 1, .lt_unread = 1, .lt_partial = 1, .et_notifications = 1, .et_undrained = 1},
    };
    e.threads = {{.tid = kPid, .waits = 8, .wakeups = 0, .recv = 2, .ready = 6}};
    return e;
}

// ---- preattach ----------------------------------------------------------------
ReadinessExp preattach() {
    ReadinessExp e;
    // Registered before attach (known from fdinfo only):
    //   ep1 50: 40 IN data C(40); 42 IN|ET data C(42); 44 OUT data 0x1234
    //   ep2 51: 40 IN data 42; 46 IN|ONESHOT data 40; 48 IN|ONESHOT|ET data 48
    // (C(fd) = 0xdeadbeef00000000|fd); 40, 42, 46, 48 hold 10 bytes each.
    // The events word is loaded as fdinfo shows it, mode bits included, so
    // the trigger and the oneshot flag come out as for a live registration.
    //   w1 (ep1 #1) -> 40r first, 42 ET, 44w first
    //   w2 (ep1 #2): judges 42: undrained; -> 40r U, 44w W
    //   w3 (ep2 #1) -> data 42 = fd 40: first for ep2: no; data 40 = fd 46:
    //   first, trigger oneshot; data 48: ET, trigger et, oneshot
    //   w4 (ep2 #2): judges 48: undrained; -> fd 40 U (46, 48 disarmed)
    //   read 40 64 -> 10, read 42 64 -> 10 (both short: drains)
    //   w5 (ep1 #3) -> 44w W
    //   40: reported 4, reads 1, bytes 10, drains 1, U 2
    //   42: reported 1, reads 1, bytes 10, drains 1, ET 1, undrained 1
    //   44: reported 3, W 2; 46: reported 1; 48: reported 1, ET 1, undrained 1
    //   No stall: 42 and 48 have one ET notification each.
    // The epoll_ctl calls ran before attach: not counted.
    e.sys["epoll_wait"] = {.calls = 5};
    e.sys["read"] = {.calls = 2};
    e.waits = {.calls = 5, .empty = 0, .ready = 3 + 2 + 3 + 1 + 1, .wakeups = 0};
    e.recv = {.calls = 2, .bytes = 20, .short_ = 2};
    e.readiness = {.unread = 2, .write_unwritten = 2, .et_notifications = 2, .et_undrained = 2};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "lt", .reported = 4, .reads = 1, .bytes = 10, .drains = 1,
         .lt_unread = 2},
        {.fd = 42, .kind = "unix", .trigger = "et", .reported = 1, .reads = 1, .bytes = 10, .drains = 1,
         .et_notifications = 1, .et_undrained = 1},
        {.fd = 44, .kind = "unix", .trigger = "lt", .reported = 3, .write_rereports = 2},
        {.fd = 46, .kind = "unix", .trigger = "oneshot", .oneshot = true, .reported = 1},
        {.fd = 48, .kind = "unix", .trigger = "et", .oneshot = true, .reported = 1, .et_notifications = 1,
         .et_undrained = 1},
    };
    e.threads = {{.tid = kPid, .waits = 5, .wakeups = 0, .recv = 2, .ready = 3 + 2 + 3 + 1 + 1}};
    return e;
}

// ---- cookies ------------------------------------------------------------------
ReadinessExp cookies() {
    ReadinessExp e;
    // ep1 50: 40 IN data &g_conns[0] (a pointer), 42 IN data 40 (another fd's
    // number); ep2 51: 40 IN data C(40), 42 IN|ET data C(42). 40 and 42 hold
    // 10 bytes each.
    //   w1 (ep1 #1) -> 40 first, 42 first
    //   w2 (ep2 #1) -> 40 (first for ep2: no), 42 ET
    //   w3 (ep1 #2) -> 40 U, 42 U
    //   w4 (ep2 #2): judges 42: undrained; -> 40 U
    //   read 40 64 -> 10 (short: drain)
    //   w5 (ep1 #3) -> 42 U
    //   w6 (ep2 #3) -> 0
    //   MOD ep1 40 data 0xfeedface12345678; +5 on 40
    //   w7 (ep1 #4) -> 40 (under its new data; w5 did not report it: no),
    //   42 U
    //   w8 (ep2 #4) -> 40 (w6 did not report it: no)
    //   40: reported 6, reads 1, bytes 10, drains 1, U 2 (w3 w4)
    //   42: reported 5 (w1 w2 w3 w5 w7), U 3 (w3 w5 w7), ET 1, undrained 1;
    //   trigger: lt (w7, ep1); no stall (one ET notification)
    e.sys["epoll_ctl"] = {.calls = 5};
    e.sys["epoll_wait"] = {.calls = 8};
    e.sys["read"] = {.calls = 1};
    e.waits = {.calls = 8, .empty = 1 /* w6 */, .ready = 2 + 2 + 2 + 1 + 1 + 0 + 2 + 1, .wakeups = 0};
    e.recv = {.calls = 1, .bytes = 10, .short_ = 1};
    e.readiness = {.unread = 2 + 3, .et_notifications = 1, .et_undrained = 1};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "lt", .reported = 6, .reads = 1, .bytes = 10, .drains = 1,
         .lt_unread = 2},
        {.fd = 42, .kind = "unix", .trigger = "lt", .reported = 5, .lt_unread = 3, .et_notifications = 1,
         .et_undrained = 1},
    };
    e.threads = {{.tid = kPid, .waits = 8, .wakeups = 0, .recv = 1, .ready = 2 + 2 + 2 + 1 + 1 + 0 + 2 + 1}};
    return e;
}

// ---- threads ------------------------------------------------------------------
ReadinessExp threads() {
    ReadinessExp e;
    // Epoll 50 (40 LT, 30 bytes); the threads take turns, so its waits are:
    //   w1 main: first; w2 T1: U, H (main's, unread); T1 recvfrom 10 (full);
    //   w3 T2: P (T1 read it: no H); T2 read 10 (full); w4 T2: P (same
    //   thread: no H); w5 T3: U, H (T2's w4, unread); T3 read 64 -> 10
    //   (short: drain); T3 read -> EAGAIN (drain); w6 T1 -> 0; +5; w7 T2: w6
    //   did not report: no (T3 read since w5: no H); w8 T3: U, H (T2's w7).
    //   40: reported 7, reads 4, bytes 30, eagain 1, drains 2, U 3, P 2, H 3
    //   main: waits 1; T1: waits 2 (w2 w6), recv 1; T2: waits 3 (w3 w4 w7),
    //   recv 1; T3: waits 2 (w5 w8), recv 2
    e.sys["epoll_ctl"] = {.calls = 1};
    e.sys["epoll_wait"] = {.calls = 8};
    e.sys["recvfrom"] = {.calls = 1};
    e.sys["read"] = {.calls = 3, .errors = 1, .eagain = 1};
    e.waits = {.calls = 8, .empty = 1, .ready = 7, .wakeups = 0};
    e.recv = {.calls = 4, .bytes = 30, .eagain = 1, .short_ = 1};
    e.readiness = {.unread = 3, .partial = 2, .herd = 3};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "lt", .reported = 7, .reads = 4, .bytes = 30, .eagain = 1,
         .drains = 2, .lt_unread = 3, .lt_partial = 2, .herd = 3},
    };
    e.threads = {
        {.tid = "{tid0}", .waits = 1, .wakeups = 0, .recv = 0, .ready = 1},  // w1
        {.tid = "{tid1}", .waits = 2, .wakeups = 0, .recv = 1, .ready = 1},  // w2, w6 (empty)
        {.tid = "{tid2}", .waits = 3, .wakeups = 0, .recv = 1, .ready = 3},  // w3, w4, w7
        {.tid = "{tid3}", .waits = 2, .wakeups = 0, .recv = 2, .ready = 2},  // w5, w8
    };
    return e;
}

// ---- many ---------------------------------------------------------------------
ReadinessExp many() {
    ReadinessExp e;
    // fds 100..1099: eventfds, readable (counter 1) on 100 128 163 164 1099;
    // 127 is a pipe holding 1 byte. The thread's waits:
    //   s1 select(1100, all 1000) -> 6 firsts
    //   s2 pselect6 -> 6: U each
    //   read 127 1 -> 1 (full: no drain; the pipe is empty now)
    //   p1 poll(1000 entries) -> 5: U each (s2 reported them)
    //   p2 ppoll -> 5: U each
    //   100 128 163 164 1099: reported 4, U 3; trigger poll
    //   127: reported 2, reads 1, bytes 1, U 1; trigger select
    e.sys["select"] = {.calls = 1};
    e.sys["pselect6"] = {.calls = 1};
    e.sys["poll"] = {.calls = 1};
    e.sys["ppoll"] = {.calls = 1};
    e.sys["read"] = {.calls = 1};
    e.waits = {.calls = 4, .empty = 0, .ready = 6 + 6 + 5 + 5, .wakeups = 0};
    e.recv = {.calls = 1, .bytes = 1};
    e.readiness = {.unread = 5 * 3 + 1};
    for (int fd : {100, 128, 163, 164, 1099})
        e.fds.push_back({.fd = fd, .kind = "eventfd", .trigger = "poll", .reported = 4, .lt_unread = 3});
    e.fds.push_back(
        {.fd = 127, .kind = "pipe", .trigger = "select", .reported = 2, .reads = 1, .bytes = 1, .lt_unread = 1});
    e.threads = {{.tid = kPid, .waits = 4, .wakeups = 0, .recv = 1, .ready = 6 + 6 + 5 + 5}};
    return e;
}

// ---- reuse --------------------------------------------------------------------
ReadinessExp reuse() {
    ReadinessExp e;
    // 40, a pipe with 5 bytes (poll, the thread's waits):
    //   p1 first (classified pipe); p2 U; close(40); a unix socket (6 bytes)
    //   moved to 40 (dup2: not a close); read 40 2 (full; the number's
    //   entry counts it); p3: closed since p2: no; re-classified unix; p4 U.
    //   40: kind unix, reported 4, reads 1, bytes 2, U 2
    // 44, a tcp6 listener on ::1 with a connection queued (epoll 50):
    //   ADD; w1 first (tcp6); w2 U; close(44) (the registration goes with
    //   it); a udp socket on 127.0.0.1 with a datagram moved to 44; ADD;
    //   w3: closed since w2: no; re-classified udp; w4 U.
    //   44: kind udp, local 127.0.0.1:{udp_port} (all 16 address bytes of
    //   the new socket, nothing left of ::1), peer "" (unconnected),
    //   reported 4, U 2
    e.sys["poll"] = {.calls = 4};
    e.sys["close"] = {.calls = 2};
    e.sys["read"] = {.calls = 1};
    e.sys["epoll_ctl"] = {.calls = 2};
    e.sys["epoll_wait"] = {.calls = 4};
    e.waits = {.calls = 8, .empty = 0, .ready = 8, .wakeups = 0};
    e.recv = {.calls = 1, .bytes = 2};
    e.readiness = {.unread = 2 + 2};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "poll", .reported = 4, .reads = 1, .bytes = 2, .lt_unread = 2},
        {.fd = 44, .kind = "udp", .trigger = "lt", .local = "127.0.0.1:{udp_port}", .peer = "", .reported = 4,
         .lt_unread = 2},
    };
    e.threads = {{.tid = kPid, .waits = 8, .wakeups = 0, .recv = 1, .ready = 8}};
    return e;
}

// ---- sleep --------------------------------------------------------------------
ReadinessExp sleep_scenario() {
    ReadinessExp e;
    // e1 epoll_wait(100 ms), p1 poll(100 ms), s1 select(100 ms) on idle 42:
    // each blocks and is woken by its timeout -> 0: 3 wakeups.
    // e2 epoll_wait(5 s): blocks until the helper thread, 50 ms after it saw
    // it blocked, writes to 40's peer -> 40 first: a wakeup.
    // e3 epoll_wait(0) -> 40 at once: U, no wakeup.
    // e4 epoll_wait(5 s) -> 40 at once (already ready): U, no wakeup.
    // The helper makes no wait or receive call: no thread entry.
    // (Time bounds: readiness_test.cpp.)
    e.sys["epoll_ctl"] = {.calls = 2};
    e.sys["epoll_wait"] = {.calls = 4};
    e.sys["poll"] = {.calls = 1};
    e.sys["select"] = {.calls = 1};
    e.waits = {.calls = 6, .empty = 3, .ready = 3, .wakeups = 4};
    e.readiness = {.unread = 2};
    e.fds = {{.fd = 40, .kind = "unix", .trigger = "lt", .reported = 3, .lt_unread = 2}};
    e.threads = {{.tid = kPid, .waits = 6, .wakeups = 4, .recv = 0, .ready = 3}};
    return e;
}

// ---- preempt ------------------------------------------------------------------
ReadinessExp preempt() {
    ReadinessExp e;
    // 2000 select(1100, 1000 idle eventfds, timeout 0) -> 0, while a busy
    // thread pinned to the same CPU preempts them: none blocks, so no
    // wakeup; nothing reported, so no fds entry. The spinner makes no wait
    // or receive call: no thread entry. (The test also checks that the run
    // was preempted, and that preemption inside the waits is off CPU.)
    e.sys["select"] = {.calls = 2000};
    e.waits = {.calls = 2000, .empty = 2000, .ready = 0, .wakeups = 0};
    e.threads = {{.tid = kPid, .waits = 2000, .wakeups = 0, .recv = 0, .ready = 0}};
    return e;
}

// ---- herd ---------------------------------------------------------------------
ReadinessExp herd() {
    ReadinessExp e;
    // Pipe 40 (read end; 41 the write end) registered EPOLLIN (LT) on epoll
    // 50. Workers W0, W1, W2 enter epoll_wait(50, -1) one after the other,
    // each asleep in it before the next enters; after each the main thread
    // makes an empty epoll_wait(50, 0) (e). Epoll 50's waits in a round:
    // W0, e, W1, e, W2. Then 1 byte is written to 41 (pwritev2: not
    // probed). The callback wakes one waiter; its scan puts 40 back on the
    // ready list (LT) and wakes the next, and so on: all three workers are
    // handed 40 before anyone reads it. Then W(r mod 3) reads it (64 -> 1:
    // short, drain). 5 rounds; in each, whatever the order their exits are
    // seen in:
    //   the first report of 40: the last one (previous round) was read
    //   since: nothing; the second and third: H (the previous one went to
    //   another worker, unread). Never U: no two worker waits are
    //   consecutive waits of epoll 50.
    // Then the main thread: +1 byte; m1 -> 40: read since the last report:
    // nothing; m2 -> 40: U (its own m1: no H); read -> 1.
    //   40: reported 17, reads 6, bytes 6, drains 6, U 1, H 5 x 2 = 10
    // The workers slept in every wait: 15 wakeups; e and m1, m2 have timeout
    // 0 and do not sleep.
    e.sys["epoll_ctl"] = {.calls = 1};
    e.sys["epoll_wait"] = {.calls = 15 + 15 + 2};
    e.sys["read"] = {.calls = 6};
    e.waits = {.calls = 32, .empty = 15, .ready = 17, .wakeups = 15};
    e.recv = {.calls = 6, .bytes = 6, .short_ = 6};
    e.readiness = {.unread = 1, .herd = 10};
    e.fds = {
        {.fd = 40, .kind = "pipe", .trigger = "lt", .reported = 17, .reads = 6, .bytes = 6, .drains = 6,
         .lt_unread = 1, .herd = 10},
    };
    // W0 reads in rounds 0 and 3, W1 in 1 and 4, W2 in 2.
    e.threads = {
        {.tid = kPid, .waits = 15 + 2, .wakeups = 0, .recv = 1, .ready = 2},
        {.tid = "{tid0}", .waits = 5, .wakeups = 5, .recv = 2, .ready = 5},
        {.tid = "{tid1}", .waits = 5, .wakeups = 5, .recv = 2, .ready = 5},
        {.tid = "{tid2}", .waits = 5, .wakeups = 5, .recv = 1, .ready = 5},
    };
    return e;
}

// ---- thread_ready -------------------------------------------------------------
ReadinessExp thread_ready() {
    ReadinessExp e;
    // 40, 42, 44 hold 10 bytes each; 40, 42, 44 on epoll 50 (LT).
    // Main thread (waiter main):
    //   s1 select r={40,42,44} -> 3: firsts
    //   p1 poll {40,42} -> 2: U 40, U 42 (s1 reported both, nothing read)
    // Worker thread (epoll 50, a waiter of its own):
    //   w1 -> 40, 42, 44: firsts for epoll 50
    //   read 44 64 -> 10 (short: drain)
    //   w2 -> 40, 42: U 40, U 42 (44 drained, empty)
    //   read 40 64 -> 10 (short: drain)
    //   w3 -> 42: U
    //   40: reported 4, reads 1, bytes 10, drains 1, U 2; trigger lt (w2)
    //   42: reported 5, U 3; trigger lt (w3)
    //   44: reported 2, reads 1, bytes 10, drains 1
    // Threads: main 2 waits, 3 + 2 = 5 ready; worker 3 waits, 3 + 2 + 1 = 6
    // ready. (The share-of-waits estimate this replaces gave main 11 x 2/5 =
    // 4 and the worker 6.)
    e.sys["select"] = {.calls = 1};
    e.sys["poll"] = {.calls = 1};
    e.sys["epoll_ctl"] = {.calls = 3};
    e.sys["epoll_wait"] = {.calls = 3};
    e.sys["read"] = {.calls = 2};
    e.waits = {.calls = 5, .empty = 0, .ready = 3 + 2 + 3 + 2 + 1, .wakeups = 0};
    e.recv = {.calls = 2, .bytes = 20, .short_ = 2};
    e.readiness = {.unread = 2 + 3};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "lt", .reported = 4, .reads = 1, .bytes = 10, .drains = 1,
         .lt_unread = 2},
        {.fd = 42, .kind = "unix", .trigger = "lt", .reported = 5, .lt_unread = 3},
        {.fd = 44, .kind = "unix", .trigger = "lt", .reported = 2, .reads = 1, .bytes = 10, .drains = 1},
    };
    e.threads = {
        {.tid = kPid, .waits = 2, .wakeups = 0, .recv = 0, .ready = 5},
        {.tid = "{worker_tid}", .waits = 3, .wakeups = 0, .recv = 2, .ready = 6},
    };
    return e;
}

// ---- counters -----------------------------------------------------------------
ReadinessExp counters() {
    ReadinessExp e;
    // poll p1..p3 over 40 (eventfd, EFD_SEMAPHORE, counter 3), 41 (eventfd,
    // counter 1), 42 (timerfd, expired once). Each read asks for 8 bytes.
    //   p1 -> 3: firsts. read 40 -> 8, read 41 -> 8, read 42 -> 8: all full
    //   (8 of 8): no drain, whatever the kind.
    //   p2 -> 40 (counter 2): P. read 40 -> 8 (full); read 41 -> EAGAIN
    //   (drain); read 42 -> EAGAIN (drain).
    //   p3 -> 40 (counter 1): P.
    //   40: reported 3, reads 2, bytes 16, drains 0, P 2
    //   41, 42: reported 1, reads 2, bytes 8, eagain 1, drains 1
    e.sys["poll"] = {.calls = 3};
    e.sys["read"] = {.calls = 6, .errors = 2, .eagain = 2};
    e.waits = {.calls = 3, .empty = 0, .ready = 3 + 1 + 1, .wakeups = 0};
    e.recv = {.calls = 6, .bytes = 8 * 4, .eagain = 2};
    e.readiness = {.partial = 2};
    e.fds = {
        {.fd = 40, .kind = "eventfd", .trigger = "poll", .reported = 3, .reads = 2, .bytes = 16, .lt_partial = 2},
        {.fd = 41, .kind = "eventfd", .trigger = "poll", .reported = 1, .reads = 2, .bytes = 8, .eagain = 1,
         .drains = 1},
        {.fd = 42, .kind = "timerfd", .trigger = "poll", .reported = 1, .reads = 2, .bytes = 8, .eagain = 1,
         .drains = 1},
    };
    e.threads = {{.tid = kPid, .waits = 3, .wakeups = 0, .recv = 6, .ready = 3 + 1 + 1}};
    return e;
}

// ---- kinds --------------------------------------------------------------------
ReadinessExp kinds() {
    ReadinessExp e;
    // One poll, every fd readable and reported once (trigger poll):
    //   40 tcp listener 127.0.0.1:{l4} (a connection queued), peer ""
    //   41 tcp client {c41} -> {l4}; 42 its accepted peer {l4} -> {c41}
    //   43 tcp6 listener [::1]:{l6}; 44 client {c44} -> {l6}; 45 accepted
    //   48 udp 127.0.0.1:{u48}, unconnected; 49 udp {u49} connected to {u57}
    //   50 unix; 52 pipe; 54 eventfd; 55 timerfd (expired); 59 signalfd
    //   (SIGUSR2 pending); 60 epoll (50 ready in it); 61 file (memfd);
    //   62 other (inotify, an event queued)
    e.sys["poll"] = {.calls = 1};
    e.waits = {.calls = 1, .empty = 0, .ready = 16, .wakeups = 0};
    auto fd = [](int n, const char* kind, const char* local = "", const char* peer = "") {
        return FdExp{.fd = n, .kind = kind, .trigger = "poll", .local = local, .peer = peer, .reported = 1};
    };
    e.fds = {
        fd(40, "tcp", "127.0.0.1:{l4}"),
        fd(41, "tcp", "127.0.0.1:{c41}", "127.0.0.1:{l4}"),
        fd(42, "tcp", "127.0.0.1:{l4}", "127.0.0.1:{c41}"),
        fd(43, "tcp6", "[::1]:{l6}"),
        fd(44, "tcp6", "[::1]:{c44}", "[::1]:{l6}"),
        fd(45, "tcp6", "[::1]:{l6}", "[::1]:{c44}"),
        fd(48, "udp", "127.0.0.1:{u48}"),
        fd(49, "udp", "127.0.0.1:{u49}", "127.0.0.1:{u57}"),
        fd(50, "unix"),
        fd(52, "pipe"),
        fd(54, "eventfd"),
        fd(55, "timerfd"),
        fd(59, "signalfd"),
        fd(60, "epoll"),
        fd(61, "file"),
        fd(62, "other"),
    };
    e.threads = {{.tid = kPid, .waits = 1, .wakeups = 0, .recv = 0, .ready = 16}};
    return e;
}

}  // namespace

// ---- epoll_many -------------------------------------------------------------------
ReadinessExp epoll_many() {
    ReadinessExp e;
    // fds 100..199: readable eventfds, registered LT (data = fd) in the run;
    // w1 reports each first, w2 each again unread (U). 100 events per wait:
    // more than one chunk of the kernel side's read of the events.
    e.sys["epoll_ctl"] = {.calls = 100};
    e.sys["epoll_wait"] = {.calls = 2};
    e.waits = {.calls = 2, .empty = 0, .ready = 200, .wakeups = 0};
    e.readiness = {.unread = 100};
    for (int fd = 100; fd < 200; ++fd)
        e.fds.push_back({.fd = fd, .kind = "eventfd", .trigger = "lt", .reported = 2, .lt_unread = 1});
    e.threads = {{.tid = kPid, .waits = 2, .wakeups = 0, .recv = 0, .ready = 200}};
    return e;
}

// ---- et_handoff -------------------------------------------------------------------
ReadinessExp et_handoff() {
    ReadinessExp e;
    // Epoll 50, 40 registered EPOLLIN|EPOLLET; the main thread waits, the
    // reader thread reads, in turns. R = 100 rounds (HANDOFF_ROUNDS) of:
    //   +10 on 40; main: notify ET 40; main: again (-> 0) judges it:
    //   undrained (the reader has not run); reader: read 10 (full), read ->
    //   EAGAIN (drain).
    //   Stalls: each notification after the first finds the previous one
    //   drained (by the reader): none. The old judgement says R undrained.
    //   40: reported R, reads 2R, bytes 10R, eagain R, drains R, ET R,
    //   undrained R, S 0; no herd (every report goes to the main thread)
    constexpr uint64_t R = 100;
    e.sys["epoll_ctl"] = {.calls = 1};
    e.sys["epoll_wait"] = {.calls = 2 * R};
    e.sys["read"] = {.calls = 2 * R, .errors = R, .eagain = R};
    e.waits = {.calls = 2 * R, .empty = R, .ready = R, .wakeups = 0};
    e.recv = {.calls = 2 * R, .bytes = 10 * R, .eagain = R};
    e.readiness = {.et_notifications = R, .et_undrained = R, .et_stalls = 0};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "et", .reported = R, .reads = 2 * R, .bytes = 10 * R, .eagain = R,
         .drains = R, .et_notifications = R, .et_undrained = R, .et_stalls = 0},
    };
    e.threads = {
        {.tid = kPid, .waits = 2 * R, .wakeups = 0, .recv = 0, .ready = R},
        {.tid = "{reader_tid}", .waits = 0, .wakeups = 0, .recv = 2 * R, .ready = 0},
    };
    return e;
}

// ---- et_partial -------------------------------------------------------------------
ReadinessExp et_partial() {
    ReadinessExp e;
    // Epoll 50, 40 registered EPOLLIN|EPOLLET; one thread. R = 100 rounds
    // (PARTIAL_ROUNDS) of: +20 on 40; ET 40; read 10 (full: no drain). From
    // the second on each notification finds the previous one not drained: S
    // (R - 1); and each wait's start judges the previous wait's: undrained
    // (R - 1 within the rounds).
    //   late -> 0: judges the last round's: undrained (R in all); read 4096
    //   -> 10R (short: drain); +5; after: ET 40: drained since: no S; read
    //   64 -> 5 (short: drain); end -> 0: judges after's: drained.
    //   40: reported R + 1, reads R + 2, bytes 10R + 10R + 5, drains 2,
    //   ET R + 1, undrained R, S R - 1
    constexpr uint64_t R = 100;
    e.sys["epoll_ctl"] = {.calls = 1};
    e.sys["epoll_wait"] = {.calls = R + 3};
    e.sys["read"] = {.calls = R + 2};
    e.waits = {.calls = R + 3, .empty = 2 /* late, end */, .ready = R + 1, .wakeups = 0};
    e.recv = {.calls = R + 2, .bytes = 20 * R + 5, .short_ = 2};
    e.readiness = {.et_notifications = R + 1, .et_undrained = R, .et_stalls = R - 1};
    e.fds = {
        {.fd = 40, .kind = "unix", .trigger = "et", .reported = R + 1, .reads = R + 2, .bytes = 20 * R + 5,
         .drains = 2, .et_notifications = R + 1, .et_undrained = R, .et_stalls = R - 1},
    };
    e.threads = {{.tid = kPid, .waits = R + 3, .wakeups = 0, .recv = R + 2, .ready = R + 1}};
    return e;
}

const std::vector<ReadinessScenario>& readiness_scenarios() {
    static const std::vector<ReadinessScenario> v = {
        {"epoll_lt", true}, {"select_lt", true}, {"poll_lt", true}, {"epoll_out", true},
        {"epoll_et", true}, {"oneshot", true},   {"preattach", false}, {"cookies", true},
        {"threads", true},  {"many", true},      {"reuse", true},      {"sleep", true},
        {"counters", true}, {"preempt", true},   {"kinds", false},     {"thread_ready", true},
        {"herd", true},     {"epoll_many", true}, {"et_handoff", true}, {"et_partial", true},
    };
    return v;
}

ReadinessExp readiness_expected(const std::string& name) {
    if (name == "epoll_lt") return epoll_lt();
    if (name == "select_lt") return select_lt();
    if (name == "poll_lt") return poll_lt();
    if (name == "epoll_out") return epoll_out();
    if (name == "epoll_et") return epoll_et();
    if (name == "oneshot") return oneshot();
    if (name == "preattach") return preattach();
    if (name == "cookies") return cookies();
    if (name == "threads") return threads();
    if (name == "many") return many();
    if (name == "reuse") return reuse();
    if (name == "sleep") return sleep_scenario();
    if (name == "counters") return counters();
    if (name == "preempt") return preempt();
    if (name == "kinds") return kinds();
    if (name == "thread_ready") return thread_ready();
    if (name == "herd") return herd();
    if (name == "epoll_many") return epoll_many();
    if (name == "et_handoff") return et_handoff();
    if (name == "et_partial") return et_partial();
    throw std::invalid_argument("no readiness expectations for scenario " + name);
}

}  // namespace itest
