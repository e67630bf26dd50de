// Findings about the IO calls, values exact: busy polling, blocking
// switches, small reads, syscalls per message, bookkeeping copies,
// thundering herd; and the worst-first order.
#include <gtest/gtest.h>

#include "analysis/findings.h"
#include "diagnosis_fixtures.h"

namespace iotrace {
namespace {

using testing::Proc;
using Figs = std::vector<std::pair<std::string, double>>;

std::vector<std::string> ids(const std::vector<Finding>& all) {
    std::vector<std::string> out;
    for (const Finding& f : all) out.push_back(f.id);
    return out;
}

Finding only(const std::vector<Finding>& all, const std::string& id) {
    for (const Finding& f : all)
        if (f.id == id) return f;
    ADD_FAILURE() << "no " << id;
    return {};
}

bool has(const std::vector<Finding>& all, const std::string& id) {
    for (const Finding& f : all)
        if (f.id == id) return true;
    return false;
}

TEST(DiagnosisFindingsIo, BusyPollByEagain) {
    Proc s;
    s.recv(IOT_RECVFROM, 100000, 1'000'000, 90000, 0, 0, 0, 50'000'000);
    Finding f = only(find_issues(s, 10), "busy_poll");
    EXPECT_EQ(f.severity, "medium");
    EXPECT_EQ(f.text,
              "90,000 calls came back with nothing to do (9,000.0 per second: 0 of 0 zero-timeout waits came back "
              "empty, 90,000 of 90,000 EAGAIN calls beyond the 0 that drained a reported fd) and 0 slept: about 4.5 ms "
              "of CPU per second spins — block in the wait (epoll_wait with a timeout) instead of polling");
    double cpu_ms = 50e6 * (90000.0 / 100000.0) / 1e6 / 10;
    EXPECT_EQ(f.figures, (Figs{{"futile_calls", 90000},
                               {"futile_per_s", 9000},
                               {"zero_timeout_waits", 0},
                               {"zero_timeout_empty", 0},
                               {"eagain_calls", 90000},
                               {"eagain_drains", 0},
                               {"futile_eagain", 90000},
                               {"slept", 0},
                               {"cpu_ms_per_s", cpu_ms}}));
}

// Empty zero-timeout waits: their share of the on-CPU time in waits.
TEST(DiagnosisFindingsIo, BusyPollByZeroTimeout) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 200000).wait_figs(1000, 199000, 0, 200000, 199000).scan(0, 0, 400'000'000);
    s.recv(IOT_READ, 1000, 100'000);
    Finding f = only(find_issues(s, 2), "busy_poll");
    EXPECT_EQ(f.severity, "high");  // 99,500 per second
    EXPECT_EQ(f.figures.back().first, "cpu_ms_per_s");
    EXPECT_NEAR(f.figures.back().second, 199, 1e-9);
    EXPECT_NE(f.text.find("199,000 calls came back with nothing to do (99,500.0 per second: 199,000 of 200,000 "
                          "zero-timeout waits came back empty, 0 of 0 EAGAIN calls"),
              std::string::npos)
        << f.text;
    EXPECT_NE(f.text.find("about 199.0 ms of CPU per second spins"), std::string::npos);
    // Not busy-poll: no finding, whatever the EAGAIN.
    Proc ok;
    ok.waits(IOT_EPOLL_WAIT, 1000).wait_figs(2000, 0, 900, 0).recv(IOT_READ, 4000, 100'000, 2000);
    EXPECT_FALSE(has(find_issues(ok, 2), "busy_poll"));
}

// The asyncio figures of issue 10: zero-timeout waits mostly returning
// events. No busy_poll, and the few empty ones are not empty_wakeups either.
TEST(DiagnosisFindingsIo, ZeroTimeoutWaitsReturningEventsAreNotBusyPoll) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 9422).wait_figs(73099, 265, 265, 9157, 265).scan(0, 0, 100'000'000);
    s.recv(IOT_RECVFROM, 73099, 7'309'900).send(73099, 7'309'900).conns(5, 100, "lt", 730);
    std::vector<Finding> all = find_issues(s, 10);
    EXPECT_FALSE(has(all, "busy_poll"));
    EXPECT_FALSE(has(all, "empty_wakeups"));
}

// The Go figures of issue 10: edge-triggered reads until EAGAIN, one EAGAIN
// per report. Even when the process busy-polls on its empty zero-timeout
// waits, those EAGAIN are not counted as futile.
TEST(DiagnosisFindingsIo, BusyPollLeavesOutTheDrains) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 10000).wait_figs(2000, 8000, 0, 10000, 8000).scan(0, 0, 100'000'000);
    s.recv(IOT_READ, 4100, 1'000'000, 2100, 0, 0, 0, 41'000'000).conns(5, 40, "et", 50).fd_eagain(50);
    Finding f = only(find_issues(s, 1), "busy_poll");
    EXPECT_EQ(f.text,
              "8,100 calls came back with nothing to do (8,100.0 per second: 8,000 of 10,000 zero-timeout waits came "
              "back empty, 100 of 2,100 EAGAIN calls beyond the 2,000 that drained a reported fd) and 0 slept: about "
              "81.0 ms of CPU per second spins — block in the wait (epoll_wait with a timeout) instead of polling");
    // CPU: 80% of the waits' 100 ms, and 100 of the 2,100 EAGAIN reads' share (2,100 / 4,100) of 41 ms.
    ASSERT_EQ(f.figures.size(), 9u);
    EXPECT_EQ(Figs(f.figures.begin(), f.figures.end() - 1), (Figs{{"futile_calls", 8100},
                                                                  {"futile_per_s", 8100},
                                                                  {"zero_timeout_waits", 10000},
                                                                  {"zero_timeout_empty", 8000},
                                                                  {"eagain_calls", 2100},
                                                                  {"eagain_drains", 2000},
                                                                  {"futile_eagain", 100},
                                                                  {"slept", 0}}));
    EXPECT_EQ(f.figures.back().first, "cpu_ms_per_s");
    EXPECT_NEAR(f.figures.back().second, 80 + 41.0 * 100 / 4100, 1e-9);
    // Readiness not counted on this kernel: nothing is set aside as a drain.
    UnavailableFigures u;
    u.readiness = true;
    Finding blind = only(find_issues(s, 1, u), "busy_poll");
    EXPECT_NE(blind.text.find("2,100 EAGAIN calls (readiness not counted: none set aside as drains)"),
              std::string::npos)
        << blind.text;
    EXPECT_EQ(blind.figures[0], (std::pair<std::string, double>{"futile_calls", 10100}));
}

TEST(DiagnosisFindingsIo, BusyPollSeverityByRate) {
    auto sev = [](double seconds) {
        Proc s;
        s.recv(IOT_RECVFROM, 1000, 1000, 1000);
        return only(find_issues(s, seconds), "busy_poll").severity;
    };
    EXPECT_EQ(sev(0.1), "high");  // 10,000/s
    EXPECT_EQ(sev(0.1001), "medium");
    EXPECT_EQ(sev(1), "medium");  // 1,000/s
    EXPECT_EQ(sev(1.001), "low");
    EXPECT_EQ(sev(100), "low");  // 10/s
    EXPECT_EQ(sev(100.1), "info");
}

Proc thread_per_connection(uint64_t recv_blocked) {
    Proc s;
    s.recv(IOT_RECVFROM, 10000, 5'000'000, 0, recv_blocked).accept(100, 0, 100).send(10000, 5'000'000);
    for (int tid : {1, 2, 3, 4}) {
        ThreadStats t = testing::thread(tid, "conn");
        t.recv = 2500;
        t.recv_blocked = tid == 4 ? 0 : recv_blocked / 3;
        s.thread(t);
    }
    return s;
}

TEST(DiagnosisFindingsIo, BlockingSwitches) {
    Finding f = only(find_issues(thread_per_connection(3000), 1), "blocking_switches");
    EXPECT_EQ(f.severity, "medium");
    EXPECT_EQ(f.text,
              "3,100 receives and accepts slept (3,100.0 per second) across 3 threads: each is a switch out and back "
              "in — an event loop (epoll) on a few threads serves many connections without a switch per read");
    EXPECT_EQ(f.figures, (Figs{{"slept", 3100}, {"slept_per_s", 3100}, {"threads_sleeping", 3}}));
    EXPECT_EQ(only(find_issues(thread_per_connection(3000), 0.31), "blocking_switches").severity, "high");
    EXPECT_EQ(only(find_issues(thread_per_connection(3000), 31), "blocking_switches").severity, "low");  // 100/s
    EXPECT_FALSE(has(find_issues(thread_per_connection(3000), 31.1), "blocking_switches"));
}

// left_behind: partial LT re-reports (data left after a full read) here; by
// default a tenth of the reads.
Proc reader(uint64_t reads, uint64_t bytes, uint64_t short_reads, int64_t left_behind = -1) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, reads).wait_figs(reads, 0, reads, 0);
    s.recv(IOT_READ, reads + 10, bytes, 5, 0, 5, short_reads);  // 5 EAGAIN and 5 EOF are not data reads
    s.p.readiness.lt_rereports_partial = left_behind < 0 ? reads / 10 : static_cast<uint64_t>(left_behind);
    return s;
}

TEST(DiagnosisFindingsIo, SmallReads) {
    Finding f = only(find_issues(reader(1000, 256'000, 0), 1), "small_reads");
    EXPECT_EQ(f.severity, "medium");
    EXPECT_EQ(f.text,
              "1,000 reads returned 256.0 bytes on average and 100.0% of them filled the buffer: more was waiting — "
              "read into 16 KiB or more and the same bytes take fewer calls");
    EXPECT_EQ(f.figures, (Figs{{"data_reads", 1000},
                               {"avg_bytes", 256},
                               {"full_share", 1},
                               {"left_behind", 100},
                               {"reads_per_s", 1000}}));
}

// Reads of exactly one message fill the buffer and leave nothing behind
// (length-prefixed protocols, ping-pong): no finding without left-behind data.
TEST(DiagnosisFindingsIo, FullReadsLeavingNothingAreNotSmallReads) {
    EXPECT_FALSE(has(find_issues(reader(1000, 256'000, 0, 0), 1), "small_reads"));
    EXPECT_FALSE(has(find_issues(reader(1000, 256'000, 0, 99), 1), "small_reads"));  // < 10% of 1,000 full reads
    EXPECT_TRUE(has(find_issues(reader(1000, 256'000, 0, 100), 1), "small_reads"));
    Proc et = reader(1000, 256'000, 0, 0);
    et.p.readiness.et_stalls = 100;  // ET stalls count too: data sat until more came
    EXPECT_TRUE(has(find_issues(et, 1), "small_reads"));
    EXPECT_EQ(only(find_issues(et, 1), "small_reads").figures[3], (std::pair<std::string, double>{"left_behind", 100}));
}

// Undrained ET notifications are no evidence: a netpoller waits again while
// another thread is about to read the fd to EAGAIN (readiness.md). Only a
// stall, data nobody drained before new data came, is data left behind.
TEST(DiagnosisFindingsIo, UndrainedHandoffsAreNotSmallReads) {
    Proc et = reader(1000, 256'000, 0, 0);
    et.p.readiness.et_notifications = et.p.readiness.et_undrained = 1000;
    EXPECT_FALSE(has(find_issues(et, 1), "small_reads"));
    et.p.readiness.et_stalls = 99;  // under 10% of the 1,000 full reads
    EXPECT_FALSE(has(find_issues(et, 1), "small_reads"));
    et.p.readiness.et_stalls = 100;
    EXPECT_TRUE(has(find_issues(et, 1), "small_reads"));
}

TEST(DiagnosisFindingsIo, SmallReadsBoundaries) {
    EXPECT_TRUE(has(find_issues(reader(100, 1000, 0), 1), "small_reads"));
    EXPECT_FALSE(has(find_issues(reader(99, 1000, 0), 1), "small_reads"));
    EXPECT_TRUE(has(find_issues(reader(1000, 1'023'999, 0), 1), "small_reads"));
    EXPECT_FALSE(has(find_issues(reader(1000, 1'024'000, 0), 1), "small_reads"));  // 1 KiB average
    EXPECT_TRUE(has(find_issues(reader(1000, 256'000, 500), 1), "small_reads"));
    EXPECT_FALSE(has(find_issues(reader(1000, 256'000, 501), 1), "small_reads"));  // mostly short: small messages
    EXPECT_EQ(only(find_issues(reader(1000, 256'000, 0), 0.1), "small_reads").severity, "high");
    EXPECT_EQ(only(find_issues(reader(1000, 256'000, 0), 1.001), "small_reads").severity, "low");
}

// An epoll-et server re-arming with EPOLL_CTL_MOD per event: 6 calls a message.
Proc rearming(uint64_t ctl) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(1000, 0, 1000, 0).recv(IOT_RECVFROM, 2000, 512'000, 1000);
    s.send(1000, 512'000).calls(IOT_EPOLL_CTL, ctl).conns(5, 10, "et", 100).fd_eagain(100);  // EAGAIN on reported fds
    return s;
}

TEST(DiagnosisFindingsIo, SyscallsPerMessage) {
    Finding f = only(find_issues(rearming(2000), 10), "syscalls_per_message");
    EXPECT_EQ(f.severity, "medium");
    EXPECT_EQ(f.text,
              "6.0 syscalls per read that returned data (1.00 waits, 2.00 reads of which 1.00 EAGAIN, 1.00 sends, 2.00 "
              "epoll_ctl; 171 bytes moved per syscall): stop calling epoll_ctl per event (EPOLLONESHOT re-arming, "
              "EPOLLOUT toggling): keep registrations");
    EXPECT_EQ(f.figures, (Figs{{"syscalls_per_message", 6},
                               {"waits_per_message", 1},
                               {"reads_per_message", 2},
                               {"eagain_per_message", 1},
                               {"unreported_eagain_per_message", 0},
                               {"sends_per_message", 1},
                               {"epoll_ctl_per_message", 2},
                               {"reads_per_report", 2},
                               {"bytes_per_syscall", 1'024'000.0 / 6000.0}}));
}

TEST(DiagnosisFindingsIo, SyscallsPerMessageAdviceAndBoundaries) {
    auto find = [](const Proc& s) { return only(find_issues(s, 10), "syscalls_per_message"); };
    EXPECT_EQ(find(rearming(999)).severity, "low");  // 4.999
    EXPECT_EQ(find(rearming(1000)).severity, "low");
    // a tie (1 wait, 1 EAGAIN, 1 epoll_ctl each): EAGAIN's advice first
    EXPECT_NE(find(rearming(1000)).text.find("): skip the read that returns EAGAIN"), std::string::npos);
    EXPECT_EQ(find(rearming(5999)).severity, "medium");
    EXPECT_EQ(find(rearming(6000)).severity, "high");  // 10
    EXPECT_EQ(find(rearming(0)).severity, "low");      // 4
    Proc under;                                        // 3.999
    under.waits(IOT_EPOLL_WAIT, 999).wait_figs(1000, 0, 999, 0).recv(IOT_RECVFROM, 2000, 512'000, 1000);
    under.send(1000, 512'000);
    EXPECT_FALSE(has(find_issues(under, 10), "syscalls_per_message"));
    Proc waits = rearming(0);
    waits.waits(IOT_EPOLL_WAIT, 2000);
    EXPECT_NE(find(waits).text.find("): wait less often"), std::string::npos);
    Proc sends = rearming(0);
    sends.send(2500, 0);
    EXPECT_NE(find(sends).text.find("): gather each answer into one send"), std::string::npos);
}

// socat's relay (issue 10): per message one select, one read of the data,
// one answer, and 7 recvfrom(MSG_DONTWAIT) on its diagnostics socketpair,
// which no wait reported (no fds[] entry): EAGAIN, but not the drain of the
// connection, so "skip the read after a short one" would not remove them.
Proc relay() {
    Proc s;
    s.waits(IOT_PSELECT6, 200).wait_figs(200, 0, 200, 0).recv(IOT_READ, 200, 12'800, 0, 0, 0, 200);
    s.recv(IOT_RECVFROM, 1400, 0, 1400).send(200, 12'800);
    s.fd(42, "unix", "select", 200);
    return s;
}

TEST(DiagnosisFindingsIo, SyscallsPerMessageOnUnreportedFds) {
    Finding f = only(find_issues(relay(), 10), "syscalls_per_message");
    EXPECT_EQ(f.severity, "high");
    EXPECT_EQ(f.text,
              "10.0 syscalls per read that returned data (1.00 waits, 8.00 reads of which 7.00 EAGAIN (7.00 on fds no "
              "wait reported), 1.00 sends, 0.00 epoll_ctl; 13 bytes moved per syscall): most EAGAIN reads were of fds "
              "no wait reported: watch those fds in the wait, or check them less often, rather than reading them on "
              "chance");
    EXPECT_EQ(f.figures, (Figs{{"syscalls_per_message", 10},
                               {"waits_per_message", 1},
                               {"reads_per_message", 8},
                               {"eagain_per_message", 7},
                               {"unreported_eagain_per_message", 7},
                               {"sends_per_message", 1},
                               {"epoll_ctl_per_message", 0},
                               {"reads_per_report", 8},
                               {"bytes_per_syscall", 25'600.0 / 2000.0}}));
    // The same EAGAIN on the reported connection: drains, the other advice.
    Proc drained = relay();
    drained.p.fds[0].eagain = 1400;
    EXPECT_NE(only(find_issues(drained, 10), "syscalls_per_message").text.find("): skip the read that returns EAGAIN"),
              std::string::npos);
    // Without the readiness figures where the EAGAIN were is unknown.
    UnavailableFigures u;
    u.readiness = true;
    Finding blind = only(find_issues(relay(), 10, u), "syscalls_per_message");
    EXPECT_EQ(blind.figures[4], (std::pair<std::string, double>{"unreported_eagain_per_message", 0}));
    EXPECT_NE(blind.text.find("): skip the read that returns EAGAIN"), std::string::npos);
}

Proc copier(uint64_t wait_in, uint64_t wait_out, uint64_t data) {
    Proc s;
    s.waits(IOT_SELECT, 1000).wait_figs(1000, 0, 1000, 0).recv(IOT_READ, 1000, data);
    s.p.copy.wait_in_bytes = wait_in;
    s.p.copy.wait_out_bytes = wait_out;
    return s;
}

TEST(DiagnosisFindingsIo, BookkeepingCopy) {
    Finding f = only(find_issues(copier(2'000'000, 1'000'000, 1'000'000), 10), "bookkeeping_copy");
    EXPECT_EQ(f.severity, "low");
    EXPECT_EQ(f.text,
              "300,000 bookkeeping bytes per second (fd sets, pollfd arrays, epoll events) were copied for 100,000 "
              "data bytes per second (75.0% of all bytes copied): epoll keeps the interest set in the kernel and "
              "copies out only ready events");
    EXPECT_EQ(f.figures, (Figs{{"bookkeeping_bytes", 3'000'000},
                               {"data_bytes", 1'000'000},
                               {"bookkeeping_share", 0.75},
                               {"bookkeeping_bytes_per_s", 300'000}}));
}

TEST(DiagnosisFindingsIo, BookkeepingCopyBoundariesAndAdvice) {
    EXPECT_TRUE(has(find_issues(copier(65536, 0, 0), 10), "bookkeeping_copy"));
    EXPECT_FALSE(has(find_issues(copier(65535, 0, 0), 10), "bookkeeping_copy"));
    EXPECT_TRUE(has(find_issues(copier(100'000, 0, 300'000), 10), "bookkeeping_copy"));  // 25%
    EXPECT_FALSE(has(find_issues(copier(100'000, 0, 300'001), 10), "bookkeeping_copy"));
    EXPECT_EQ(only(find_issues(copier(4 << 20, 0, 0), 1), "bookkeeping_copy").severity, "medium");
    EXPECT_EQ(only(find_issues(copier(64 << 20, 0, 0), 1), "bookkeeping_copy").severity, "high");
    Proc ep = copier(2'000'000, 1'000'000, 0);
    ep.p.syscalls[IOT_SELECT].calls = 0;
    ep.calls(IOT_EPOLL_WAIT, 1000);
    EXPECT_NE(only(find_issues(ep, 10), "bookkeeping_copy").text.find(": most of it is epoll_ctl"), std::string::npos);
    ep.p.copy.wait_out_bytes = 2'000'000;
    EXPECT_NE(only(find_issues(ep, 10), "bookkeeping_copy").text.find(": each ready event carries few data bytes"),
              std::string::npos);
}

Proc herd(int threads, uint64_t calls, uint64_t eagain) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 600).wait_figs(600, 0, 600, 0).accept(calls, eagain, 0).conns(5, 3, "lt", 200);
    for (int i = 0; i < threads; ++i) {
        ThreadStats t = testing::thread(101 + i, "w");
        t.waits = t.epoll_waits = 200;
        t.accepts = calls / threads;
        s.thread(t);
    }
    return s;
}

TEST(DiagnosisFindingsIo, ThunderingHerd) {
    Finding f = only(find_issues(herd(3, 400, 300), 10), "thundering_herd");
    EXPECT_EQ(f.severity, "high");
    EXPECT_EQ(f.text,
              "3 threads accept on a shared listener and 300 accepts returned EAGAIN for 100 connections (3.0 per "
              "connection): threads are woken for a connection another takes — register the listener with "
              "EPOLLEXCLUSIVE, or give each thread its own listener (SO_REUSEPORT)");
    EXPECT_EQ(
        f.figures,
        (Figs{{"accepting_threads", 3}, {"connections", 100}, {"accept_eagain", 300}, {"eagain_per_connection", 3}}));
}

TEST(DiagnosisFindingsIo, ThunderingHerdBoundaries) {
    auto sev = [](int threads, uint64_t calls, uint64_t eagain) {
        std::vector<Finding> all = find_issues(herd(threads, calls, eagain), 10);
        return has(all, "thundering_herd") ? only(all, "thundering_herd").severity : std::string("none");
    };
    EXPECT_EQ(sev(1, 400, 300), "none");    // one thread: a drain loop
    EXPECT_EQ(sev(2, 250, 150), "low");     // 1.5 per connection
    EXPECT_EQ(sev(2, 251, 150), "none");    // 1.49
    EXPECT_EQ(sev(2, 300, 200), "medium");  // 2
    EXPECT_EQ(sev(2, 15, 9), "none");       // under 10 EAGAIN
    EXPECT_EQ(sev(2, 10, 10), "high");      // no connection at all: per 1
}

// Severity first; equal severities keep the fixed order of the rules.
TEST(DiagnosisFindingsIo, WorstFirst) {
    Proc s = rearming(1000);  // syscalls_per_message: low
    s.p.readiness.et_notifications = 1000;
    s.p.readiness.et_undrained = 5;
    s.p.readiness.et_stalls = 5;               // et_stall_risk: low
    s.p.readiness.lt_rereports_partial = 10000;  // 10 per wait, 1,000 per second: high
    s.p.copy.wait_in_bytes = 1 << 20;          // bookkeeping_copy: low
    EXPECT_EQ(ids(find_issues(s, 10)),
              (std::vector<std::string>{"lt_rereports_partial", "et_stall_risk", "syscalls_per_message", "small_reads",
                                        "bookkeeping_copy"}));
    std::vector<Finding> v = {{"a", "info", "", {}},
                              {"b", "low", "", {}},
                              {"c", "high", "", {}},
                              {"d", "medium", "", {}},
                              {"e", "high", "", {}}};
    sort_worst_first(v);
    EXPECT_EQ(ids(v), (std::vector<std::string>{"c", "e", "d", "b", "a"}));
}

TEST(DiagnosisFindingsIo, QuietProcessHasNoFindings) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(1000, 0, 1000, 0).recv(IOT_RECVFROM, 1000, 4'000'000, 0, 0, 0, 1000);
    s.send(1000, 4'000'000).conns(5, 10, "et", 100);
    s.p.readiness.et_notifications = 1000;
    EXPECT_TRUE(find_issues(s, 10).empty());
    EXPECT_TRUE(find_issues(Proc(), 10).empty());
}

}  // namespace
}  // namespace iotrace
