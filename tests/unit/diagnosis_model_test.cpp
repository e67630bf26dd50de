// The IO model rules (docs/diagnosis.md) on fixed processes: idle and the
// readiness models (select, poll, epoll-*), each threshold from both sides.
#include <gtest/gtest.h>

#include <utility>

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

TEST(DiagnosisModel, IdleWhenNothingObserved) {
    Model m = classify(Proc());
    EXPECT_EQ(m.name, "idle");
    EXPECT_EQ(m.modifier, "");
    EXPECT_EQ(m.confidence, "high");
    EXPECT_EQ(m.evidence, Ev{"no wait, receive, accept, send or io_uring_enter call observed"});
}

// close and epoll_ctl alone are not IO.
TEST(DiagnosisModel, IdleWithOnlyCloseAndEpollCtl) {
    EXPECT_EQ(classify(Proc().calls(IOT_CLOSE, 5).calls(IOT_EPOLL_CTL, 5)).name, "idle");
}

TEST(DiagnosisModel, IdleWhenWaitsFoundNothing) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 50).wait_figs(0, 50, 50, 0);
    Model m = classify(s);
    EXPECT_EQ(m.name, "idle");
    EXPECT_EQ(m.confidence, "medium");  // 50 waits: >= 10, < 100
    EXPECT_EQ(m.evidence, Ev{"50 waits, none reported a ready fd; no receive, accept, send or io_uring_enter call"});
    s.waits(IOT_EPOLL_WAIT, 50);
    EXPECT_EQ(classify(s).confidence, "high");
}

TEST(DiagnosisModel, EpollEdgeTriggered) {
    Proc s = epoll_server(4812);
    s.conns(5, 37, "et", 130);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-et");
    EXPECT_EQ(m.modifier, "");
    EXPECT_EQ(m.confidence, "high");
    EXPECT_EQ(m.evidence, (Ev{"4,812 waits, 100.0% epoll", "37 epoll fds reported, 100.0% edge-triggered"}));
}

TEST(DiagnosisModel, EpollLevelTriggeredCountsOneshotAsLevel) {
    Proc s = epoll_server(1000);
    s.conns(5, 6, "lt", 100).conns(20, 4, "oneshot", 100);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-lt");
    EXPECT_EQ(m.modifier, "");  // 40% oneshot: not dominant
    EXPECT_EQ(m.evidence, (Ev{"1,000 waits, 100.0% epoll", "10 epoll fds reported, 100.0% level-triggered"}));
}

TEST(DiagnosisModel, OneshotModifierFromHalfTheFds) {
    Proc s = epoll_server(1000);
    s.conns(5, 5, "lt", 100).conns(20, 5, "oneshot", 100);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-lt");
    EXPECT_EQ(m.modifier, "oneshot");
    EXPECT_EQ(m.evidence.back(), "5 of 10 EPOLLONESHOT (50.0%)");
    Proc t = epoll_server(1000);
    t.conns(5, 6, "lt", 100).conns(20, 4, "oneshot", 100);
    EXPECT_EQ(classify(t).modifier, "");
}

// EPOLLET|EPOLLONESHOT: trigger et, the oneshot flag set. The modifier
// counts oneshot fds among edge- and level-triggered fds alike.
TEST(DiagnosisModel, EdgeTriggeredOneshot) {
    // oneshot fds of 10 -> modifier: the boundary is 50%
    for (auto [n, modifier] : {std::pair{8, "oneshot"}, {5, "oneshot"}, {4, ""}}) {
        Proc s = epoll_server(1000);
        s.oneshot_conns(5, n, "et", 100).conns(20, 10 - n, "et", 100);
        Model m = classify(s);
        EXPECT_EQ(m.name, "epoll-et") << n;
        EXPECT_EQ(m.modifier, modifier) << n;
        EXPECT_EQ(m.confidence, "high") << n;
    }
    Proc s = epoll_server(1000);
    s.oneshot_conns(5, 8, "et", 100).conns(20, 2, "et", 100);
    EXPECT_EQ(classify(s).evidence, (Ev{"1,000 waits, 100.0% epoll", "10 epoll fds reported, 100.0% edge-triggered",
                                        "8 of 10 EPOLLONESHOT (80.0%)"}));
}

// Oneshot fds of both triggers add up toward the modifier; the trigger
// shares are unchanged by it.
TEST(DiagnosisModel, OneshotCountedAcrossTriggers) {
    Proc s = epoll_server(1000);
    s.oneshot_conns(5, 3, "et", 100).conns(10, 2, "oneshot", 100).conns(20, 5, "et", 100);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-mixed");
    EXPECT_EQ(m.modifier, "oneshot");
    EXPECT_EQ(m.evidence[1], "10 epoll fds reported, 80.0% edge-triggered, 20.0% level-triggered");
    EXPECT_EQ(m.evidence.back(), "5 of 10 EPOLLONESHOT (50.0%)");
}

// 90% of the fds of one kind names it; below, both kinds: mixed.
TEST(DiagnosisModel, TriggerBoundary) {
    Proc et = epoll_server(1000);
    et.conns(5, 9, "et", 100).conns(20, 1, "lt", 100);
    EXPECT_EQ(classify(et).name, "epoll-et");
    Proc mixed = epoll_server(1000);
    mixed.conns(5, 8, "et", 100).conns(20, 1, "lt", 100);  // 88.9%
    Model m = classify(mixed);
    EXPECT_EQ(m.name, "epoll-mixed");
    EXPECT_EQ(m.evidence[1], "9 epoll fds reported, 88.9% edge-triggered, 11.1% level-triggered");
    EXPECT_EQ(m.confidence, "low");  // 2 x 11.1% evenness
    Proc lt = epoll_server(1000);
    lt.conns(5, 1, "et", 100).conns(20, 9, "oneshot", 100);
    EXPECT_EQ(classify(lt).name, "epoll-lt");
    EXPECT_EQ(classify(lt).modifier, "oneshot");
}

TEST(DiagnosisModel, EvenlyMixedIsSure) {
    Proc s = epoll_server(1000);
    s.conns(5, 5, "et", 100).conns(20, 5, "lt", 100);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-mixed");
    EXPECT_EQ(m.confidence, "high");
}

// Listening sockets and eventfds are often level-triggered in an ET server.
TEST(DiagnosisModel, ListenersAndControlFdsSetAside) {
    Proc s = epoll_server(1000);
    s.fd(3, "tcp", "lt", 40, "0.0.0.0:80").fd(4, "eventfd", "lt", 10).conns(5, 20, "et", 100);
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-et");
    EXPECT_EQ(m.evidence, (Ev{"1,000 waits, 100.0% epoll", "20 epoll fds reported, 100.0% edge-triggered",
                              "not counted: 1 listening socket, 1 eventfd/timerfd/signalfd/epoll fd"}));
}

TEST(DiagnosisModel, SetAsideNamesOnlyWhatWasSetAside) {
    Proc s = epoll_server(1000);
    s.fd(3, "tcp", "lt", 40, "0.0.0.0:80").fd(4, "tcp6", "lt", 40, "[::]:80").conns(5, 20, "et", 100);
    EXPECT_EQ(classify(s).evidence.back(), "not counted: 2 listening sockets");
    Proc t = epoll_server(1000);
    t.fd(4, "timerfd", "lt", 10).fd(6, "signalfd", "et", 10).conns(7, 20, "lt", 100);
    EXPECT_EQ(classify(t).evidence.back(), "not counted: 2 eventfd/timerfd/signalfd/epoll fds");
}

TEST(DiagnosisModel, OnlyListenerReportedIsCounted) {
    Proc s = epoll_server(1000);
    s.fd(3, "tcp6", "lt", 400, "[::]:80").fd(9, "udp", "select", 5, "0.0.0.0:53");
    Model m = classify(s);
    EXPECT_EQ(m.name, "epoll-lt");
    EXPECT_EQ(m.evidence, (Ev{"1,000 waits, 100.0% epoll", "1 epoll fd reported, 100.0% level-triggered"}));
    EXPECT_EQ(m.confidence, "high");  // 400 reports
}

TEST(DiagnosisModel, EpollWithoutReportedFdsIsUnknownTrigger) {
    Model m = classify(epoll_server(1000));
    EXPECT_EQ(m.name, "epoll");
    EXPECT_EQ(m.confidence, "low");
    EXPECT_EQ(m.evidence[1], "no fd reported by epoll: edge or level triggering unknown");
}

// Few registrations: the reports still make the sample.
TEST(DiagnosisModel, TriggerConfidenceFromReports) {
    Proc s = epoll_server(1000);
    s.conns(5, 2, "et", 49);
    EXPECT_EQ(classify(s).confidence, "medium");  // 98 reports
    s.p.fds[0].reported = 51;
    EXPECT_EQ(classify(s).confidence, "high");
}

TEST(DiagnosisModel, SelectAndPoll) {
    Proc s;
    s.waits(IOT_SELECT, 600).waits(IOT_PSELECT6, 400).wait_figs(2000, 0, 900, 0);
    s.recv(IOT_READ, 2000, 100000).send(2000, 100000);
    Model m = classify(s);
    EXPECT_EQ(m.name, "select");
    EXPECT_EQ(m.confidence, "high");
    EXPECT_EQ(m.evidence, Ev{"1,000 waits, 100.0% select"});
    Proc p;
    p.waits(IOT_PPOLL, 10).wait_figs(10, 0, 10, 0).recv(IOT_READ, 10, 100);
    EXPECT_EQ(classify(p).name, "poll");
    EXPECT_EQ(classify(p).confidence, "medium");  // 10 waits
}

// The family with most waits names the model; its share sets the confidence.
TEST(DiagnosisModel, FamilyDominance) {
    auto with = [](uint64_t epoll, uint64_t poll, uint64_t select) {
        Proc s;
        s.waits(IOT_EPOLL_PWAIT, epoll).waits(IOT_POLL, poll).waits(IOT_SELECT, select);
        s.wait_figs(1000, 0, 500, 0).recv(IOT_RECVMSG, 1000, 1000);
        s.conns(5, 10, "et", 100);
        return classify(s);
    };
    Model m = with(900, 100, 0);
    EXPECT_EQ(m.name, "epoll-et");
    EXPECT_EQ(m.confidence, "high");
    EXPECT_EQ(m.evidence[0], "1,000 waits, 90.0% epoll (10.0% poll)");
    EXPECT_EQ(with(899, 101, 0).confidence, "medium");
    EXPECT_EQ(with(750, 150, 100).confidence, "medium");
    EXPECT_EQ(with(750, 150, 100).evidence[0], "1,000 waits, 75.0% epoll (15.0% poll, 10.0% select)");
    EXPECT_EQ(with(749, 251, 0).confidence, "low");
    EXPECT_EQ(with(100, 300, 600).name, "select");
    EXPECT_EQ(with(100, 300, 600).evidence[0], "1,000 waits, 60.0% select (30.0% poll, 10.0% epoll)");
    // Ties: epoll, then poll.
    EXPECT_EQ(with(500, 0, 500).name, "epoll-et");
    EXPECT_EQ(with(0, 500, 500).name, "poll");
}

}  // namespace
}  // namespace iotrace
