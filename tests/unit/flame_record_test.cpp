// The tracer's recording to cells (src/flame/record.h) and the symbolizer's
// pure parts (src/flame/symbolize.h), on hand-built inputs.
#include <gtest/gtest.h>

#include "flame/record.h"
#include "flame/symbolize.h"
#include "model/group.h"

namespace iotrace::flame {
namespace {

RawCell raw(uint32_t tgid, uint32_t tid, int sys, uint32_t kind, int64_t stack, uint64_t calls, uint64_t time,
            uint64_t cpu, uint64_t bytes, uint64_t cpu_lost = 0) {
    RawCell c;
    c.key = {tgid, tid, static_cast<uint32_t>(sys), kind, stack};
    c.val = {calls, time, cpu, cpu_lost, bytes};
    return c;
}

ProcessStats proc(int pid, int ppid, const std::string& comm, bool target) {
    ProcessStats p;
    p.pid = pid;
    p.ppid = ppid;
    p.comm = comm;
    p.target = target;
    return p;
}

Diagnosis model(const std::string& name) {
    Diagnosis d;
    d.model.name = name;
    return d;
}

// A server (target, two threads, one with its own model) and two children
// of it that run the same command (one group).
struct Fixture {
    Snapshot raw_snap, shown;
    Recording rec;
    Fixture() {
        ProcessStats server = proc(100, 0, "srv", true);
        ThreadStats main_thread;
        main_thread.tid = 100;
        main_thread.comm = "srv";
        ThreadStats worker;
        worker.tid = 101;
        worker.comm = "worker";
        server.threads = {main_thread, worker};
        raw_snap.processes = {server, proc(200, 100, "child", false), proc(201, 100, "child", false)};
        shown = group_processes(raw_snap);
        shown.processes[0].diagnosis = model("epoll-lt");
        shown.processes[0].threads[1].diagnosis = model("blocking");
        shown.processes[1].diagnosis = model("poll");
        rec.cells = {
            raw(100, 100, IOT_EPOLL_WAIT, IOT_KIND_EPOLL, -1, 10, 1000, 100, 0),
            raw(100, 101, IOT_RECVFROM, IOT_KIND_TCP, -1, 5, 500, 50, 640),
            raw(100, 101, IOT_READ, IOT_FLAME_BAD_FD, -1, 1, 10, 10, 0),
            raw(200, 200, IOT_POLL, IOT_FLAME_NO_FD, -1, 3, 30, 3, 0, 2),
            raw(201, 201, IOT_POLL, IOT_FLAME_NO_FD, -1, 4, 40, 4, 0),
        };
        rec.cells_max = 65536;
    }
};

TEST(FlameRecord, CellsTakeFramesFromTheSnapshot) {
    Fixture f;
    FlameInput in = cells_from_recording(f.rec, f.raw_snap, f.shown, false);
    ASSERT_EQ(in.cells.size(), 5u);
    const FlameCell& wait = in.cells[0];
    EXPECT_EQ(wait.pid, 100);
    EXPECT_EQ(wait.tid, 100);
    EXPECT_EQ(wait.thread_comm, "srv");
    EXPECT_EQ(wait.model, "epoll-lt");
    EXPECT_EQ(wait.fd_kind, "epoll");
    EXPECT_EQ(wait.user_stack_id, -1);
    const FlameCell& recv = in.cells[1];
    EXPECT_EQ(recv.thread_comm, "worker");
    EXPECT_EQ(recv.model, "blocking");  // the thread's model over the process's
    EXPECT_EQ(recv.fd_kind, "tcp");
    EXPECT_EQ(recv.bytes, 640u);
    EXPECT_EQ(recv.cpu_ns, 50u);
    EXPECT_EQ(in.cells[2].fd_kind, "bad fd");
    // the children: one group entry, no thread frame, the group's model
    for (int i : {3, 4}) {
        EXPECT_EQ(in.cells[i].pid, 200);
        EXPECT_EQ(in.cells[i].group, 2u);
        EXPECT_EQ(in.cells[i].tid, 0);
        EXPECT_EQ(in.cells[i].model, "poll");
        EXPECT_EQ(in.cells[i].fd_kind, "");
    }
    ASSERT_EQ(in.notes.size(), 1u);
    EXPECT_NE(in.notes[0].find("on-CPU time of 2 calls not known"), std::string::npos) << in.notes[0];

    Profile p = build_profile(in.cells, Weight::Count);
    ASSERT_EQ(p.processes.size(), 2u);
    EXPECT_EQ(p.processes[1].name, "child \u00d72 (children of PID 100)");
    ASSERT_EQ(p.processes[1].stacks.size(), 1u);
    EXPECT_EQ(p.processes[1].stacks[0].weight, 7u);
}

TEST(FlameRecord, PerProcessKeepsChildrenApart) {
    Fixture f;
    f.shown = f.raw_snap;
    FlameInput in = cells_from_recording(f.rec, f.raw_snap, f.shown, true);
    EXPECT_EQ(in.cells[3].pid, 200);
    EXPECT_EQ(in.cells[3].tid, 200);
    EXPECT_EQ(in.cells[4].pid, 201);
    EXPECT_EQ(in.cells[4].group, 0u);
}

TEST(FlameRecord, LostAndUnrecordedStacksAreSaid) {
    Fixture f;
    f.rec.stacks = true;
    f.rec.stacks_max = 16384;
    f.rec.cells[0].key.stack_id = -17;  // -EEXIST
    f.rec.lost[IOT_FLAME_LOST_CELLS] = 3;
    f.rec.lost[IOT_FLAME_STACK_COLLIDED] = 1;
    f.rec.lost[IOT_FLAME_STACK_FULL] = 2;
    FlameInput in = cells_from_recording(f.rec, f.raw_snap, f.shown, false);
    EXPECT_EQ(in.cells[0].user_stack_id, kStackNotRecorded + 17);
    std::string all;
    for (const std::string& n : in.notes) all += n + "\n";
    EXPECT_NE(all.find("3 calls not counted: the kernel's table of 65,536 cells was full"), std::string::npos) << all;
    EXPECT_NE(all.find("1 user stack not recorded: another stack held"), std::string::npos) << all;
    EXPECT_NE(all.find("2 user stacks not recorded: the stack table (16,384 stacks) was full"), std::string::npos)
        << all;

    Symbolizer sym(f.rec);
    Profile p = build_profile(in.cells, Weight::Count, stack_symbolizer(sym));
    bool found = false;
    for (const Stack& s : p.processes[0].stacks)
        found |= s.frames == std::vector<std::string>{"srv-100", "srv-100", "model: epoll-lt",
                                                      "[user stack not recorded]", "epoll_wait", "epoll"};
    EXPECT_TRUE(found);
}

TEST(FlameSymbolize, DemanglesCxxOnly) {
    EXPECT_EQ(demangle("_ZN3foo3barEi"), "foo::bar(int)");
    EXPECT_EQ(demangle("main"), "main");
    EXPECT_EQ(demangle("_Znot a symbol"), "_Znot a symbol");
}

TEST(FlameSymbolize, PerfMapLookup) {
    std::string map = "7f0000001000 100 LazyCompile:*handle server.js:10\n"
                      "bad line\n"
                      "7f0000002000 20 Builtin:Call\n";
    EXPECT_EQ(perf_map_lookup(map, 0x7f0000001000), "LazyCompile:*handle server.js:10");
    EXPECT_EQ(perf_map_lookup(map, 0x7f00000010ff), "LazyCompile:*handle server.js:10");
    EXPECT_EQ(perf_map_lookup(map, 0x7f0000001100), "");
    EXPECT_EQ(perf_map_lookup(map, 0x7f0000002010), "Builtin:Call");
}

TEST(FlameSymbolize, UnknownWithoutMaps) {
    Recording rec;
    rec.stacks = true;
    rec.stack_ips[5] = {0x401000, 0x402000};
    Symbolizer sym(rec);
    auto frames = sym.frames(42, 5);
    ASSERT_EQ(frames.size(), 2u);
    EXPECT_EQ(frames[0].name, "[unknown]");
    EXPECT_TRUE(sym.frames(42, 6).empty());
    EXPECT_TRUE(is_thread_entry("__libc_start_call_main"));
    EXPECT_FALSE(is_thread_entry("main"));
}

std::string self_maps() {
    std::string maps;
    FILE* f = fopen("/proc/self/maps", "r");
    if (!f) return maps;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) maps.append(buf, n);
    fclose(f);
    return maps;
}

// A real binary through a maps line: this test's own executable.
TEST(FlameSymbolize, NamesAFunctionThroughMaps) {
    Recording rec;
    rec.stacks = true;
    rec.maps[1] = self_maps();
    auto addr = reinterpret_cast<uint64_t>(&demangle);
    rec.stack_ips[1] = {addr + 1};  // frames() looks one byte back
    Symbolizer sym(rec);
    auto frames = sym.frames(1, 1);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_EQ(frames[0].name, "iotrace::flame::demangle(std::__cxx11::basic_string<char, std::char_traits<char>, "
                              "std::allocator<char> > const&)");
    EXPECT_EQ(frames[0].module.front(), '/');
}

// Stacks of 1-2 frames in most of a binary's calls name it; whole ones do not.
TEST(FlameRecord, TruncationNamesTheBinary) {
    Recording rec;
    rec.stacks = true;
    rec.maps[1] = self_maps();
    uint64_t a = reinterpret_cast<uint64_t>(&demangle) + 1, b = reinterpret_cast<uint64_t>(&perf_map_lookup) + 1,
             c = reinterpret_cast<uint64_t>(&is_thread_entry) + 1;
    rec.stack_ips[1] = {a};        // one frame
    rec.stack_ips[2] = {a, b, c};  // three
    Symbolizer sym(rec);
    FlameCell shortc, whole;
    shortc.pid = whole.pid = 1;
    shortc.user_stack_id = 1;
    whole.user_stack_id = 2;
    shortc.calls = 10;
    whole.calls = 9;
    auto notes = truncation_notes({shortc, whole}, sym);
    ASSERT_EQ(notes.size(), 1u);
    std::string exe = sym.executable(1);
    ASSERT_FALSE(exe.empty());
    EXPECT_EQ(notes[0], "stacks of " + exe +
                            " are truncated: built without frame pointers (10 of 19 calls have stacks of 1 or 2 "
                            "frames)");
    whole.calls = 11;
    EXPECT_TRUE(truncation_notes({shortc, whole}, sym).empty());
}

}  // namespace
}  // namespace iotrace::flame
