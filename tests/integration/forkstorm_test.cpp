// A fork storm (tests/workloads/forkstorm.c: a fork-per-connection server,
// its children each making exactly 3 recvfrom and 3 sendto of 64 bytes)
// under `iotrace -f -d 2`: -d ends tracing on time whatever the fork rate,
// no event is lost, and the children come out as one entry whose sums are
// exactly what they did. The client runs for 1 s with 8 workers (thousands
// of connections a second when the machine is idle) and stops well before
// -d ends, so the exact count is known: it prints the connections it made,
// the server the children it forked.
#include <gtest/gtest.h>

#include <signal.h>

#include <string>

#include "harness.h"

namespace itest {
namespace {

constexpr int kExchanges = 3;  // recvfrom + sendto pairs per child
constexpr uint64_t kMsg = 64;
// -d 2, plus what ending takes (final poll, report, detach): iotrace fails
// the test if it has not exited 3.5 s after its tracing line. Starved, it
// ran until Ctrl-C.
constexpr auto kExitBy = std::chrono::milliseconds(3500);

// The client against the server's port, untraced; the connections it made.
long run_client(long port, int server, double seconds, int workers) {
    Child cl({workload("forkstorm"), "client", std::to_string(port), std::to_string(kExchanges),
              std::to_string(seconds), std::to_string(server), std::to_string(workers)});
    EXPECT_TRUE(cl.wait_exit()) << cl.err();
    EXPECT_EQ(cl.exit_code(), 0) << cl.err();
    return var_in(cl.out(), "connections");
}

// The server's entry, as a target, and its children's, as one group.
void expect_storm_report(const json& report, int server, long children) {
    expect_envelope(report);  // lost_events == 0
    const json* srv = find_process(report, server);
    ASSERT_TRUE(srv) << report.dump(1);
    EXPECT_FALSE(srv->contains("group"));
    const json& acc = (*srv)["syscalls"]["accept4"];
    EXPECT_EQ(acc.value("calls", 0ull) - acc.value("errors", 0ull), static_cast<uint64_t>(children));

    const json* group = nullptr;
    for (const json& p : report["processes"])
        if (p.value("ppid", 0) == server) {
            EXPECT_EQ(group, nullptr) << "a second entry of children: " << p.dump(1);
            group = &p;
        }
    ASSERT_TRUE(group) << report.dump(1);
    ASSERT_TRUE(group->contains("group")) << group->dump(1);
    const json& g = (*group)["group"];
    uint64_t n = static_cast<uint64_t>(children);
    EXPECT_EQ(g.value("processes", 0ull), n);
    EXPECT_EQ(g.value("exited", 0ull), n);
    EXPECT_EQ(g["pids"].size(), std::min<size_t>(8, n));
    EXPECT_EQ(group->value("comm", ""), "forkstorm");
    EXPECT_TRUE(group->value("exited", false));
    // exactly what the children did, and nothing else probed
    Expect e;
    e.sys["recvfrom"] = {kExchanges * n, 0, 0};
    e.sys["sendto"] = {kExchanges * n, 0, 0};
    e.recv.calls = kExchanges * n;
    e.recv.bytes = kExchanges * n * kMsg;
    e.send.calls = kExchanges * n;
    e.send.bytes = kExchanges * n * kMsg;
    expect_figures(*group, e);
}

// The -p path: the server started, then `iotrace -f -p SERVER --json -o
// FILE EXTRA...`, up to its tracing line. "" when fine, else what went wrong.
struct AttachedStorm {
    TempDir tmp;
    std::string file = tmp.path("report.json");
    Child srv, it;
    long port = -1;

    std::string start(const std::vector<std::string>& extra) {
        srv = Child({workload("forkstorm"), "serve", std::to_string(kExchanges)});
        if (!srv.wait_out_line("ready")) return "no ready from the server: " + srv.err();
        port = var_in(srv.out(), "port");
        if (port <= 0) return "no port from the server: " + srv.out();
        std::vector<std::string> argv{iotrace_path(), "-f", "-p", std::to_string(srv.pid()), "--json", "-o", file};
        argv.insert(argv.end(), extra.begin(), extra.end());
        it = Child(argv);
        if (!it.wait_err_prefix(kTracingPrefix)) return "no tracing line: " + it.err();
        return "";
    }
};

// -p SERVER -f: the server runs before iotrace; the children it forks once
// the probes are live are followed.
TEST(ForkStorm, AttachedServerEndsOnTimeWithExactGroupedChildren) {
    AttachedStorm st;
    ASSERT_EQ(st.start({"-d", "2"}), "");
    auto start = Clock::now();
    Child &srv = st.srv, &it = st.it;
    const long port = st.port;
    const std::string& file = st.file;

    long connections = run_client(port, srv.pid(), 1.0, 8);
    ASSERT_GT(connections, 0);
    ASSERT_TRUE(srv.wait_out_line("var children " + std::to_string(connections))) << srv.out() << srv.err();
    ASSERT_TRUE(it.wait_exit(kExitBy - (Clock::now() - start)))
        << "iotrace -d 2 still running " << kExitBy.count() << " ms after it started tracing\n" << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();
    std::printf("fork storm: %ld connections in 1 s (traced)\n", connections);

    expect_storm_report(read_json(file), srv.pid(), connections);
    srv.signal(SIGTERM);
    ASSERT_TRUE(srv.wait_exit());
    EXPECT_EQ(srv.exit_code(), 0) << srv.err();
}

// `-- forkstorm serve`: the launched server (always followed); its output
// comes through iotrace's stdout.
TEST(ForkStorm, LaunchedServerEndsOnTimeWithExactGroupedChildren) {
    TempDir tmp;
    std::string file = tmp.path("report.json");
    Child it({iotrace_path(), "-f", "-d", "2", "--json", "-o", file, "--", workload("forkstorm"), "serve",
              std::to_string(kExchanges)});
    auto line = it.wait_err_prefix(kTracingPrefix);
    ASSERT_TRUE(line) << it.err();
    auto start = Clock::now();
    int server = pid_in_tracing_line(*line);
    ASSERT_GT(server, 0) << *line;
    ASSERT_TRUE(it.wait_out_line("ready")) << it.out() << it.err();
    long port = var_in(it.out(), "port");
    ASSERT_GT(port, 0) << it.out();

    long connections = run_client(port, server, 1.0, 8);
    ASSERT_GT(connections, 0);
    ASSERT_TRUE(it.wait_out_line("var children " + std::to_string(connections))) << it.out() << it.err();
    ASSERT_TRUE(it.wait_exit(kExitBy - (Clock::now() - start)))
        << "iotrace -d 2 still running " << kExitBy.count() << " ms after it started tracing\n" << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();

    expect_storm_report(read_json(file), server, connections);
    kill_and_reap(server);  // iotrace leaves it running; we are its subreaper
}

// SIGTERM or SIGINT (Ctrl-C) in the middle of a storm: iotrace stops within
// a second and a half of the signal (what it takes to end: a bounded poll,
// the report, the detach), with nothing lost. The storm goes on, so the
// figures are not known exactly: the children are one group.
class ForkStormSignal : public ::testing::TestWithParam<int> {};

TEST_P(ForkStormSignal, EndsTracingWhileTheStormGoesOn) {
    AttachedStorm st;
    ASSERT_EQ(st.start({}), "");
    Child &srv = st.srv, &it = st.it;
    const long port = st.port;
    const std::string& file = st.file;
    Child cl({workload("forkstorm"), "client", std::to_string(port), std::to_string(kExchanges), "3",
              std::to_string(srv.pid()), "8"});
    ASSERT_FALSE(it.wait_exit(std::chrono::seconds(1)));  // the storm is under way
    it.signal(GetParam());
    auto signalled = Clock::now();
    ASSERT_TRUE(it.wait_exit(std::chrono::milliseconds(1500)))
        << "iotrace still running 1.5 s after the signal\n" << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();
    std::printf("fork storm: iotrace ended %.3f s after the signal\n",
                std::chrono::duration<double>(Clock::now() - signalled).count());

    json report = read_json(file);
    expect_envelope(report);
    size_t groups = 0;
    for (const json& p : report["processes"])
        if (p.value("ppid", 0) == srv.pid()) groups += p.contains("group") ? 1 : 0;
    EXPECT_EQ(groups, 1u) << report.dump(1).substr(0, 4000);
    ASSERT_TRUE(cl.wait_exit()) << cl.err();
    EXPECT_EQ(cl.exit_code(), 0) << cl.err();
    srv.signal(SIGTERM);
    ASSERT_TRUE(srv.wait_exit());
}

INSTANTIATE_TEST_SUITE_P(ForkStorm, ForkStormSignal, ::testing::Values(SIGTERM, SIGINT),
                         [](const auto& info) { return std::string(info.param == SIGTERM ? "SIGTERM" : "SIGINT"); });

// Too few per-process slots (--proc-slots 8): most children are counted in
// the kernel side's procs hash, whose entries are allocated at fork and can
// fail under a storm. Whatever could not be counted is counted as lost: the
// sums are exact, or short and lost_events says so (never short silently).
TEST(ForkStorm, ChildrenPastTheSlotsAreCountedOrLost) {
    AttachedStorm st;
    ASSERT_EQ(st.start({"-d", "2", "--proc-slots", "8"}), "");
    Child &srv = st.srv, &it = st.it;
    const long port = st.port;
    const std::string& file = st.file;
    long connections = run_client(port, srv.pid(), 1.0, 8);
    ASSERT_TRUE(srv.wait_out_line("var children " + std::to_string(connections))) << srv.out() << srv.err();
    ASSERT_TRUE(it.wait_exit()) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();

    json report = read_json(file);
    uint64_t lost = report["lost"].value("proc_map_full", 0ull);
    EXPECT_EQ(report.value("lost_events", 0ull), lost) << report["lost"].dump();
    uint64_t want = kExchanges * static_cast<uint64_t>(connections), counted = 0;
    for (const json& p : report["processes"])
        if (p.value("ppid", 0) == srv.pid()) counted += calls_of(p, "recvfrom") + calls_of(p, "sendto");
    EXPECT_LE(counted, 2 * want);
    EXPECT_EQ(counted + lost, 2 * want) << "calls counted " << counted << ", lost " << lost;
    std::printf("fork storm, 8 slots: %ld connections, %llu calls lost\n", connections,
                static_cast<unsigned long long>(lost));
    srv.signal(SIGTERM);
    ASSERT_TRUE(srv.wait_exit());
}

// --per-process: one entry per child, each with exactly its own figures.
TEST(ForkStorm, PerProcessListsEachChild) {
    AttachedStorm st;
    ASSERT_EQ(st.start({"-d", "2", "--per-process"}), "");
    Child &srv = st.srv, &it = st.it;
    const long port = st.port;
    const std::string& file = st.file;
    long connections = run_client(port, srv.pid(), 0.2, 1);
    ASSERT_GT(connections, 1);
    ASSERT_TRUE(srv.wait_out_line("var children " + std::to_string(connections))) << srv.out() << srv.err();
    ASSERT_TRUE(it.wait_exit()) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();

    json report = read_json(file);
    expect_envelope(report);
    long children = 0;
    for (const json& p : report["processes"]) {
        if (p.value("ppid", 0) != srv.pid()) continue;
        ++children;
        EXPECT_FALSE(p.contains("group"));
        EXPECT_EQ(calls_of(p, "recvfrom"), static_cast<uint64_t>(kExchanges)) << p.dump(1);
        EXPECT_EQ(calls_of(p, "sendto"), static_cast<uint64_t>(kExchanges)) << p.dump(1);
    }
    EXPECT_EQ(children, connections);
    srv.signal(SIGTERM);
    ASSERT_TRUE(srv.wait_exit());
}

}  // namespace
}  // namespace itest
