// -f on a running server whose children exist before iotrace attaches
// (tests/workloads/tree.c): a prefork master and a fork-per-connection server
// with open connections. With -f every descendant is traced exactly; without
// it only the master is.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

namespace itest {
namespace {

// The pids of "var NAME PID" lines.
std::vector<int> vars(const std::string& out, const std::string& name) {
    std::vector<int> pids;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("var " + name + " ", 0) == 0) pids.push_back(std::stoi(line.substr(5 + name.size())));
    return pids;
}

// sendto(send_bytes) then recvfrom(asked) -> recv_bytes, `n` times.
Expect one_exchange(uint64_t n, uint64_t send_bytes, uint64_t recv_bytes, bool short_recv) {
    Expect e;
    e.sys["sendto"] = {.calls = n};
    e.sys["recvfrom"] = {.calls = n};
    e.send = {.calls = n, .bytes = n * send_bytes};
    e.recv = {.calls = n, .bytes = n * recv_bytes, .short_ = short_recv ? n : 0};
    return e;
}

void expect_process(const json& report, int pid, int ppid, const Expect& e) {
    SCOPED_TRACE("pid " + std::to_string(pid));
    const json* p = find_process(report, pid);
    ASSERT_NE(p, nullptr) << report.dump(1);
    EXPECT_EQ(p->value("comm", ""), "tree");
    EXPECT_EQ(p->value("ppid", -1), ppid);
    EXPECT_TRUE(p->value("exited", false));
    expect_figures(*p, e);
}

// Two workers (worker 0 with a helper child of its own) exist at attach and
// do all the IO: each sendto 5 bytes and recvfrom(16) -> 5; the master none.
TEST(Tree, FollowTracesPreforkWorkersThatExistAtAttach) {
    TracedRun run;
    ASSERT_EQ(run_attached_to("tree", {"prefork", "2"}, {"-f", "--per-process"}, run), "");
    EXPECT_NE(run.tracing_line.find(" and 3 descendants — "), std::string::npos) << run.tracing_line;
    expect_envelope(run.report);
    EXPECT_EQ(run.report["processes"].size(), 4u) << run.report.dump(1);
    std::vector<int> kids = vars(run.workload_out, "child"), grand = vars(run.workload_out, "grandchild");
    ASSERT_EQ(kids.size(), 2u) << run.workload_out;
    ASSERT_EQ(grand.size(), 1u) << run.workload_out;
    expect_process(run.report, run.target_pid, 0, Expect{});
    for (int pid : kids) expect_process(run.report, pid, run.target_pid, one_exchange(1, 5, 5, true));
    expect_process(run.report, grand[0], kids[0], one_exchange(1, 5, 5, true));
}

// Without --per-process the two workers found at attach are one entry, as
// children forked later would be: same comm, same parent, figures summed.
TEST(Tree, PreforkWorkersFoundAtAttachAreGrouped) {
    TracedRun run;
    ASSERT_EQ(run_attached_to("tree", {"prefork", "2"}, {"-f"}, run), "");
    expect_envelope(run.report);
    ASSERT_EQ(run.report["processes"].size(), 3u) << run.report.dump(1);  // master, workers, grandchild
    const json* group = nullptr;
    for (const auto& p : run.report["processes"])
        if (p.contains("group")) group = &p;
    ASSERT_NE(group, nullptr) << run.report.dump(1);
    EXPECT_EQ((*group)["group"].value("processes", -1), 2) << group->dump(1);
    EXPECT_EQ(group->value("ppid", -1), run.target_pid);
    Expect both = one_exchange(1, 5, 5, true);
    both += one_exchange(1, 5, 5, true);
    expect_figures(*group, both);
}

// A fork-per-connection server with 3 connections open at attach: the
// master sends each request and reads each answer, each handler reads its
// request (recvfrom(16) -> 4) and answers.
TEST(Tree, FollowTracesConnectionHandlersThatExistAtAttach) {
    TracedRun run;
    ASSERT_EQ(run_attached_to("tree", {"forkconn", "3"}, {"-f", "--per-process"}, run), "");
    EXPECT_NE(run.tracing_line.find(" and 3 descendants — "), std::string::npos) << run.tracing_line;
    expect_envelope(run.report);
    EXPECT_EQ(run.report["processes"].size(), 4u) << run.report.dump(1);
    std::vector<int> kids = vars(run.workload_out, "child");
    ASSERT_EQ(kids.size(), 3u) << run.workload_out;
    expect_process(run.report, run.target_pid, 0, one_exchange(3, 4, 4, false));
    for (int pid : kids) expect_process(run.report, pid, run.target_pid, one_exchange(1, 4, 4, true));
}

// Children forked after attach wait on the epoll instance they inherited
// at once, before iotrace has handled their fork event: each of their 50
// events is still named by its registration (the parent's, until iotrace
// copies it), so nothing is lost and the fd is reported 50 times.
TEST(Tree, ForkedChildrenKnowTheInheritedRegistrations) {
    TracedRun run;
    ASSERT_EQ(run_attached_to("tree", {"epfork", "4"}, {"-f", "--per-process"}, run), "");
    expect_envelope(run.report);  // lost_events 0
    ASSERT_EQ(run.report["processes"].size(), 5u) << run.report.dump(1);
    Expect child;
    child.sys["epoll_wait"] = {.calls = 50};
    child.waits = {.calls = 50, .empty = 0, .ready = 50, .watched = 50, .scanned = 50};
    child.copy.wait_out = 50 * 12;
    for (const auto& p : run.report["processes"]) {
        int pid = p.value("pid", -1);
        SCOPED_TRACE("pid " + std::to_string(pid));
        if (pid == run.target_pid) {
            expect_figures(p, Expect{});
            continue;
        }
        EXPECT_EQ(p.value("ppid", -1), run.target_pid);
        expect_figures(p, child);
        ASSERT_EQ(p["fds"].size(), 1u) << p["fds"].dump(1);
        EXPECT_EQ(p["fds"][0].value("reported", -1), 50);
    }
}

// Without -f the children are not traced: only the master is reported.
TEST(Tree, WithoutFollowChildrenAreNotTraced) {
    for (const char* mode : {"prefork", "forkconn"}) {
        SCOPED_TRACE(mode);
        TracedRun run;
        ASSERT_EQ(run_attached_to("tree", {mode, "2"}, {}, run), "");
        EXPECT_EQ(run.tracing_line.find("descendant"), std::string::npos) << run.tracing_line;
        expect_envelope(run.report);
        ASSERT_EQ(run.report["processes"].size(), 1u) << run.report.dump(1);
        expect_process(run.report, run.target_pid, 0,
                       std::string(mode) == "prefork" ? Expect{} : one_exchange(2, 4, 4, false));
    }
}

}  // namespace
}  // namespace itest
