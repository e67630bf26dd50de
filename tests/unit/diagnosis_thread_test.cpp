// Per-thread models and findings, and diagnose() filling a snapshot: an
// accept thread and its workers often use different models.
#include <gtest/gtest.h>

#include "analysis/diagnose.h"
#include "analysis/findings.h"
#include "analysis/model.h"
#include "diagnosis_fixtures.h"

namespace iotrace {
namespace {

using testing::Proc;
using Ev = std::vector<std::string>;

ThreadStats worker(int tid, uint64_t waits, uint64_t wakeups, uint64_t recv, uint64_t ready) {
    ThreadStats t = testing::thread(tid, "worker");
    t.waits = t.epoll_waits = waits;
    t.wakeups = wakeups;
    t.recv = recv;
    t.ready = ready;
    return t;
}

// One thread blocks in accept(); two workers run epoll-et loops.
Proc acceptor_and_workers() {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 5000).wait_figs(6000, 0, 4000, 0).recv(IOT_RECVFROM, 6000, 3'000'000);
    s.send(6000, 3'000'000).accept(20, 0, 20).conns(5, 30, "et", 200);
    ThreadStats acc = testing::thread(100, "acceptor");
    acc.accepts = acc.accept_blocked = 20;
    s.thread(acc).thread(worker(101, 2500, 2000, 3000, 3000)).thread(worker(102, 2500, 2000, 3000, 3000));
    return s;
}

TEST(DiagnosisThread, AcceptThreadBlocksWhileWorkersUseEpoll) {
    Proc s = acceptor_and_workers();
    EXPECT_EQ(classify(s).name, "epoll-et");
    EXPECT_EQ(classify(s).confidence, "high");

    Model acc = classify_thread(s.p.threads[0], s);
    EXPECT_EQ(acc.name, "blocking");
    EXPECT_EQ(acc.confidence, "medium");  // 20 accepts
    EXPECT_EQ(acc.evidence, (Ev{"20 of 20 receives and accepts slept (100.0%)", "no waits for 20 receives and accepts",
                                "0 EAGAIN (0.0%)"}));

    Model w = classify_thread(s.p.threads[1], s);
    EXPECT_EQ(w.name, "epoll-et");
    EXPECT_EQ(w.confidence, "high");
    EXPECT_EQ(w.evidence,
              (Ev{"2,500 waits, 100.0% epoll", "30 epoll fds reported (process-wide), 100.0% edge-triggered"}));
}

// A thread's ready events are its own (counted per thread in the kernel),
// against its own IO calls: 10% of its receives is the boundary, whatever
// the process's figures say.
TEST(DiagnosisThread, ThreadReadyIsItsOwn) {
    Proc s;
    s.waits(IOT_POLL, 1000).wait_figs(100'000, 0, 0, 0);  // plenty, process-wide
    ThreadStats t = testing::thread(7, "t");
    t.waits = t.poll_waits = 100;
    t.recv = 2000;
    t.ready = 199;  // < 10% of 2,000: not readiness-driven
    EXPECT_EQ(classify_thread(t, s).name, "blocking");
    EXPECT_EQ(classify_thread(t, s).evidence[2], "199 ready events from 100 waits for 2,000 receives and accepts");
    t.ready = 200;  // 10%
    EXPECT_EQ(classify_thread(t, s).name, "poll");
    s.wait_figs(0, 0, 0, 0);  // the process's own figure does not enter a thread's
    EXPECT_EQ(classify_thread(t, s).name, "poll");
}

// Waits alone are no readiness: a thread with as many waits as receives
// whose waits reported little (another thread's events woke it, say) does
// not pass for readiness-driven.
TEST(DiagnosisThread, ThreadWaitsAloneAreNotReadiness) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 10100).wait_figs(2000, 10000, 10100, 0).recv(IOT_READ, 2000, 200'000);
    s.conns(5, 10, "lt", 200);
    ThreadStats w = worker(7, 2000, 100, 2000, 199);
    EXPECT_EQ(classify_thread(w, s).name, "blocking");
    w.ready = 200;
    EXPECT_EQ(classify_thread(w, s).name, "epoll-lt");
}

TEST(DiagnosisThread, IdleThreadOfAnIdleProcess) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 5).wait_figs(0, 5, 5, 0);
    ThreadStats t = testing::thread(7, "timer");
    t.waits = t.epoll_waits = 5;
    Model m = classify_thread(t, s);
    EXPECT_EQ(m.name, "idle");
    EXPECT_EQ(m.confidence, "low");
    EXPECT_EQ(m.evidence, Ev{"5 waits, none reported a ready fd; no receive, accept or io_uring_enter call"});
}

TEST(DiagnosisThread, IoUringThread) {
    ThreadStats t = testing::thread(7, "ring");
    t.uring_enters = 300;
    t.recv = 3;
    Model m = classify_thread(t, Proc());
    EXPECT_EQ(m.name, "io_uring");
    EXPECT_EQ(m.evidence, Ev{"300 io_uring_enter calls vs 0 waits and 3 receives and accepts (99.0% io_uring_enter)"});
}

// A spinning thread beside a worker that sleeps in epoll: each thread gets
// its own model, the spinner its own finding. (The spinner's calls dominate
// the process, which is busy-poll too.)
TEST(DiagnosisThread, BusyPollingThreadGetsItsOwnFinding) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 21000).wait_figs(2000, 19500, 1000, 20000, 19500).recv(IOT_READ, 2000, 200'000);
    s.conns(5, 10, "lt", 200);
    ThreadStats spin = worker(8, 20000, 0, 0, 0);
    spin.comm = "spinner";
    spin.zero_timeout = 20000;
    spin.zero_timeout_empty = 19500;
    s.thread(worker(7, 1000, 1000, 2000, 2000)).thread(spin);

    EXPECT_EQ(classify(s).name, "busy-poll");
    EXPECT_EQ(classify_thread(s.p.threads[0], s).name, "epoll-lt");
    EXPECT_EQ(classify_thread(s.p.threads[1], s).name, "busy-poll");
    EXPECT_TRUE(find_thread_issues(s.p.threads[0], s, 10).empty());
    std::vector<Finding> f = find_thread_issues(s.p.threads[1], s, 10);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].id, "busy_poll");
    EXPECT_EQ(f[0].severity, "medium");  // 2,000 per second
    EXPECT_EQ(f[0].text,
              "thread 8 (spinner) made 19,500 calls that came back with nothing to do (1,950.0 per second: 19,500 "
              "of 20,000 zero-timeout waits came back empty, 0 of 0 EAGAIN receives beyond the 0 that drained a "
              "reported fd) and 0 slept — block in the wait (epoll_wait with a timeout) instead of polling");
    EXPECT_EQ(f[0].figures, (std::vector<std::pair<std::string, double>>{{"futile_calls", 19500},
                                                                         {"futile_per_s", 1950},
                                                                         {"zero_timeout_waits", 20000},
                                                                         {"zero_timeout_empty", 19500},
                                                                         {"eagain_calls", 0},
                                                                         {"eagain_drains", 0},
                                                                         {"futile_eagain", 0},
                                                                         {"slept", 0}}));
}

// A thread of a loaded event loop polls with timeout 0 and gets events back.
TEST(DiagnosisThread, ZeroTimeoutWaitsReturningEventsAreNotBusyPoll) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(5000, 100, 0, 1000, 100).recv(IOT_READ, 5000, 500'000);
    s.conns(5, 10, "lt", 500);
    ThreadStats loop = worker(7, 1000, 0, 5000, 5000);
    loop.zero_timeout = 1000;
    loop.zero_timeout_empty = 100;
    s.thread(loop);
    EXPECT_EQ(classify_thread(s.p.threads[0], s).name, "epoll-lt");
    EXPECT_TRUE(find_thread_issues(s.p.threads[0], s, 1).empty());
    s.p.threads[0].zero_timeout_empty = 500;  // half its waits empty: spinning
    EXPECT_EQ(classify_thread(s.p.threads[0], s).name, "busy-poll");
}

// A thread that made a few EAGAIN receives and nothing else: too few to
// call it spinning; from kMinEvents on, with nothing else, it is.
TEST(DiagnosisThread, AFewEagainReceivesAreNotBusyPoll) {
    ThreadStats t = testing::thread(7, "t");
    t.recv = t.recv_eagain = 3;
    EXPECT_EQ(classify_thread(t, Proc()).name, "blocking");
    t.recv = t.recv_eagain = 10;
    EXPECT_EQ(classify_thread(t, Proc()).name, "busy-poll");
}

// Threads racing for one listener: each accepting thread gets its part.
TEST(DiagnosisThread, ThunderingHerdPerThread) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 600).wait_figs(600, 0, 600, 0).accept(400, 300, 0).conns(5, 3, "lt", 200);
    for (int i = 0; i < 3; ++i) {
        ThreadStats t = worker(101 + i, 200, 200, 0, 200);
        t.comm = "w" + std::to_string(i + 1);
        t.accepts = i == 0 ? 200 : 100;
        s.thread(t);
    }
    std::vector<Finding> f = find_thread_issues(s.p.threads[0], s, 10);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].id, "thundering_herd");
    EXPECT_EQ(f[0].severity, "high");  // as the process's: 3 EAGAIN per connection
    EXPECT_EQ(f[0].text,
              "thread 101 (w1) made 200 of the process's 400 accepts (50.0%), racing 2 other threads for each "
              "connection — EPOLLEXCLUSIVE on the listener, or one listener per thread (SO_REUSEPORT)");
    EXPECT_EQ(f[0].figures, (std::vector<std::pair<std::string, double>>{
                                {"accepts", 200}, {"accepts_share", 0.5}, {"accepting_threads", 3}}));
    ThreadStats none = worker(200, 10, 10, 0, 10);  // no accepts: not part of it
    EXPECT_TRUE(find_thread_issues(none, s, 10).empty());
}

TEST(DiagnosisThread, DiagnoseFillsProcessesAndThreads) {
    Snapshot snap;
    snap.duration_s = 10;
    snap.processes.push_back(acceptor_and_workers().p);
    snap.processes.push_back(Proc().p);
    diagnose(snap);
    const ProcessStats& p = snap.processes[0];
    EXPECT_EQ(p.diagnosis.model.name, "epoll-et");
    EXPECT_EQ(p.threads[0].diagnosis.model.name, "blocking");
    EXPECT_EQ(p.threads[1].diagnosis.model.name, "epoll-et");
    EXPECT_EQ(p.threads[2].diagnosis.model.name, "epoll-et");
    EXPECT_EQ(snap.processes[1].diagnosis.model.name, "idle");
    EXPECT_TRUE(snap.processes[1].diagnosis.findings.empty());
    // Run twice, same result: diagnose() replaces, never appends.
    Snapshot again = snap;
    diagnose(again);
    EXPECT_EQ(again.processes[0].diagnosis.findings.size(), p.diagnosis.findings.size());
    EXPECT_EQ(again.processes[0].diagnosis.model.evidence, p.diagnosis.model.evidence);
    Snapshot raw;
    raw.processes.push_back(acceptor_and_workers().p);
    EXPECT_EQ(diagnosed(raw).processes[0].diagnosis.model.name, "epoll-et");
    EXPECT_EQ(raw.processes[0].diagnosis.model.name, "");  // a copy: the argument is left as it was
}

// Lost events: every figure is a lower bound, so no "high" confidence.
TEST(DiagnosisThread, LostEventsLowerTheConfidence) {
    Snapshot snap;
    snap.duration_s = 10;
    snap.lost[IOT_LOST_UNKNOWN_REG] = 1234;
    snap.processes.push_back(acceptor_and_workers().p);
    snap.processes.push_back(Proc().p);
    diagnose(snap);
    const Model& m = snap.processes[0].diagnosis.model;
    EXPECT_EQ(m.name, "epoll-et");
    EXPECT_EQ(m.confidence, "medium");
    EXPECT_EQ(m.evidence.back(), "1,234 events lost: the figures are lower bounds");
    EXPECT_EQ(snap.processes[0].threads[0].diagnosis.model.confidence, "medium");  // was medium already
    EXPECT_EQ(snap.processes[0].threads[1].diagnosis.model.confidence, "medium");
    EXPECT_EQ(snap.processes[1].diagnosis.model.confidence, "medium");
}

}  // namespace
}  // namespace iotrace
