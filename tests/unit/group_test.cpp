// group_processes (src/model/group.h) on hand-built snapshots: which
// followed processes become one entry, and what the entry adds up.
#include <gtest/gtest.h>

#include "model/group.h"
#include "report/json_report.h"
#include "report/text_report.h"

namespace iotrace {
namespace {

ProcessStats proc(int pid, int ppid, const std::string& comm, bool target = false) {
    ProcessStats p;
    p.pid = pid;
    p.ppid = ppid;
    p.comm = comm;
    p.target = target;
    p.exited = true;
    return p;
}

// A child that served one connection: 3 recvfrom of 64 bytes, 3 sendto.
ProcessStats child(int pid, int ppid, const std::string& comm = "httpd") {
    ProcessStats p = proc(pid, ppid, comm);
    p.syscalls[IOT_RECVFROM].calls = 3;
    p.syscalls[IOT_RECVFROM].time_ns = 300;
    p.syscalls[IOT_RECVFROM].hist_log2_ns[6] = 3;
    p.syscalls[IOT_SENDTO].calls = 3;
    p.recv.calls = 3;
    p.recv.bytes = 192;
    p.send.calls = 3;
    p.send.bytes = 192;
    p.copy.recv_bytes = 192;
    FdStats f;
    f.fd = 4;
    f.kind = "tcp";
    f.local = "127.0.0.1:80";
    f.peer = "127.0.0.1:" + std::to_string(40000 + pid);
    f.reads = 3;
    p.fds.push_back(f);
    ThreadStats t;
    t.tid = pid;
    t.recv = 3;
    p.threads.push_back(t);
    return p;
}

Snapshot snap_of(std::vector<ProcessStats> ps) {
    Snapshot s;
    s.processes = std::move(ps);
    return s;
}

TEST(Group, SameCommSameParentBecomeOneEntry) {
    Snapshot s = group_processes(snap_of({proc(100, 0, "httpd", true), child(103, 100), child(101, 100),
                                          child(102, 100)}));
    ASSERT_EQ(s.processes.size(), 2u);
    EXPECT_EQ(s.processes[0].pid, 100);
    EXPECT_EQ(s.processes[0].group.processes, 0u);  // the target stays itself
    const ProcessStats& g = s.processes[1];
    EXPECT_EQ(g.pid, 101);  // the lowest
    EXPECT_EQ(g.ppid, 100);
    EXPECT_EQ(g.comm, "httpd");
    EXPECT_TRUE(g.exited);
    EXPECT_EQ(g.group.processes, 3u);
    EXPECT_EQ(g.group.exited, 3u);
    EXPECT_EQ(g.group.pids, (std::vector<int>{101, 102, 103}));
    EXPECT_EQ(g.syscalls[IOT_RECVFROM].calls, 9u);
    EXPECT_EQ(g.syscalls[IOT_RECVFROM].time_ns, 900u);
    EXPECT_EQ(g.syscalls[IOT_RECVFROM].hist_log2_ns[6], 9u);
    EXPECT_EQ(g.syscalls[IOT_SENDTO].calls, 9u);
    EXPECT_EQ(g.recv.bytes, 576u);
    EXPECT_EQ(g.send.bytes, 576u);
    EXPECT_EQ(g.copy.recv_bytes, 576u);
    // one fd 4 for all, its counters summed; the peers differ: no peer
    ASSERT_EQ(g.fds.size(), 1u);
    EXPECT_EQ(g.fds[0].reads, 9u);
    EXPECT_EQ(g.fds[0].local, "127.0.0.1:80");
    EXPECT_EQ(g.fds[0].peer, "");
    EXPECT_TRUE(g.threads.empty());
}

// Every counter of ReadinessStats, WaitStats and FdStats is summed: a
// figure left out would read 0 for a group whatever its members counted.
TEST(Group, EveryReadinessAndWaitCounterIsSummed) {
    ProcessStats a = child(101, 100), b = child(102, 100);
    for (ProcessStats* p : {&a, &b}) {
        p->waits.zero_timeout = 3;
        p->waits.zero_timeout_empty = 2;
        p->readiness.et_stalls = 5;
        p->readiness.herd_rereports = 1;
        p->fds[0].et_stalls = 4;
    }
    Snapshot s = group_processes(snap_of({a, b}));
    ASSERT_EQ(s.processes.size(), 1u);
    const ProcessStats& g = s.processes[0];
    EXPECT_EQ(g.waits.zero_timeout, 6u);
    EXPECT_EQ(g.waits.zero_timeout_empty, 4u);
    EXPECT_EQ(g.readiness.et_stalls, 10u);
    EXPECT_EQ(g.readiness.herd_rereports, 2u);
    ASSERT_EQ(g.fds.size(), 1u);
    EXPECT_EQ(g.fds[0].et_stalls, 8u);
}

TEST(Group, DifferentParentOrCommIsNotGrouped) {
    Snapshot s = group_processes(snap_of({child(101, 100), child(102, 200), child(103, 100, "cgi"),
                                          child(104, 100)}));
    ASSERT_EQ(s.processes.size(), 3u);
    EXPECT_EQ(s.processes[0].group.processes, 2u);  // 101 and 104, children of 100
    EXPECT_EQ(s.processes[0].group.pids, (std::vector<int>{101, 104}));
    EXPECT_EQ(s.processes[1].pid, 102);  // alone under 200
    EXPECT_EQ(s.processes[1].group.processes, 0u);
    EXPECT_EQ(s.processes[2].pid, 103);  // another command
    EXPECT_EQ(s.processes[2].group.processes, 0u);
}

// -p 101,102 (or the launched command): asked for, so never folded away,
// even when they share a parent and a name.
TEST(Group, TargetsAreNeverGrouped) {
    ProcessStats a = child(101, 1), b = child(102, 1);
    a.target = b.target = true;
    Snapshot s = group_processes(snap_of({a, b}));
    ASSERT_EQ(s.processes.size(), 2u);
    EXPECT_EQ(s.processes[0].group.processes, 0u);
    EXPECT_EQ(s.processes[1].group.processes, 0u);
    EXPECT_EQ(s.processes[0].syscalls[IOT_RECVFROM].calls, 3u);
}

// Without grouping (what --per-process renders) every child has its own
// entry, with its fds and threads; the live ones count apart in a group.
TEST(Group, PerProcessKeepsThemApartAndLiveOnesAreCounted) {
    std::vector<ProcessStats> ps{child(101, 100), child(102, 100)};
    ps[1].exited = false;
    Snapshot apart = snap_of(ps);
    ASSERT_EQ(apart.processes.size(), 2u);
    EXPECT_EQ(apart.processes[0].threads.size(), 1u);
    Snapshot g = group_processes(snap_of(ps));
    ASSERT_EQ(g.processes.size(), 1u);
    EXPECT_FALSE(g.processes[0].exited);
    EXPECT_EQ(g.processes[0].group.exited, 1u);
}

TEST(Group, OnlyTheFirstPidsAreListed) {
    std::vector<ProcessStats> ps;
    for (int i = 0; i < 20; ++i) ps.push_back(child(300 - i, 1));
    Snapshot s = group_processes(snap_of(ps));
    ASSERT_EQ(s.processes.size(), 1u);
    EXPECT_EQ(s.processes[0].group.processes, 20u);
    EXPECT_EQ(s.processes[0].group.pids.size(), kGroupPids);
    EXPECT_EQ(s.processes[0].group.pids.front(), 281);
}

TEST(Group, ReportsNameTheGroup) {
    Snapshot s = group_processes(snap_of({child(101, 100), child(102, 100)}));
    std::string text = render_text(s);
    EXPECT_NE(text.find("httpd \u00d72 (children of PID 100), 2 exited; pids 101, 102"), std::string::npos) << text;
    auto j = to_json(s);
    EXPECT_EQ(j["processes"][0]["group"]["processes"], 2);
    EXPECT_EQ(j["processes"][0]["group"]["exited"], 2);
    EXPECT_EQ(j["processes"][0]["group"]["pids"], nlohmann::ordered_json::parse("[101, 102]"));
    Snapshot one = snap_of({child(101, 100)});
    EXPECT_FALSE(to_json(one)["processes"][0].contains("group"));
    std::vector<std::string> keys;
    for (auto& [k, v] : j["processes"][0].items()) keys.push_back(k);
    EXPECT_EQ(keys[4], "group");  // after the identity
}

}  // namespace
}  // namespace iotrace
