// The IO model rules that do not rest on readiness (docs/diagnosis.md):
// blocking, busy-poll, io_uring, and servers that must not be taken for
// them. Each threshold from both sides.
#include <gtest/gtest.h>

#include "analysis/model.h"
#include "diagnosis_fixtures.h"

namespace iotrace {
namespace {

using testing::Proc;
using Ev = std::vector<std::string>;

// An epoll server: n waits reporting 2 events each, a read and a send per event.
Proc epoll_server(uint64_t waits) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, waits).wait_figs(2 * waits, 0, waits / 2, 0);
    s.recv(IOT_RECVFROM, 2 * waits, 2 * waits * 512).send(2 * waits, 2 * waits * 512);
    return s;
}

// A thread per connection: reads and accepts sleep, no waits.
TEST(DiagnosisModelIo, Blocking) {
    Proc s;
    s.recv(IOT_RECVFROM, 10000, 5'000'000, 0, 3000).accept(100, 0, 100).send(10000, 5'000'000);
    Model m = classify(s);
    EXPECT_EQ(m.name, "blocking");
    EXPECT_EQ(m.confidence, "high");
    EXPECT_EQ(m.evidence, (Ev{"3,100 of 10,100 receives and accepts slept (30.7%)",
                              "no waits for 20,100 receives, accepts and sends", "0 EAGAIN (0.0%)"}));
}

// No read slept and no readiness: still blocking, but only inferred.
TEST(DiagnosisModelIo, BlockingWithoutSleepsIsAtMostMedium) {
    Proc s;
    s.recv(IOT_READ, 500, 500'000);
    Model m = classify(s);
    EXPECT_EQ(m.name, "blocking");
    EXPECT_EQ(m.confidence, "medium");
    EXPECT_EQ(m.evidence.back(), "no receive or accept slept: blocking inferred from the missing readiness and EAGAIN");
}

// A pure writer has no input model: its sends go without readiness.
TEST(DiagnosisModelIo, WriterIsBlockingLowConfidence) {
    Model m = classify(Proc().send(1, 12));
    EXPECT_EQ(m.name, "blocking");
    EXPECT_EQ(m.confidence, "low");
    EXPECT_EQ(m.evidence, (Ev{"no waits for 1 receive, accept or send", "0 EAGAIN (0.0%)",
                              "no receive or accept slept: blocking inferred from the missing readiness and EAGAIN"}));
}

// Ready events >= 10% of the IO calls: readiness-driven, however many IO
// calls each wait leads to (an epoll server under load).
TEST(DiagnosisModelIo, ReadyPerIoBoundary) {
    auto with = [](uint64_t ready) {
        Proc s;
        s.waits(IOT_EPOLL_WAIT, 50).wait_figs(ready, 0, 0, 0).recv(IOT_READ, 1000, 100'000, 500).send(1000, 1000);
        s.conns(5, 10, "et", 100);
        return classify(s);
    };
    EXPECT_EQ(with(200).name, "epoll-et");
    EXPECT_EQ(with(199).name, "blocking");
}

// Sleeping in reads rather than in waits makes it blocking, even with waits.
TEST(DiagnosisModelIo, SleepsInIoBoundary) {
    auto with = [](uint64_t recv_blocked, uint64_t wakeups) {
        Proc s;
        s.waits(IOT_POLL, 200).wait_figs(400, 0, wakeups, 0).recv(IOT_READ, 1000, 100'000, 0, recv_blocked);
        return classify(s);
    };
    EXPECT_EQ(with(200, 200).name, "blocking");  // half of the sleeps
    EXPECT_EQ(with(199, 200).name, "poll");
    EXPECT_EQ(with(100, 50).name, "blocking");  // 10% of the reads
    EXPECT_EQ(with(99, 50).name, "poll");       // a non-blocking server's odd lock sleep
}

TEST(DiagnosisModelIo, BusyPollByEagain) {
    Proc s;
    s.recv(IOT_RECVFROM, 10000, 100'000, 9000);
    Model m = classify(s);
    EXPECT_EQ(m.name, "busy-poll");
    EXPECT_EQ(m.confidence, "high");
    EXPECT_EQ(m.evidence, (Ev{"9,000 of 10,000 receives, accepts and sends returned EAGAIN (90.0%)",
                              "0 of 10,000 calls slept (0.0%)", "no waits for 10,000 receives, accepts and sends"}));
}

// Spinning on zero-timeout waits and EAGAIN reads at once: both said.
TEST(DiagnosisModelIo, BusyPollByEagainAlsoNamesZeroTimeoutWaits) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(10, 990, 0, 1000, 990).recv(IOT_RECVFROM, 1000, 100, 990);
    Model m = classify(s);
    EXPECT_EQ(m.name, "busy-poll");
    EXPECT_EQ(m.evidence,
              (Ev{"990 of 1,000 receives, accepts and sends returned EAGAIN (99.0%)", "0 of 2,000 calls slept (0.0%)",
                  "10 ready events from 1,000 waits for 1,000 receives, accepts and sends",
                  "1,000 of 1,000 waits had a zero timeout (100.0%), 990 of them came back empty"}));
}

TEST(DiagnosisModelIo, BusyPollByEagainBoundaries) {
    auto with = [](uint64_t eagain, uint64_t blocked) {
        Proc s;
        s.recv(IOT_RECVFROM, 1000, 100'000, eagain, blocked);
        return classify(s).name;
    };
    EXPECT_EQ(with(500, 0), "busy-poll");
    EXPECT_EQ(with(499, 0), "blocking");
    EXPECT_EQ(with(600, 99), "busy-poll");  // 9.9% slept
    EXPECT_EQ(with(600, 100), "blocking");  // 10% of reads slept: sleeps in IO
}

TEST(DiagnosisModelIo, BusyPollByZeroTimeout) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(50, 950, 0, 1000, 950).recv(IOT_READ, 50, 5000);
    Model m = classify(s);
    EXPECT_EQ(m.name, "busy-poll");
    EXPECT_EQ(m.confidence, "high");
    EXPECT_EQ(m.evidence, (Ev{"1,000 of 1,000 waits had a zero timeout (100.0%)",
                              "950 of 1,000 zero-timeout waits came back empty (95.0% of the waits)",
                              "0 of 1,000 waits slept (0.0%)"}));
}

// What decides is the empty zero-timeout waits' share of all waits; every
// wait here has a zero timeout.
TEST(DiagnosisModelIo, BusyPollByZeroTimeoutBoundaries) {
    auto with = [](uint64_t zero_timeout_empty, uint64_t wakeups) {
        Proc s;
        s.waits(IOT_EPOLL_WAIT, 1000)
            .wait_figs(1000 - zero_timeout_empty, zero_timeout_empty, wakeups, 1000, zero_timeout_empty)
            .recv(IOT_READ, 500, 5000);
        return classify(s);
    };
    EXPECT_EQ(with(500, 100).name, "busy-poll");
    EXPECT_EQ(with(500, 100).confidence, "low");  // half the waits: no clear winner
    EXPECT_EQ(with(499, 100).name, "epoll");
    EXPECT_EQ(with(900, 100).name, "busy-poll");
    EXPECT_EQ(with(900, 101).name, "epoll");  // the waits sleep too: not only polling
}

// Zero-timeout waits that all came back empty are spinning, not idle.
TEST(DiagnosisModelIo, EmptyZeroTimeoutWaitsAreBusyNotIdle) {
    Proc s;
    s.waits(IOT_POLL, 200).wait_figs(0, 200, 0, 200, 200);
    EXPECT_EQ(classify(s).name, "busy-poll");
}

// An asyncio echo server under load (issue 10): 9,157 of 9,422 waits had a
// zero timeout, but only 265 came back empty; 73,099 events were delivered.
// Polling with timeout 0 while work is pending is an event loop at work.
TEST(DiagnosisModelIo, LoadedEventLoopPollingWithZeroTimeoutIsNotBusyPoll) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 9422).wait_figs(73099, 265, 265, 9157, 265);
    s.recv(IOT_RECVFROM, 73099, 7'309'900).send(73099, 7'309'900).conns(5, 100, "lt", 730);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-lt");
    EXPECT_EQ(m.confidence, "high");
}

// Read-until-EAGAIN ends each report of an fd with one EAGAIN: those are the
// drain, not a spin. Only what is beyond one per report counts for the rule.
// Here ready events are too few for the IO (rule 3), and the EAGAIN left
// after the 90 drains must still make half of the 1,000 receives.
TEST(DiagnosisModelIo, EagainBeyondTheDrainsBoundaries) {
    auto with = [](uint64_t eagain, bool readiness = true) {
        Proc s;
        s.waits(IOT_EPOLL_WAIT, 90).wait_figs(90, 0, 0, 0).recv(IOT_RECVFROM, 1000, 100'000, eagain);
        s.conns(5, 1, "et", 90).fd_eagain(90);
        return classify(s, {.readiness = readiness});
    };
    EXPECT_EQ(with(590).name, "busy-poll");  // 500 futile: 50%
    EXPECT_EQ(with(589).name, "blocking");
    EXPECT_EQ(with(550, false).name, "busy-poll");  // readiness not counted: no drain set aside
    EXPECT_EQ(with(590).evidence,
              (Ev{"590 of 1,000 receives, accepts and sends returned EAGAIN (59.0%)",
                  "90 of them drained a reported fd: 500 futile (50.0%)", "0 of 1,090 calls slept (0.0%)",
                  "90 ready events from 90 waits for 1,000 receives, accepts and sends"}));
}

// A drain is at most one EAGAIN per report: an fd with more EAGAIN than
// reports spins on the rest.
TEST(DiagnosisModelIo, DrainsAreAtMostOnePerReport) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 90).wait_figs(90, 0, 0, 0).recv(IOT_RECVFROM, 1000, 100'000, 600);
    s.conns(5, 1, "et", 90).fd_eagain(600);
    EXPECT_EQ(figures_of(s.p).eagain_drains, 90u);
    EXPECT_EQ(figures_of(s.p).futile_eagain(), 510u);
    EXPECT_EQ(figures_of(s.p, {.readiness = false}).eagain_drains, 0u);
    EXPECT_EQ(classify(s).name, "busy-poll");
}

// A Go-like server (issue 10): the netpoller polls with timeout 0 and gets
// events, each edge-triggered connection is read until EAGAIN. Neither the
// zero-timeout waits nor the EAGAIN reads are spinning.
TEST(DiagnosisModelIo, EdgeTriggeredReadUntilEagainIsNotBusyPoll) {
    Proc s;
    s.waits(IOT_EPOLL_PWAIT, 1000).wait_figs(2000, 100, 0, 1000, 100);
    s.recv(IOT_READ, 4000, 1'000'000, 2000).send(2000, 1'000'000).conns(5, 40, "et", 50).fd_eagain(50);
    EXPECT_EQ(figures_of(s.p).futile_eagain(), 0u);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-et");
    EXPECT_EQ(m.confidence, "high");
}

TEST(DiagnosisModelIo, IoUring) {
    Proc s;
    s.calls(IOT_IO_URING_ENTER, 1000).recv(IOT_READ, 10, 100);
    Model m = classify(s);
    EXPECT_EQ(m.name, "io_uring");
    EXPECT_EQ(m.confidence, "high");
    EXPECT_EQ(m.evidence, Ev{"1,000 io_uring_enter calls vs 0 waits and 10 receives, accepts and sends (99.0% "
                             "io_uring_enter)"});
}

TEST(DiagnosisModelIo, IoUringBoundary) {
    auto with = [](uint64_t enters) {
        Proc s = epoll_server(100);  // 100 waits, 200 reads, 200 sends
        s.conns(5, 10, "lt", 100).calls(IOT_IO_URING_ENTER, enters);
        return classify(s);
    };
    EXPECT_EQ(with(500).name, "io_uring");
    EXPECT_EQ(with(500).confidence, "low");
    EXPECT_EQ(with(499).name, "epoll-lt");
}

// An epoll-et server under load: many reads per wait, half of them EAGAIN
// (draining), nothing sleeps. Not blocking, not busy-poll.
TEST(DiagnosisModelIo, LoadedEtServerStaysEpoll) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 100).wait_figs(2000, 0, 0, 0).recv(IOT_RECVFROM, 4000, 1'000'000, 2000);
    s.send(2000, 1'000'000).conns(5, 40, "et", 50);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-et");
    EXPECT_EQ(m.confidence, "high");
}

// A non-blocking server whose reads rarely sleep on a socket lock.
TEST(DiagnosisModelIo, RareReadSleepsStayEpoll) {
    Proc s = epoll_server(10000);
    s.wait_figs(20000, 0, 5, 0).conns(5, 10, "lt", 100);
    s.p.recv.blocked = 10;
    EXPECT_EQ(classify(s).name, "epoll-lt");
}

}  // namespace
}  // namespace iotrace
