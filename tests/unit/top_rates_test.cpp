// iotrace top's rates: exact differences of two frames' cumulative counters
// over the interval (src/top/rates.h, delta.h).
#include <gtest/gtest.h>

#include "top/delta.h"
#include "top/rates.h"
#include "top_fixtures.h"

namespace iotrace {
namespace {

using testing::frame;
using testing::P;

ProcessStats busy(uint64_t k) {  // k = 1 at t = 1, k = 3 at t = 3
    return P(10, "srv")
        .waits(100 * k, 150 * k, 1000 * k, 10 * k, 50 * k, 1'000'000 * k, k == 1 ? 250'000 : 1'000'000)
        .recv(k == 1 ? 80 : 280, k == 1 ? 8'000'000 : 28'000'000, k == 1 ? 8 : 48)
        .rereports(k == 1 ? 5 : 25, k == 1 ? 3 : 13);
}

TEST(TopRates, ExactFromTwoFrames) {
    RateTracker rt;
    rt.advance(frame(1, {busy(1)}));
    rt.advance(frame(3, {busy(3)}));
    ASSERT_TRUE(rt.has_previous());
    EXPECT_DOUBLE_EQ(rt.interval_s(), 2);
    auto rows = rt.process_rows();
    ASSERT_EQ(rows.size(), 1u);
    const Row& r = rows[0];
    EXPECT_FALSE(r.first);
    EXPECT_DOUBLE_EQ(r[Col::Waits].v, 100);        // 200 waits / 2 s
    EXPECT_DOUBLE_EQ(r[Col::ReadyPerWait].v, 1.5);  // 300 / 200
    EXPECT_DOUBLE_EQ(r[Col::WatchedPerWait].v, 10);
    EXPECT_DOUBLE_EQ(r[Col::EmptyPct].v, 10);  // 20 of 200
    EXPECT_DOUBLE_EQ(r[Col::Wakeups].v, 50);
    EXPECT_DOUBLE_EQ(r[Col::LtRereports].v, 10);
    EXPECT_DOUBLE_EQ(r[Col::EtUndrained].v, 5);
    EXPECT_DOUBLE_EQ(r[Col::Recv].v, 100);
    EXPECT_DOUBLE_EQ(r[Col::RecvMB].v, 10);     // 20e6 bytes / 2 s
    EXPECT_DOUBLE_EQ(r[Col::EagainPct].v, 20);  // 40 of 200
    EXPECT_DOUBLE_EQ(r[Col::CpuPct].v, 37.5);   // 750 us of 2 ms
    EXPECT_EQ(*r.counts.waits, 200u);
    EXPECT_EQ(*r.counts.recv_bytes, 20'000'000u);
    EXPECT_EQ(*r.counts.wait_cpu_ns, 750'000u);
}

TEST(TopRates, FirstFrameRunsFromTheStartOfTracing) {
    RateTracker rt;
    rt.advance(frame(2, {busy(1)}));
    EXPECT_FALSE(rt.has_previous());
    EXPECT_DOUBLE_EQ(rt.interval_s(), 2);
    auto rows = rt.process_rows();
    EXPECT_TRUE(rows[0].first);
    EXPECT_DOUBLE_EQ(rows[0][Col::Waits].v, 50);  // 100 waits since t = 0
}

TEST(TopRates, NewProcessCountsWhollyInItsFirstInterval) {
    RateTracker rt;
    rt.advance(frame(1, {busy(1)}));
    rt.advance(frame(2, {busy(1), P(20, "new").waits(30).recv(10, 500)}));
    auto rows = rt.process_rows();
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].pid, 20);
    EXPECT_TRUE(rows[1].first);
    EXPECT_DOUBLE_EQ(rows[1][Col::Waits].v, 30);
    EXPECT_DOUBLE_EQ(rows[1][Col::Recv].v, 10);
    // The old one did nothing in the interval: 0, and ratios over no waits are "-".
    EXPECT_DOUBLE_EQ(rows[0][Col::Waits].v, 0);
    EXPECT_EQ(rows[0][Col::ReadyPerWait].kind, Figure::None);
    EXPECT_EQ(rows[0][Col::EagainPct].kind, Figure::None);
}

TEST(TopRates, ReusedPidIsANewProcess) {
    RateTracker rt;
    rt.advance(frame(1, {busy(3)}));
    rt.advance(frame(2, {P(busy(3)).exited()}));
    rt.advance(frame(3, {P(10, "other").waits(7)}));  // the pid again, a new process
    auto rows = rt.process_rows();
    EXPECT_TRUE(rows[0].first);
    EXPECT_DOUBLE_EQ(rows[0][Col::Waits].v, 7);
    // Counters that went down (no exit seen) also mean a new process.
    rt.advance(frame(4, {P(10, "other").waits(2)}));
    EXPECT_DOUBLE_EQ(rt.process_rows()[0][Col::Waits].v, 2);
}

TEST(TopRates, LostEventsOfTheInterval) {
    RateTracker rt;
    rt.advance(frame(1, {}, 5));
    EXPECT_EQ(rt.lost_interval(), 5u);
    rt.advance(frame(2, {}, 12));
    EXPECT_EQ(rt.lost_interval(), 7u);
}

TEST(TopRates, ThreadRowsHaveTheirFiguresAndDashes) {
    RateTracker rt;
    rt.advance(frame(1, {P(10).waits(10).thread(10, "main", 4, 2, 10, 1, 4).thread(11, "worker", 6)}));
    rt.advance(frame(3, {P(10).waits(30).thread(10, "main", 24, 12, 30, 11, 44).thread(11, "worker", 6)
                                 .thread(12, "late", 8, 0, 4)}));
    auto rows = rt.thread_rows();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].tid, 10);
    EXPECT_EQ(rows[0].pid, 10);
    EXPECT_DOUBLE_EQ(rows[0][Col::Waits].v, 10);         // 20 / 2 s
    EXPECT_DOUBLE_EQ(rows[0][Col::Wakeups].v, 5);
    EXPECT_DOUBLE_EQ(rows[0][Col::ReadyPerWait].v, 2);   // 40 / 20
    EXPECT_DOUBLE_EQ(rows[0][Col::Recv].v, 10);
    EXPECT_DOUBLE_EQ(rows[0][Col::EagainPct].v, 50);     // 10 of 20
    for (Col c : {Col::WatchedPerWait, Col::EmptyPct, Col::LtRereports, Col::EtUndrained, Col::RecvMB, Col::CpuPct})
        EXPECT_EQ(rows[0][c].kind, Figure::None);
    EXPECT_DOUBLE_EQ(rows[1][Col::Waits].v, 0);
    EXPECT_TRUE(rows[2].first);
    EXPECT_DOUBLE_EQ(rows[2][Col::Waits].v, 4);
}

TEST(TopRates, UnavailableFiguresAreNa) {
    TopFrame f = frame(1, {busy(1)});
    f.snap.availability.missing[Part::WaitCpuTime] = "on_switch: refused";
    f.snap.availability.missing[Part::EpollReadiness] = "exit_epoll_wait: refused";
    RateTracker rt;
    rt.advance(f);
    const Row r = rt.process_rows()[0];
    EXPECT_EQ(r[Col::CpuPct].kind, Figure::Unavailable);
    EXPECT_EQ(r[Col::LtRereports].kind, Figure::Unavailable);
    EXPECT_EQ(r[Col::EtUndrained].kind, Figure::Unavailable);
    EXPECT_FALSE(r.counts.wait_cpu_ns.has_value());
    EXPECT_EQ(r[Col::Waits].kind, Figure::Value);
}

TEST(TopDelta, FdsAndThreadsMatchedAndIdleOnesLeftOut) {
    ProcessStats a = P(1).waits(10).thread(1, "a", 5).thread(2, "b", 5).fd(3, "tcp", "et", 4, 4, 40).fd(4, "tcp", "et", 1, 1, 1);
    ProcessStats b = P(1).waits(20).thread(1, "a", 15).thread(2, "b", 5).thread(3, "c", 2).fd(3, "tcp", "et", 9, 8, 90)
                         .fd(4, "tcp", "et", 1, 1, 1).fd(5, "pipe", "lt", 2, 2, 2);
    ProcessStats d = counter_delta(b, a);
    EXPECT_EQ(d.waits.calls, 10u);
    EXPECT_EQ(d.syscalls[IOT_EPOLL_WAIT].calls, 10u);
    ASSERT_EQ(d.threads.size(), 2u);  // b did nothing
    EXPECT_EQ(d.threads[0].tid, 1);
    EXPECT_EQ(d.threads[0].waits, 10u);
    EXPECT_EQ(d.threads[1].tid, 3);
    EXPECT_EQ(d.threads[1].waits, 2u);
    ASSERT_EQ(d.fds.size(), 2u);  // fd 4 did nothing
    EXPECT_EQ(d.fds[0].fd, 3);
    EXPECT_EQ(d.fds[0].reported, 5u);
    EXPECT_EQ(d.fds[0].bytes, 50u);
    EXPECT_EQ(d.fds[1].fd, 5);
    EXPECT_EQ(d.fds[1].reported, 2u);
}

TEST(TopDelta, HistogramsSubtract) {
    ProcessStats a = P(1).waits(3).hist(10, 3);
    ProcessStats b = P(1).waits(8).hist(10, 5).hist(12, 3);
    ProcessStats d = counter_delta(b, a);
    EXPECT_EQ(d.syscalls[IOT_EPOLL_WAIT].hist_log2_ns[10], 2u);
    EXPECT_EQ(d.syscalls[IOT_EPOLL_WAIT].hist_log2_ns[12], 3u);
}

}  // namespace
}  // namespace iotrace
