// Time asleep in waits (docs/diagnosis.md, kWaitSleepPct): a process that
// sleeps in its waits for most of its time in calls does not spin, however
// many cheap calls it makes between sleeps, and its EAGAIN on fds no wait
// reported are checks, not IO its waits were meant to drive. Each boundary
// from both sides.
#include <gtest/gtest.h>

#include "analysis/findings.h"
#include "analysis/model.h"
#include "diagnosis_fixtures.h"

namespace iotrace {
namespace {

using testing::Proc;
using Ev = std::vector<std::string>;

constexpr uint64_t kCpuNs = 50'000;  // on CPU in the waits

// socat's master as traced (issue 10): 18 pselect6, 11 of which slept and 9
// reported the listener; 10 accepts; 87 recvfrom(MSG_DONTWAIT) that
// returned EAGAIN on its diagnostics socketpair, which no wait reported.
// 9 ready events for 97 IO calls: too few, by the counts. The receives
// take recv_ns, the waits asleep_ns + kCpuNs.
Proc socat_master(uint64_t asleep_ns, uint64_t recv_ns = 50'000) {
    Proc s;
    s.waits(IOT_PSELECT6, 18).wait_figs(9, 0, 11, 0).wait_time(IOT_PSELECT6, asleep_ns + kCpuNs, kCpuNs);
    s.recv(IOT_RECVFROM, 87, 0, 87, 0, 0, 0, recv_ns).accept(10, 0, 0);
    s.fd(5, "tcp", "select", 9, "127.0.0.1:8000");
    ThreadStats t = testing::thread(100, "socat");
    t.waits = t.select_waits = 18;
    t.wakeups = 11;
    t.ready = 9;
    t.recv = t.recv_eagain = 87;
    t.accepts = 10;
    s.thread(t);
    return s;
}

TEST(DiagnosisSleep, SocatMasterSleepsInSelect) {
    Proc s = socat_master(900'000);  // of 1 ms in calls: 90%
    EXPECT_EQ(figures_of(s.p).unreported_eagain, 87u);
    EXPECT_EQ(figures_of(s.p).calls_ns, 1'000'000u);
    Model m = classify(s);
    EXPECT_EQ(m.name, "select");
    EXPECT_EQ(m.confidence, "medium");  // 18 waits
    EXPECT_EQ(m.evidence, (Ev{"18 waits, 100.0% select",
                              "87 EAGAIN receives and accepts on fds no wait reported, between waits asleep 90.0% of "
                              "the time in the probed calls: checks between sleeps, not counted as IO"}));
    Model t = classify_thread(s.p.threads[0], s);
    EXPECT_EQ(t.name, "select");
    EXPECT_EQ(t.evidence[1],
              "87 EAGAIN receives on fds no wait reported, between waits asleep 90.0% of the time in the probed "
              "calls: checks between sleeps, not counted as IO");
    EXPECT_TRUE(find_issues(s, 1.5).empty());
    EXPECT_TRUE(find_thread_issues(s.p.threads[0], s, 1.5).empty());
}

// The evidence names the checks only where setting them aside decided:
// with 90 ready events, the 97 IO calls had readiness enough anyway.
TEST(DiagnosisSleep, ChecksAreNamedWhereTheyDecided) {
    Proc s = socat_master(900'000);
    s.p.waits.ready = s.p.threads[0].ready = 90;
    EXPECT_EQ(classify(s).evidence, Ev{"18 waits, 100.0% select"});
    EXPECT_EQ(classify_thread(s.p.threads[0], s).evidence, Ev{"18 waits, 100.0% select"});
}

// The counts alone (no time asleep, or the times not counted) name it
// busy-poll: 87 EAGAIN of 97 IO calls, 11 of 115 calls slept. That was the
// diagnosis.
TEST(DiagnosisSleep, WithoutTheTimeTheCountsDecide) {
    EXPECT_EQ(classify(socat_master(0)).name, "busy-poll");
    Proc s = socat_master(900'000);
    EXPECT_EQ(classify(s, {.call_time = false}).name, "busy-poll");
    EXPECT_EQ(classify_thread(s.p.threads[0], s, {.call_time = false}).name, "busy-poll");
    UnavailableFigures u;
    u.waits_cpu_ns = true;
    EXPECT_FALSE(counted(u).call_time);
}

// Half the time in the probed calls (kWaitSleepPct 50).
TEST(DiagnosisSleep, HalfTheTimeBoundary) {
    EXPECT_EQ(classify(socat_master(100'000)).name, "select");  // of 200,000 ns
    EXPECT_EQ(classify(socat_master(99'999)).name, "busy-poll");
    EXPECT_EQ(classify(socat_master(100'000, 50'001)).name, "busy-poll");
}

// A thread's time asleep is its process's in proportion to its waits that
// slept; its other time in calls, in proportion to its calls. Here socat's
// loop shares its process with a worker whose 2,000 reads take 10 ms: the
// process is asleep 8.3% of its time in calls, the loop thread 90%.
TEST(DiagnosisSleep, EachThreadOnItsShare) {
    Proc s = socat_master(900'000);
    s.recv(IOT_READ, 2000, 200'000, 0, 0, 0, 0, 9'900'000).wait_figs(2009, 0, 11, 0);
    ThreadStats worker = testing::thread(101, "worker");
    worker.waits = worker.poll_waits = 2000;  // not asleep: none slept
    worker.recv = 2000;
    worker.ready = 2000;
    s.waits(IOT_POLL, 2000).thread(worker);
    const ThreadStats& loop = s.p.threads[0];
    Figures f = figures_of(loop, s);
    EXPECT_EQ(f.wait_sleep_ns, 900'000u);
    // the rest, 10,000,000 ns, by calls: 115 of 4,115
    EXPECT_EQ(f.calls_ns, 900'000u + 10'000'000ull * 115 / 4115);
    EXPECT_EQ(classify_thread(loop, s).name, "select");
    EXPECT_EQ(figures_of(s.p.threads[1], s).wait_sleep_ns, 0u);
}

// Only EAGAIN on fds no wait reported are set aside: on a reported fd they
// are IO that followed a report, and the rule weighs them.
TEST(DiagnosisSleep, EagainOnAReportedFdIsNotSetAside) {
    Proc s = socat_master(900'000);
    s.fd(6, "unix", "select", 9).p.fds.back().eagain = 87;
    EXPECT_EQ(figures_of(s.p).unreported_eagain, 0u);
    Model m = classify(s);
    EXPECT_NE(m.name, "select");
    EXPECT_NE(m.name, "busy-poll");  // it sleeps in its waits: not spinning
}

// A loop that polls with timeout 0 (900 empty) but sleeps in its other
// waits for most of its time in calls is not spinning.
Proc sleeping_poller(uint64_t recv_ns) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(100, 900, 100, 900, 900).recv(IOT_READ, 100, 10'000, 0, 0, 0, 0, recv_ns);
    s.conns(5, 10, "lt", 10).wait_time(IOT_EPOLL_WAIT, 900'000 + 100'000, 100'000);
    return s;
}

TEST(DiagnosisSleep, ZeroTimeoutPollerThatSleepsIsNotBusyPoll) {
    EXPECT_EQ(classify(sleeping_poller(0)).name, "epoll-lt");
    EXPECT_EQ(classify(sleeping_poller(0), {.call_time = false}).name, "busy-poll");
    EXPECT_EQ(classify(sleeping_poller(800'000)).name, "epoll-lt");  // 50%
    EXPECT_EQ(classify(sleeping_poller(800'001)).name, "busy-poll");
}

// Spinners stay busy-poll with the time weighed: the receive spinner has no
// waits; the zero-timeout spinner's time off CPU in its waits is preemption
// (no wait slept), not sleep.
TEST(DiagnosisSleep, SpinnersStayBusyPoll) {
    Proc recv_spin;
    recv_spin.recv(IOT_RECVFROM, 10000, 100'000, 9000, 0, 0, 0, 5'000'000);
    EXPECT_EQ(classify(recv_spin).name, "busy-poll");
    Proc preempted;
    preempted.waits(IOT_EPOLL_WAIT, 1000).wait_figs(50, 950, 0, 1000, 950).recv(IOT_READ, 50, 5000);
    preempted.wait_time(IOT_EPOLL_WAIT, 800'000'000, 100'000'000);  // 0.7 s switched out, never asleep
    EXPECT_EQ(classify(preempted).name, "busy-poll");
}

}  // namespace
}  // namespace iotrace
