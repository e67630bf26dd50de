// Findings about the waits, values exact: select/poll scan cost, empty
// wakeups, re-reports, EPOLLOUT busy loops, ET stall risk.
#include <gtest/gtest.h>

#include "analysis/findings.h"
#include "diagnosis_fixtures.h"

namespace iotrace {
namespace {

using testing::Proc;
using Figs = std::vector<std::pair<std::string, double>>;

// The one finding with this id, or a failed assertion.
Finding only(const std::vector<Finding>& all, const std::string& id) {
    std::vector<Finding> hits;
    for (const Finding& f : all)
        if (f.id == id) hits.push_back(f);
    EXPECT_EQ(hits.size(), 1u) << id;
    return hits.empty() ? Finding{} : hits[0];
}

bool has(const std::vector<Finding>& all, const std::string& id) {
    for (const Finding& f : all)
        if (f.id == id) return true;
    return false;
}

// The reference article's case: select() over 1,000 fds, 2 ready per call.
Proc select_server(uint64_t watched, uint64_t ready, uint64_t cpu_ns) {
    Proc s;
    s.waits(IOT_SELECT, 10000).wait_figs(ready, 0, 9000, 0).scan(watched, watched, cpu_ns);
    s.recv(IOT_READ, 20000, 2'000'000).send(20000, 2'000'000);
    return s;
}

TEST(DiagnosisFindingsWaits, SelectScanCost) {
    Finding f = only(find_issues(select_server(10'000'000, 20000, 380'000'000), 10), "select_scan_cost");
    EXPECT_EQ(f.severity, "medium");
    EXPECT_EQ(f.text,
              "select() watches 1,000.0 fds to find 2.0 ready per call: 38.0 ms of CPU per second goes to the waits; "
              "epoll would cost ~2.0 per call instead of 1,000.0 (estimated 37.9 ms/s saved) — switch to epoll");
    double epoll_ms = 38.0 * 2.0 / 1000.0;
    EXPECT_EQ(f.figures, (Figs{{"watched_per_wait", 1000},
                               {"ready_per_wait", 2},
                               {"waits_per_s", 1000},
                               {"cpu_ms_per_s", 38},
                               {"epoll_estimate_ms_per_s", epoll_ms},
                               {"saving_ms_per_s", 38.0 - epoll_ms}}));
}

TEST(DiagnosisFindingsWaits, SelectScanCostSeverityBySaving) {
    auto sev = [](uint64_t cpu_ns) {
        return only(find_issues(select_server(10'000'000, 0, cpu_ns), 1), "select_scan_cost").severity;
    };
    // ready < 1 per call counts as 1: saving = cpu x (1 - 1/1000)
    EXPECT_EQ(sev(50'050'051), "high");  // 50.000001 ms/s saved
    EXPECT_EQ(sev(50'050'050), "medium");
    EXPECT_EQ(sev(10'010'011), "medium");
    EXPECT_EQ(sev(10'010'010), "low");
    EXPECT_EQ(sev(1'001'002), "low");
    EXPECT_EQ(sev(1'001'001), "info");
}

TEST(DiagnosisFindingsWaits, SelectScanCostOnlyWhenEpollWouldSave) {
    // 15.9 fds per call: too few to matter
    EXPECT_FALSE(has(find_issues(select_server(159'000, 0, 1'000'000'000), 10), "select_scan_cost"));
    EXPECT_TRUE(has(find_issues(select_server(160'000, 0, 1'000'000'000), 10), "select_scan_cost"));
    // 100 watched, 50.1 ready per call: epoll would not halve it
    EXPECT_FALSE(has(find_issues(select_server(1'000'000, 501'000, 1'000'000'000), 10), "select_scan_cost"));
    EXPECT_TRUE(has(find_issues(select_server(1'000'000, 500'000, 1'000'000'000), 10), "select_scan_cost"));
    // select/poll under 90% of the waits: the totals mix families
    Proc mixed = select_server(10'000'000, 20000, 380'000'000);
    mixed.waits(IOT_EPOLL_WAIT, 1112);
    EXPECT_FALSE(has(find_issues(mixed, 10), "select_scan_cost"));
    Proc poll = select_server(10'000'000, 20000, 380'000'000);  // now 10,000 poll and 1,111 epoll waits: 90.0%
    poll.p.syscalls[IOT_SELECT].calls = 0;
    poll.calls(IOT_POLL, 10000).waits(IOT_EPOLL_WAIT, 1111);
    Finding f = only(find_issues(poll, 10), "select_scan_cost");
    EXPECT_EQ(f.text.substr(0, 15), "poll() watches ");
}

// zero_timeout_empty of the empty waits had a zero timeout (and zero_timeout
// waits in all, the others returned events).
Proc waiting(uint64_t waits, uint64_t empty, uint64_t zero_timeout_empty, uint64_t zero_timeout = 0) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, waits)
        .wait_figs(waits, empty, waits, std::max(zero_timeout, zero_timeout_empty), zero_timeout_empty)
        .recv(IOT_READ, waits, waits * 100);
    return s;
}

TEST(DiagnosisFindingsWaits, EmptyWakeups) {
    Finding f = only(find_issues(waiting(10000, 5000, 1000), 10), "empty_wakeups");
    EXPECT_EQ(f.severity, "medium");
    EXPECT_EQ(f.text,
              "4,000 of 10,000 waits (40.0%) timed out with nothing ready, 400.0 per second: each is a wakeup with "
              "nothing to do — wait until the next timer deadline (or longer) rather than for a short fixed timeout");
    EXPECT_EQ(f.figures, (Figs{{"empty", 4000}, {"empty_share", 0.4}, {"empty_per_s", 400}}));
}

// Zero-timeout waits that returned events take nothing off the empty ones:
// only the empty zero-timeout waits are busy-poll's.
TEST(DiagnosisFindingsWaits, EmptyWakeupsLeaveOutOnlyEmptyZeroTimeoutWaits) {
    Finding f = only(find_issues(waiting(10000, 5000, 1000, 6000), 10), "empty_wakeups");
    EXPECT_EQ(f.figures, (Figs{{"empty", 4000}, {"empty_share", 0.4}, {"empty_per_s", 400}}));
}

TEST(DiagnosisFindingsWaits, EmptyWakeupsBoundaries) {
    auto find = [](uint64_t empty, double seconds) { return find_issues(waiting(10000, empty, 0), seconds); };
    EXPECT_EQ(only(find(2500, 10), "empty_wakeups").severity, "medium");  // 25%, 250/s
    EXPECT_FALSE(has(find(2499, 10), "empty_wakeups"));
    EXPECT_EQ(only(find(10000, 1000), "empty_wakeups").severity, "low");  // 10/s
    EXPECT_FALSE(has(find(9999, 1000), "empty_wakeups"));
    EXPECT_EQ(only(find(10000, 10), "empty_wakeups").severity, "high");  // 1,000/s
    EXPECT_EQ(only(find(10000, 100.01), "empty_wakeups").severity, "low");
    EXPECT_FALSE(has(find(10000, 0), "empty_wakeups"));  // no duration, no rate
}

Proc rereporting(uint64_t waits) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, waits).wait_figs(waits, 0, waits, 0).recv(IOT_READ, waits, waits * 100);
    s.conns(7, 2, "lt", 500);
    return s;
}

// The figures of lt_rereports_unread and shared_epoll_herd, in their order.
Figs rereport_figs(double count, double per_wait, double per_s, double worst_fd, double worst_fd_count,
                   double epoll_threads) {
    return {{"count", count},       {"per_wait", per_wait},
            {"per_s", per_s},       {"worst_fd", worst_fd},
            {"worst_fd_count", worst_fd_count}, {"epoll_threads", epoll_threads}};
}

TEST(DiagnosisFindingsWaits, LtRereportsUnread) {
    Proc s = rereporting(1000);
    s.p.readiness.lt_rereports_unread = 200;
    s.p.fds[0].lt_rereports_unread = 150;
    s.p.fds[1].lt_rereports_unread = 50;
    Finding f = only(find_issues(s, 10), "lt_rereports_unread");
    EXPECT_EQ(f.severity, "medium");
    EXPECT_EQ(f.text,
              "200 level-triggered reports (0.20 per wait) named an fd not read since the previous wait reported it, "
              "most on fd 7 (150): read a reported fd before waiting again, or stop watching it while you defer it "
              "(EPOLL_CTL_DEL, or EPOLLET)");
    EXPECT_EQ(f.figures, rereport_figs(200, 0.2, 20, 7, 150, 0));
}

// 500 unread re-reports in 1,000 waits of 3 threads, `herd` of the reports
// handed an unread fd to a second thread.
Proc unread_on_three_threads(uint64_t herd) {
    Proc s = rereporting(1000);
    s.p.readiness.lt_rereports_unread = 500;
    s.p.readiness.herd_rereports = herd;
    for (int tid : {1, 2, 3}) {
        ThreadStats t = testing::thread(tid, "w");
        t.waits = t.epoll_waits = 333;
        s.thread(t);
    }
    return s;
}

// Several threads on one epoll fd (herd re-reports show it): the re-reports
// may be one event handed to two.
TEST(DiagnosisFindingsWaits, LtRereportsUnreadWithASharedEpollFd) {
    Finding f = only(find_issues(unread_on_three_threads(40), 10), "lt_rereports_unread");
    EXPECT_EQ(f.severity, "high");
    EXPECT_EQ(f.text,
              "500 level-triggered reports (0.50 per wait) named an fd not read since the previous wait reported it: "
              "read a reported fd before waiting again, or stop watching it while you defer it (EPOLL_CTL_DEL, or "
              "EPOLLET); 3 threads wait on epoll and 40 reports handed an unread fd to a second thread: they share an "
              "epoll fd, which hands a level-triggered event to the next thread while one handles it (EPOLLONESHOT or "
              "one epoll fd per thread avoids that)");
    EXPECT_EQ(f.figures[3], (std::pair<std::string, double>{"worst_fd", -1}));
    EXPECT_EQ(f.figures[5], (std::pair<std::string, double>{"epoll_threads", 3}));
}

// Threads with an epoll fd each (memcached's workers): no report ever went
// to a second thread, so nothing is said of sharing.
TEST(DiagnosisFindingsWaits, LtRereportsUnreadWithAnEpollFdPerThread) {
    Finding f = only(find_issues(unread_on_three_threads(0), 10), "lt_rereports_unread");
    EXPECT_EQ(f.text.find("share"), std::string::npos) << f.text;
    EXPECT_EQ(f.figures[5], (std::pair<std::string, double>{"epoll_threads", 3}));
}

// The severity of finding `id` when readiness figure `field` is `count` in
// `waits` waits; "none" when it is not emitted.
std::string severity_of(const std::string& id, uint64_t ReadinessStats::*field, uint64_t waits, uint64_t count) {
    Proc s = rereporting(waits);
    s.p.readiness.*field = count;
    std::vector<Finding> all = find_issues(s, 10);
    return has(all, id) ? only(all, id).severity : std::string("none");
}

TEST(DiagnosisFindingsWaits, RereportBoundaries) {
    auto sev = [](uint64_t waits, uint64_t unread) {
        return severity_of("lt_rereports_unread", &ReadinessStats::lt_rereports_unread, waits, unread);
    };
    EXPECT_EQ(sev(1000, 10), "low");  // 10 events, 1% of the waits
    EXPECT_EQ(sev(1000, 9), "none");
    EXPECT_EQ(sev(1001, 10), "none");  // under 1%
    EXPECT_EQ(sev(1000, 99), "low");
    EXPECT_EQ(sev(1000, 100), "medium");  // 10%
    EXPECT_EQ(sev(1000, 499), "medium");
    EXPECT_EQ(sev(1000, 500), "high");  // 50%
}

// Threads sharing one epoll fd, an unread fd handed on from thread to thread.
TEST(DiagnosisFindingsWaits, SharedEpollHerd) {
    Proc s = rereporting(1000);
    s.p.readiness.herd_rereports = 300;
    s.p.fds[0].herd_rereports = 100;
    s.p.fds[1].herd_rereports = 200;
    for (int tid : {1, 2, 3, 4}) {
        ThreadStats t = testing::thread(tid, "w");
        t.waits = t.epoll_waits = 250;
        s.thread(t);
    }
    Finding f = only(find_issues(s, 10), "shared_epoll_herd");
    EXPECT_EQ(f.severity, "medium");  // 30% of the waits
    EXPECT_EQ(f.text,
              "300 epoll reports (0.30 per wait) handed an fd to a thread while the thread last handed it had not "
              "read it, most on fd 8 (200): 4 threads wait on a shared epoll fd and are woken for the same event — "
              "register such fds EPOLLONESHOT (EPOLLET|EPOLLONESHOT, re-armed with EPOLL_CTL_MOD once handled) so "
              "one thread holds an fd at a time, or give each thread its own epoll fd (a listener shared by them "
              "with EPOLLEXCLUSIVE, or one per thread with SO_REUSEPORT)");
    EXPECT_EQ(f.figures, rereport_figs(300, 0.3, 30, 8, 200, 4));
}

// The same boundaries as the re-reports: >= 10 and >= 1% of the waits;
// severity by share of the waits.
TEST(DiagnosisFindingsWaits, SharedEpollHerdBoundaries) {
    auto sev = [](uint64_t waits, uint64_t herd) {
        return severity_of("shared_epoll_herd", &ReadinessStats::herd_rereports, waits, herd);
    };
    EXPECT_EQ(sev(1000, 0), "none");
    EXPECT_EQ(sev(1000, 9), "none");
    EXPECT_EQ(sev(1000, 10), "low");
    EXPECT_EQ(sev(1001, 10), "none");  // under 1%
    EXPECT_EQ(sev(1000, 100), "medium");
    EXPECT_EQ(sev(1000, 500), "high");
}

TEST(DiagnosisFindingsWaits, LtRereportsPartial) {
    Proc s = rereporting(1990);
    s.p.readiness.lt_rereports_partial = 1000;
    s.p.fds[0].lt_rereports_partial = 400;
    s.p.fds[1].lt_rereports_partial = 400;  // a tie: the lower fd
    Finding f = only(find_issues(s, 5), "lt_rereports_partial");
    EXPECT_EQ(f.severity, "medium");  // half the waits, but 200 per second
    EXPECT_EQ(f.text,
              "1,000 level-triggered reports (0.50 per wait) named an fd read but not drained since the previous "
              "report, most on fd 7 (400): read until EAGAIN or a short read (or into a larger buffer) before waiting "
              "again — each is a wait spent on data already announced");
    EXPECT_EQ(
        f.figures,
        (Figs{
            {"count", 1000}, {"per_wait", 1000.0 / 1990.0}, {"per_s", 200}, {"worst_fd", 7}, {"worst_fd_count", 400}}));
}

// Severity by share of the waits (>= 50% high, >= 10% medium), and no
// higher than the rate allows (>= 1,000 per second high, >= 100 medium).
TEST(DiagnosisFindingsWaits, LtRereportsPartialShareAndRate) {
    auto sev = [](uint64_t waits, uint64_t partial, double seconds) {
        Proc s = rereporting(waits);
        s.p.readiness.lt_rereports_partial = partial;
        std::vector<Finding> all = find_issues(s, seconds);
        return has(all, "lt_rereports_partial") ? only(all, "lt_rereports_partial").severity : std::string("none");
    };
    EXPECT_EQ(sev(1000, 500, 0.5), "high");     // 50%, 1,000 per second
    EXPECT_EQ(sev(1000, 500, 0.5001), "medium");  // 999.8 per second
    EXPECT_EQ(sev(1000, 499, 0.1), "medium");   // 49.9%, 4,990 per second
    EXPECT_EQ(sev(1000, 100, 1), "medium");     // 10%, 100 per second
    EXPECT_EQ(sev(1000, 100, 1.001), "low");    // 99.9 per second
    EXPECT_EQ(sev(1000, 99, 0.01), "low");      // 9.9%, 9,900 per second
    EXPECT_EQ(sev(1000, 500, 0), "low");        // no duration, no rate
    // Node.js's listener (libuv accepts one connection per wakeup): 18 of
    // 160 waits in half a second, 36 per second.
    EXPECT_EQ(sev(160, 18, 0.5), "low");
}

// A listening socket accepted from once per wakeup: accept until EAGAIN.
TEST(DiagnosisFindingsWaits, LtRereportsPartialOnAListener) {
    Proc s = rereporting(30);
    s.p.fds.clear();
    s.fd(3, "tcp", "lt", 30, "0.0.0.0:80");
    s.p.readiness.lt_rereports_partial = s.p.fds[0].lt_rereports_partial = 28;
    EXPECT_EQ(only(find_issues(s, 3), "lt_rereports_partial").text,
              "28 level-triggered reports (0.93 per wait) named an fd read but not drained since the previous report, "
              "most on fd 3 (28): accept until EAGAIN before waiting again — each is a wait spent on connections "
              "already announced");
}

TEST(DiagnosisFindingsWaits, EpolloutBusyLoopNamesTheFamilysFlag) {
    Proc s;
    s.waits(IOT_POLL, 100).wait_figs(200, 0, 40, 0).recv(IOT_READ, 100, 10000);
    s.fd(5, "tcp", "poll", 200, "10.0.0.1:80", "10.0.0.2:4000");
    s.p.readiness.write_rereports_unwritten = 60;
    s.p.fds[0].write_rereports = 60;
    Finding f = only(find_issues(s, 2), "epollout_busy_loop");
    EXPECT_EQ(f.severity, "high");
    EXPECT_EQ(f.text,
              "60 writable reports (0.60 per wait) came with nothing written since the previous one, most on fd 5 "
              "(60): watch for writability (POLLOUT) only while output is pending, and stop once the buffer is "
              "flushed");
    EXPECT_EQ(f.figures,
              (Figs{{"count", 60}, {"per_wait", 0.6}, {"per_s", 30}, {"worst_fd", 5}, {"worst_fd_count", 60}}));
    s.p.syscalls[IOT_POLL].calls = 0;
    s.calls(IOT_EPOLL_WAIT, 100);
    EXPECT_NE(only(find_issues(s, 2), "epollout_busy_loop").text.find("(EPOLLOUT)"), std::string::npos);
    s.p.syscalls[IOT_EPOLL_WAIT].calls = 0;
    s.calls(IOT_PSELECT6, 100);
    EXPECT_NE(only(find_issues(s, 2), "epollout_busy_loop").text.find("(the write set)"), std::string::npos);
}

// An ET server whose fds (fd, stalls) stalled; every notification is also
// counted undrained, as a netpoller handing fds to other threads shows it.
Proc et_server(uint64_t notifications, std::vector<std::pair<int, uint64_t>> stalls) {
    Proc s = rereporting(4000);
    s.p.fds.clear();
    s.p.readiness.et_notifications = notifications;
    s.p.readiness.et_undrained = notifications;
    for (auto [fd, n] : stalls) {
        s.fd(fd, "tcp", "et", 100, "10.0.0.1:80", "10.0.0.2:4000");
        s.p.fds.back().et_stalls = n;
        s.p.readiness.et_stalls += n;
    }
    return s;
}

TEST(DiagnosisFindingsWaits, EtStallRisk) {
    Finding f = only(find_issues(et_server(4812, {{7, 5}, {9, 2}, {12, 5}}), 10), "et_stall_risk");
    EXPECT_EQ(f.severity, "low");
    EXPECT_EQ(f.text,
              "12 of 4,812 edge-triggered notifications (0.2%) came while the fd's previous one was still not "
              "drained (fds 7, 12, 9): with EPOLLET that data was not reported again until more arrived, so a "
              "connection can stall — read until EAGAIN or a short read (in whichever thread takes the fd) before "
              "relying on the next notification");
    EXPECT_EQ(f.figures, (Figs{{"et_stalls", 12},
                               {"et_notifications", 4812},
                               {"stall_share", 12.0 / 4812.0},
                               {"fds_affected", 3},
                               {"worst_fd", 7},
                               {"worst_fd_stalls", 5}}));
}

// The threshold is one stall; undrained notifications alone (the waiter
// waited again before another thread drained) are no stall risk.
TEST(DiagnosisFindingsWaits, EtStallRiskNeedsAStall) {
    Proc handoff = et_server(1000, {});
    ASSERT_EQ(handoff.p.readiness.et_undrained, 1000u);
    EXPECT_FALSE(has(find_issues(handoff, 10), "et_stall_risk"));
    Finding one = only(find_issues(et_server(1000, {{7, 1}}), 10), "et_stall_risk");
    EXPECT_EQ(one.severity, "low");
    EXPECT_EQ(one.text.rfind("1 of 1,000 edge-triggered notifications (0.1%) came while", 0), 0u) << one.text;
}

TEST(DiagnosisFindingsWaits, EtStallRiskSeverityAndFdList) {
    auto find = [](uint64_t notifications, std::vector<std::pair<int, uint64_t>> u) {
        return only(find_issues(et_server(notifications, u), 10), "et_stall_risk");
    };
    EXPECT_EQ(find(100, {{7, 10}}).severity, "high");
    EXPECT_NE(find(100, {{7, 10}}).text.find(" (fd 7):"), std::string::npos);
    EXPECT_EQ(find(101, {{7, 10}}).severity, "medium");
    EXPECT_EQ(find(1000, {{7, 10}}).severity, "medium");
    EXPECT_EQ(find(1001, {{7, 10}}).severity, "low");
    Finding many = find(1000, {{3, 1}, {4, 1}, {5, 1}, {6, 1}, {7, 1}, {8, 1}, {9, 2}});
    EXPECT_NE(many.text.find(" (fds 9, 3, 4, 5, 6 and 2 more):"), std::string::npos);
    EXPECT_FALSE(has(find_issues(et_server(1000, {}), 10), "et_stall_risk"));
}

}  // namespace
}  // namespace iotrace
