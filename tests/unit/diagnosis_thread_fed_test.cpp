// Go's layout (issue 10): the netpoller's epoll waits run on whichever
// thread is idle, and the goroutine a report wakes reads its fd (until
// EAGAIN) on whichever thread runs it. A thread may read fds another
// thread's wait reported: with too little readiness of its own it is still
// part of the epoll loop (docs/diagnosis.md, rule 3), not blocking IO, and
// not busy-poll while its EAGAIN are the drains of reported fds.
#include <gtest/gtest.h>

#include "analysis/findings.h"
#include "analysis/model.h"
#include "diagnosis_fixtures.h"

namespace iotrace {
namespace {

using testing::Proc;
using Ev = std::vector<std::string>;

ThreadStats epoll_thread(int tid, uint64_t waits, uint64_t wakeups, uint64_t ready, uint64_t recv, uint64_t eagain) {
    ThreadStats t = testing::thread(tid, "go");
    t.waits = t.epoll_waits = waits;
    t.wakeups = wakeups;
    t.ready = ready;
    t.recv = recv;
    t.recv_eagain = eagain;
    return t;
}

// A poller thread waits (1,000 waits, 1,000 events); a reader thread with no
// waits reads the reported fds: 3,000 receives, `reader_eagain` of them
// EAGAIN. 10 edge-triggered fds, reported 100 times each, 250 EAGAIN each:
// 1,000 drains (min(250, 100) per fd).
Proc poller_and_reader(uint64_t reader_eagain) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(1000, 0, 1000, 0).recv(IOT_READ, 3000, 300'000, reader_eagain);
    s.conns(5, 10, "et", 100).fd_eagain(250);
    s.thread(epoll_thread(7, 1000, 1000, 1000, 0, 0)).thread(epoll_thread(8, 0, 0, 0, 3000, reader_eagain));
    return s;
}

const ThreadStats& reader(const Proc& s) { return s.p.threads[1]; }

void expect_model(const Model& m, const std::string& name, const std::string& confidence, const Ev& evidence) {
    EXPECT_EQ(m.name, name);
    EXPECT_EQ(m.confidence, confidence);
    EXPECT_EQ(m.evidence, evidence);
}

// The reader also ran one netpoller check (epoll_pwait, timeout 0, empty):
// CI saw such a Go thread called busy-poll, with a busy_poll finding, on
// that one wait. A handful of futile calls is no evidence; from kMinEvents
// (10) empty zero-timeout waits, most of its waits, it is.
TEST(DiagnosisThreadFed, AFewEmptyZeroTimeoutWaitsAreNotBusyPoll) {
    auto with_checks = [](uint64_t n) {
        Proc s = poller_and_reader(1000);
        ThreadStats& r = s.p.threads[1];
        r.waits = r.epoll_waits = r.zero_timeout = r.zero_timeout_empty = n;
        return s;
    };
    for (uint64_t n : {1u, 9u}) {
        Proc s = with_checks(n);
        EXPECT_EQ(classify_thread(reader(s), s).name, "epoll-et") << n;
        EXPECT_TRUE(find_thread_issues(reader(s), s, 3).empty()) << n;
    }
    Proc s = with_checks(10);
    EXPECT_EQ(classify_thread(reader(s), s).name, "busy-poll");
    std::vector<Finding> f = find_thread_issues(reader(s), s, 3);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].id, "busy_poll");
}

TEST(DiagnosisThreadFed, ReaderOfReportedFdsIsPartOfTheEpollLoop) {
    Proc s = poller_and_reader(1000);
    EXPECT_EQ(figures_of(reader(s), s).eagain_drains, 1000u);
    expect_model(classify_thread(reader(s), s), "epoll-et", "high",
                 {"no waits of its own; the process's: 1,000 waits, 100.0% epoll",
                  "3,000 receives and accepts (0 ready events of its own) read fds the process's waits reported: "
                  "1,000 EAGAIN, 1,000 of them drained a reported fd",
                  "10 epoll fds reported (process-wide), 100.0% edge-triggered"});
    EXPECT_TRUE(find_thread_issues(reader(s), s, 1).empty());
    EXPECT_EQ(classify_thread(s.p.threads[0], s).name, "epoll-et");  // the poller, by its own readiness
}

// As seen on go_echo_server: a thread with waits of its own whose 101 ready
// events are too few for its 1,154 receives, most of them of fds other
// threads' waits reported.
TEST(DiagnosisThreadFed, ThreadWithFewReadyEventsOfItsOwn) {
    Proc s;
    s.waits(IOT_EPOLL_PWAIT, 1000).wait_figs(2000, 100, 126, 900, 100).recv(IOT_READ, 4000, 128'000, 2000);
    s.conns(5, 20, "et", 100).fd_eagain(100);  // 2,000 drains
    s.thread(epoll_thread(7, 862, 100, 1899, 2846, 1428)).thread(epoll_thread(8, 138, 26, 101, 1154, 572));
    expect_model(classify_thread(s.p.threads[1], s), "epoll-et", "high",
                 {"138 waits, 100.0% epoll",
                  "1,154 receives and accepts (101 ready events of its own) read fds the process's waits reported: "
                  "572 EAGAIN, 572 of them drained a reported fd",
                  "20 epoll fds reported (process-wide), 100.0% edge-triggered"});
}

// Fed when at least half its EAGAIN drained a reported fd (kFedDrainPct);
// below that, what is not a drain decides between busy-poll and blocking.
TEST(DiagnosisThreadFed, DrainShareBoundary) {
    auto name = [](uint64_t eagain) {
        Proc s = poller_and_reader(eagain);
        return classify_thread(reader(s), s).name;
    };
    EXPECT_EQ(name(2000), "epoll-et");   // 1,000 drains of 2,000 EAGAIN
    EXPECT_EQ(name(2001), "blocking");   // 1,001 futile: under half the 3,000 receives
    EXPECT_EQ(name(2500), "busy-poll");  // 1,500 futile: half the receives
    std::vector<Finding> f = find_thread_issues(reader(poller_and_reader(2500)), poller_and_reader(2500), 1);
    ASSERT_EQ(f.size(), 1u);
    EXPECT_NE(f[0].text.find("1,500 of 2,500 EAGAIN receives beyond the 1,000 that drained a reported fd"),
              std::string::npos)
        << f[0].text;
    // Without the readiness figures no EAGAIN is a drain: 1,500 futile.
    Proc half = poller_and_reader(1500);
    EXPECT_EQ(classify_thread(reader(half), half).name, "epoll-et");
    EXPECT_EQ(classify_thread(reader(half), half, {.readiness = false}).name, "busy-poll");
}

// No EAGAIN is no evidence its fds are non-blocking, and reads that sleep
// are blocking IO: neither is taken for part of the loop.
TEST(DiagnosisThreadFed, NotFedWithoutEagainOrWhenItsReadsSleep) {
    Proc none = poller_and_reader(0);
    Model m = classify_thread(reader(none), none);
    EXPECT_EQ(m.name, "blocking");
    EXPECT_EQ(m.confidence, "medium");  // inferred: no read slept
    Proc sleeps = poller_and_reader(1000);
    sleeps.p.threads[1].recv_blocked = 300;  // 10% of its receives, all its sleeps
    EXPECT_EQ(classify_thread(reader(sleeps), sleeps).name, "blocking");
}

}  // namespace
}  // namespace iotrace
