// CumulativeSeries (src/serve/cumulative.h): counters never go down when
// processes exit, rename or reuse a pid; label sets go after the grace period.
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "serve/cumulative.h"

namespace iotrace {
namespace {

ProcessStats proc(int pid, const std::string& comm, uint64_t waits, bool exited = false) {
    ProcessStats p;
    p.pid = pid;
    p.comm = comm;
    p.exited = exited;
    p.syscalls[IOT_EPOLL_WAIT].calls = waits;
    p.waits.calls = waits;
    return p;
}

Snapshot frame(std::initializer_list<ProcessStats> ps) {
    Snapshot s;
    s.processes = ps;
    return s;
}

// epoll_wait calls per label set key ("comm" or "comm/pid"), summed as label_sets() would.
std::map<std::string, uint64_t> sums(const CumulativeSeries& c, bool per_pid = false) {
    std::map<std::string, uint64_t> out;
    for (const ProcessStats& p : c.snapshot().processes) {
        std::string key = per_pid ? p.comm + "/" + std::to_string(p.pid) : p.comm;
        out[key] += p.syscalls[IOT_EPOLL_WAIT].calls;
    }
    return out;
}

TEST(ServeCumulative, AnExitedProcessStaysInItsCommsSum) {
    CumulativeSeries c({.per_pid = false, .grace_s = 300});
    c.update(frame({proc(10, "nginx", 100), proc(11, "nginx", 50)}), 1);
    EXPECT_EQ(sums(c)["nginx"], 150u);
    c.update(frame({proc(10, "nginx", 120), proc(11, "nginx", 60, true)}), 2);  // 11 exits, final 60
    EXPECT_EQ(sums(c)["nginx"], 180u);
    c.update(frame({proc(10, "nginx", 130)}), 3);  // 11 is not in frames any more
    EXPECT_EQ(sums(c)["nginx"], 190u);
    EXPECT_EQ(c.live_processes(), 1u);
}

TEST(ServeCumulative, AProcessThatExitsBeforeItsFirstFrameCounts) {
    CumulativeSeries c({});
    c.update(frame({proc(20, "curl", 7, true)}), 1);
    EXPECT_EQ(sums(c)["curl"], 7u);
    EXPECT_EQ(c.live_processes(), 0u);
}

TEST(ServeCumulative, ACommGoesAfterTheGracePeriodOnceItsLastProcessExited) {
    CumulativeSeries c({.per_pid = false, .grace_s = 10});
    c.update(frame({proc(10, "worker", 5, true)}), 100);
    c.update(frame({}), 109);
    EXPECT_EQ(sums(c).count("worker"), 1u);
    c.update(frame({}), 110);
    EXPECT_EQ(sums(c).count("worker"), 0u);
    EXPECT_EQ(c.retired_keys(), 0u);
}

TEST(ServeCumulative, ANewProcessOfTheCommStopsTheGracePeriod) {
    CumulativeSeries c({.per_pid = false, .grace_s = 10});
    c.update(frame({proc(10, "worker", 5, true)}), 100);
    c.update(frame({proc(12, "worker", 1)}), 105);
    c.update(frame({proc(12, "worker", 2)}), 200);
    EXPECT_EQ(sums(c)["worker"], 7u);
    c.update(frame({proc(12, "worker", 3, true)}), 201);
    c.update(frame({}), 210);
    EXPECT_EQ(sums(c)["worker"], 8u);
    c.update(frame({}), 211);
    EXPECT_EQ(sums(c).count("worker"), 0u);
}

TEST(ServeCumulative, ARenamedProcessLeavesItsCountsWithItsOldComm) {
    CumulativeSeries c({.per_pid = false, .grace_s = 10});
    c.update(frame({proc(30, "bash", 5)}), 1);
    c.update(frame({proc(30, "work", 12)}), 2);  // exec: cumulative counters go on
    auto s = sums(c);
    EXPECT_EQ(s["bash"], 5u);
    EXPECT_EQ(s["work"], 7u);
    c.update(frame({proc(30, "work", 20)}), 3);
    EXPECT_EQ(sums(c)["work"], 15u);
    c.update(frame({proc(30, "work", 20)}), 12);  // bash has had no live process since 2
    EXPECT_EQ(sums(c).count("bash"), 0u);
    EXPECT_EQ(sums(c)["work"], 15u);
}

TEST(ServeCumulative, AReusedPidIsANewProcess) {
    CumulativeSeries c({});
    c.update(frame({proc(40, "a", 50)}), 1);
    c.update(frame({proc(40, "a", 3)}), 2);  // the first one's exit never came
    EXPECT_EQ(sums(c)["a"], 53u);
}

TEST(ServeCumulative, PerPidAnExitedProcessKeepsItsSeriesForTheGracePeriod) {
    CumulativeSeries c({.per_pid = true, .grace_s = 10});
    c.update(frame({proc(10, "nginx", 100), proc(11, "nginx", 50)}), 1);
    c.update(frame({proc(10, "nginx", 110), proc(11, "nginx", 60, true)}), 2);
    auto s = sums(c, true);
    EXPECT_EQ(s["nginx/10"], 110u);
    EXPECT_EQ(s["nginx/11"], 60u);
    c.update(frame({proc(10, "nginx", 120)}), 12);
    s = sums(c, true);
    EXPECT_EQ(s.count("nginx/11"), 0u);
    EXPECT_EQ(s["nginx/10"], 120u);
}

TEST(ServeCumulative, AtMostMaxRetiredLabelSetsOutliveTheirProcesses) {
    CumulativeSeries c({.per_pid = true, .grace_s = 300, .max_retired = 2});
    c.update(frame({proc(1, "w", 1, true)}), 1);
    c.update(frame({proc(2, "w", 1, true), proc(9, "srv", 5)}), 2);
    c.update(frame({proc(3, "w", 1, true), proc(4, "w", 1, true), proc(9, "srv", 6)}), 3);
    auto s = sums(c, true);
    EXPECT_EQ(s.count("w/1"), 0u);
    EXPECT_EQ(s.count("w/2"), 0u);
    EXPECT_EQ(s.count("w/3"), 1u);
    EXPECT_EQ(s.count("w/4"), 1u);
    EXPECT_EQ(s["srv/9"], 6u) << "a live process's label set is never dropped";
    EXPECT_EQ(c.retired_keys(), 2u);
    EXPECT_EQ(c.dropped_early(), 2u);
}

TEST(ServeCumulative, TheLastFramesLostCountsAreKept) {
    CumulativeSeries c({});
    Snapshot f = frame({proc(1, "x", 1)});
    f.lost[0] = 4;
    c.update(f, 1);
    EXPECT_EQ(c.snapshot().lost[0], 4u);
}

}  // namespace
}  // namespace iotrace
