// From cells to stacks (src/flame/build.h), and the process-level cells
// today's Snapshot gives (src/flame/from_snapshot.h).
#include <gtest/gtest.h>

#include "flame/build.h"
#include "flame/from_snapshot.h"
#include "flame_fixtures.h"

namespace iotrace::flame {
namespace {

using testing::cell;
using testing::server_cells;
using Frames = std::vector<std::string>;

const Stack* find(const Profile& p, const Frames& frames) {
    for (const ProcessStacks& ps : p.processes)
        for (const Stack& s : ps.stacks)
            if (s.frames == frames) return &s;
    return nullptr;
}

TEST(FlameBuild, FramesRootFirst) {
    Profile p = build_profile(server_cells(), Weight::Count);
    const Stack* s = find(p, {"nginx-101", "nginx-101", "model: epoll-et", "writev", "tcp"});
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->weight, 1200u);
    // No fd: no fd frame. The grouped entry: its label, no thread frame.
    EXPECT_NE(find(p, {"nginx-102", "nginx-102", "model: epoll-et", "epoll_wait"}), nullptr);
    EXPECT_NE(find(p, {"httpd \u00d73 (children of PID 1)", "model: poll", "poll"}), nullptr);
    EXPECT_NE(find(p, {"python3-300", "worker-301", "model: blocking", "recvfrom", "tcp"}), nullptr);
}

TEST(FlameBuild, ProcessesByPidStacksMerged) {
    Profile p = build_profile(server_cells(), Weight::Time);
    ASSERT_EQ(p.processes.size(), 4u);
    EXPECT_EQ(p.processes[0].name, "nginx-101");
    EXPECT_EQ(p.processes[1].name, "nginx-102");
    EXPECT_EQ(p.processes[2].pid, 200);
    EXPECT_EQ(p.processes[3].name, "python3-300");
    // The two recvfrom cells of nginx-101 are one stack.
    const Stack* s = find(p, {"nginx-101", "nginx-101", "model: epoll-et", "recvfrom", "tcp"});
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->weight, 2'000'000u);
    EXPECT_EQ(p.processes[0].stacks.size(), 5u);
    EXPECT_EQ(p.title, "iotrace: time inside syscalls (ns)");
    EXPECT_TRUE(p.notes.empty());
}

TEST(FlameBuild, EachWeightIsItsFigure) {
    auto weight_of = [](Weight w) {
        Profile p = build_profile(server_cells(), w);
        return find(p, {"python3-300", "worker-301", "model: blocking", "recvfrom", "tcp"})->weight;
    };
    EXPECT_EQ(weight_of(Weight::Time), 7'000'000u);
    EXPECT_EQ(weight_of(Weight::Cpu), 100'000u);
    EXPECT_EQ(weight_of(Weight::Count), 50u);
    EXPECT_EQ(weight_of(Weight::Bytes), 3'200u);
}

TEST(FlameBuild, UnknownFiguresAreLeftOutAndSaid) {
    Profile p = build_profile(server_cells(), Weight::Cpu);
    EXPECT_EQ(find(p, {"nginx-101", "nginx-101", "model: epoll-et", "close", "tcp"}), nullptr);
    ASSERT_EQ(p.notes.size(), 1u);
    EXPECT_EQ(p.notes[0], "cpu not known for 1 stack: left out");
}

TEST(FlameBuild, ZeroWeightsMakeNoStackNorProcess) {
    Profile p = build_profile(server_cells(), Weight::Bytes);
    EXPECT_EQ(find(p, {"nginx-102", "nginx-102", "model: epoll-et", "epoll_wait"}), nullptr);
    for (const ProcessStacks& ps : p.processes) EXPECT_FALSE(ps.stacks.empty()) << ps.name;
    std::vector<FlameCell> idle = {cell(5, 5, "idle", "idle", IOT_EPOLL_WAIT, "", 10, 0, 1, 0)};
    EXPECT_TRUE(build_profile(idle, Weight::Bytes).processes.empty());
}

TEST(FlameBuild, EmptyModelLeavesTheFrameOut) {
    Profile p = build_profile({cell(5, 6, "a", "", IOT_READ, "pipe", 1, 1, 1, 1)}, Weight::Count);
    EXPECT_NE(find(p, {"a-5", "a-6", "read", "pipe"}), nullptr);
}

TEST(FlameBuild, UserStacksBetweenModelAndSyscall) {
    std::vector<FlameCell> cells = {cell(5, 6, "srv", "epoll-lt", IOT_READ, "tcp", 1, 1, 4, 1),
                                    cell(5, 6, "srv", "epoll-lt", IOT_WRITE, "tcp", 1, 1, 2, 1)};
    cells[0].user_stack_id = 17;
    int asked_pid = 0;
    StackSymbolizer symbolize = [&](int pid, int64_t id) -> std::vector<std::string> {
        asked_pid = pid;
        if (id == 17) return {"main", "loop;step", " handle"};
        return {};
    };
    Profile p = build_profile(cells, Weight::Count, symbolize);
    EXPECT_EQ(asked_pid, 5);
    EXPECT_NE(find(p, {"srv-5", "srv-6", "model: epoll-lt", "main", "loop:step", "handle", "read", "tcp"}), nullptr);
    EXPECT_NE(find(p, {"srv-5", "srv-6", "model: epoll-lt", "write", "tcp"}), nullptr);
    // Without a symbolizer the id is ignored.
    EXPECT_NE(find(build_profile(cells, Weight::Count), {"srv-5", "srv-6", "model: epoll-lt", "read", "tcp"}), nullptr);
}

// A select server with one thread, as the tracer's Snapshot holds it today.
Snapshot select_server() {
    Snapshot snap;
    ProcessStats p;
    p.pid = 7184;
    p.comm = "python3";
    p.syscalls[IOT_PSELECT6] = {21479, 0, 0, 69'096'000, {}};
    p.syscalls[IOT_RECVFROM] = {239582, 0, 0, 261'317'000, {}};
    p.syscalls[IOT_SENDTO] = {239570, 0, 0, 1'407'302'000, {}};
    p.syscalls[IOT_ACCEPT4] = {20, 0, 0, 124'000, {}};
    p.waits.calls = 21479;
    p.waits.time_ns = 69'096'000;
    p.waits.cpu_ns = 50'000'000;
    p.recv = {239582, 15'333'248, 0, 0, 0, 0};
    p.send = {239570, 15'332'480, 0};
    p.diagnosis.model.name = "select";
    ThreadStats t;
    t.tid = 7184;
    t.comm = "python3";
    p.threads.push_back(t);
    snap.processes.push_back(p);
    return snap;
}

TEST(FlameFromSnapshot, OneCellPerSyscallRowWithWhatIsKnown) {
    std::vector<FlameCell> cells = cells_from_snapshot(select_server());
    ASSERT_EQ(cells.size(), 4u);  // enum order: pselect6, recvfrom, sendto, accept4
    const FlameCell& wait = cells[0];
    EXPECT_EQ(wait.sys, IOT_PSELECT6);
    EXPECT_EQ(wait.tid, 7184);
    EXPECT_EQ(wait.model, "select");
    EXPECT_EQ(wait.calls, 21479u);
    EXPECT_EQ(wait.time_ns, 69'096'000u);
    EXPECT_EQ(wait.cpu_ns, 50'000'000u);  // the only wait syscall: waits.cpu_ns is its
    EXPECT_EQ(wait.bytes, 0u);
    EXPECT_EQ(wait.fd_kind, "");
    EXPECT_EQ(cells[1].bytes, 15'333'248u);  // the only receiving syscall
    EXPECT_EQ(cells[1].cpu_ns, std::nullopt);
    EXPECT_EQ(cells[2].bytes, 15'332'480u);
    EXPECT_EQ(cells[3].sys, IOT_ACCEPT4);
    EXPECT_EQ(cells[3].bytes, 0u);

    // The syscall frames weigh what the report's syscall table says.
    Profile p = build_profile(cells, Weight::Time);
    const Stack* s = find(p, {"python3-7184", "python3-7184", "model: select", "sendto"});
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->weight, 1'407'302'000u);
}

TEST(FlameFromSnapshot, WhatCannotBeAttributedIsNotKnown) {
    Snapshot snap = select_server();
    ProcessStats& p = snap.processes[0];
    p.syscalls[IOT_POLL] = {10, 0, 0, 1000, {}};  // a second wait syscall: waits.cpu_ns is shared
    p.syscalls[IOT_READ] = {5, 0, 0, 500, {}};    // a second receiving syscall
    ThreadStats t2;
    t2.tid = 7185;
    t2.comm = "worker";
    p.threads.push_back(t2);  // two threads: no thread frame
    std::vector<FlameCell> cells = cells_from_snapshot(snap);
    for (const FlameCell& c : cells) {
        EXPECT_EQ(c.tid, 0);
        EXPECT_EQ(c.cpu_ns, std::nullopt) << c.sys;
        if (c.sys == IOT_RECVFROM || c.sys == IOT_READ) {
            EXPECT_EQ(c.bytes, std::nullopt);
        }
    }
    EXPECT_NE(find(build_profile(cells, Weight::Count), {"python3-7184", "model: select", "poll"}), nullptr);
}

TEST(FlameFromSnapshot, UnavailableRowsAndGroups) {
    Snapshot snap = select_server();
    snap.availability.missing[Part::Send] = "enter_send: refused";
    ProcessStats g;
    g.pid = 300;
    g.ppid = 299;
    g.comm = "httpd";
    g.group.processes = 12;
    g.syscalls[IOT_POLL] = {40, 0, 0, 4000, {}};
    snap.processes.push_back(g);
    std::vector<FlameCell> cells = cells_from_snapshot(snap);
    for (const FlameCell& c : cells) EXPECT_NE(c.sys, IOT_SENDTO);
    Profile p = build_profile(cells, Weight::Count);
    EXPECT_NE(find(p, {"httpd \u00d712 (children of PID 299)", "poll"}), nullptr);
}

}  // namespace
}  // namespace iotrace::flame
