// Command-line behaviour: how tracing ends (-d, SIGTERM, SIGINT), errors and
// their exit codes, text output and the JSON envelope.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>

#include <regex>
#include <string>

#include "expected.h"
#include "harness.h"

namespace itest {
namespace {

// -d 1 on a target that never ends: iotrace stops by itself after a second,
// exit 0, and reports a live (not exited) process.
TEST(Cli, DurationEndsTracingOfRunningProcess) {
    TempDir tmp;
    Child wl({workload("iowork"), "spin", "--wait"});
    ASSERT_TRUE(wl.wait_out_line("ready")) << wl.err();
    std::string file = tmp.path("report.json");
    Child it({iotrace_path(), "-d", "1", "-p", std::to_string(wl.pid()), "--json", "-o", file});
    ASSERT_TRUE(it.wait_err_prefix(kTracingPrefix)) << it.err();
    wl.signal(SIGUSR1);
    ASSERT_TRUE(it.wait_exit()) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();

    json report = read_json(file);
    expect_envelope(report);
    EXPECT_GE(report.value("duration_s", 0.0), 0.9);
    EXPECT_LT(report.value("duration_s", 0.0), 10.0);
    ASSERT_EQ(report["processes"].size(), 1u) << report.dump(1);
    const json& p = report["processes"][0];
    EXPECT_EQ(p.value("pid", -1), wl.pid());
    EXPECT_FALSE(p.value("exited", true));
    // spin makes one failing recvfrom per millisecond: some number n of them,
    // every one EAGAIN, and nothing else.
    uint64_t n = calls_of(p, "recvfrom");
    EXPECT_GT(n, 0u);
    expect_figures(p, expected_spin(n));

    // The target is untouched: it still ends normally on SIGTERM.
    wl.signal(SIGTERM);
    ASSERT_TRUE(wl.wait_exit());
    EXPECT_EQ(wl.exit_code(), 0) << wl.err();
}

// -d 1 on a launched command that never ends: report, exit 0.
TEST(Cli, DurationEndsTracingOfLaunchedCommand) {
    TempDir tmp;
    std::string file = tmp.path("report.json");
    Child it({iotrace_path(), "-d", "1", "--json", "-o", file, "--", workload("iowork"), "spin"});
    auto line = it.wait_err_prefix(kTracingPrefix);
    ASSERT_TRUE(line) << it.err();
    int pid = pid_in_tracing_line(*line);
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();

    json report = read_json(file);
    expect_envelope(report);
    const json* p = find_process(report, pid);
    if (p) {
        EXPECT_FALSE(p->value("exited", true));
        uint64_t n = calls_of(*p, "recvfrom");
        EXPECT_GT(n, 0u);
        expect_figures(*p, expected_spin(n));
    } else {
        ADD_FAILURE() << "no process " << pid << " in " << report.dump(1);
    }
    kill_and_reap(pid);  // iotrace leaves it running; we are its subreaper
}

// SIGTERM and SIGINT (Ctrl-C) end tracing early and still write the report,
// with the exact figures so far: `spin 20` makes 20 calls, says "done" and
// waits; the target keeps running.
class StopSignal : public ::testing::TestWithParam<int> {};

TEST_P(StopSignal, StillWritesTheReport) {
    TempDir tmp;
    Child wl({workload("iowork"), "spin", "20", "--wait"});
    ASSERT_TRUE(wl.wait_out_line("ready")) << wl.err();
    std::string file = tmp.path("report.json");
    Child it({iotrace_path(), "-p", std::to_string(wl.pid()), "--json", "-o", file});
    ASSERT_TRUE(it.wait_err_prefix(kTracingPrefix)) << it.err();
    wl.signal(SIGUSR1);
    ASSERT_TRUE(wl.wait_out_line("done")) << wl.err();

    it.signal(GetParam());
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.err();
    json report = read_json(file);
    expect_envelope(report);
    ASSERT_EQ(report["processes"].size(), 1u) << report.dump(1);
    const json& p = report["processes"][0];
    EXPECT_EQ(p.value("pid", -1), wl.pid());
    EXPECT_FALSE(p.value("exited", true));
    expect_figures(p, expected_spin(20));

    wl.signal(SIGTERM);
    ASSERT_TRUE(wl.wait_exit());
    EXPECT_EQ(wl.exit_code(), 0) << wl.err();
}

INSTANTIATE_TEST_SUITE_P(Cli, StopSignal, ::testing::Values(SIGTERM, SIGINT),
                         [](const auto& info) { return info.param == SIGTERM ? "SIGTERM" : "SIGINT"; });

// -p A,B: one report with both processes, each with its own figures; iotrace
// ends once both have exited.
TEST(Cli, SeveralPids) {
    TempDir tmp;
    Child a({workload("iowork"), "recvfrom", "--wait"});
    Child b({workload("iowork"), "sendto", "--wait"});
    ASSERT_TRUE(a.wait_out_line("ready")) << a.err();
    ASSERT_TRUE(b.wait_out_line("ready")) << b.err();
    std::string file = tmp.path("report.json");
    Child it({iotrace_path(), "-p", std::to_string(a.pid()) + "," + std::to_string(b.pid()), "--json", "-o", file});
    auto line = it.wait_err_prefix(kTracingPrefix);
    ASSERT_TRUE(line) << it.err();
    EXPECT_NE(line->find(std::to_string(a.pid()) + " (iowork)"), std::string::npos) << *line;
    EXPECT_NE(line->find(std::to_string(b.pid()) + " (iowork)"), std::string::npos) << *line;
    a.signal(SIGUSR1);
    ASSERT_TRUE(a.wait_exit());
    EXPECT_EQ(a.exit_code(), 0) << a.err();
    b.signal(SIGUSR1);
    ASSERT_TRUE(b.wait_exit());
    EXPECT_EQ(b.exit_code(), 0) << b.err();
    ASSERT_TRUE(it.wait_exit()) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();

    json report = read_json(file);
    expect_envelope(report);
    EXPECT_EQ(report["processes"].size(), 2u) << report.dump(1);
    for (auto [pid, scenario] : {std::pair{a.pid(), "recvfrom"}, std::pair{b.pid(), "sendto"}}) {
        SCOPED_TRACE(scenario);
        const json* p = find_process(report, pid);
        ASSERT_NE(p, nullptr) << report.dump(1);
        EXPECT_TRUE(p->value("exited", false));
        expect_figures(*p, expected(scenario));
    }
}

TEST(Cli, MissingPidIsAnError) {
    // A pid that just ended: reaped, so it does not exist any more.
    pid_t gone;
    {
        Child c({workload("iowork")});  // no scenario: usage, exit 2
        ASSERT_TRUE(c.wait_exit());
        gone = c.pid();
    }
    ASSERT_NE(kill(gone, 0), 0);
    Child it({iotrace_path(), "-p", std::to_string(gone)});
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_NE(it.exit_code(), 0);
    EXPECT_NE(it.err().find("does not exist"), std::string::npos) << it.err();
    EXPECT_EQ(it.err().find(kTracingPrefix), std::string::npos) << it.err();
}

// A command that cannot be run is an error before anything is traced.
TEST(Cli, MissingCommandIsAnError) {
    for (const std::string& cmd : {std::string("/nonexistent/iotrace-test"), std::string("iotrace-no-such-command")}) {
        Child it({iotrace_path(), "--", cmd});
        ASSERT_TRUE(it.wait_exit()) << it.err();
        EXPECT_EQ(it.exit_code(), 1) << it.err();
        EXPECT_NE(it.err().find("cannot run '" + cmd + "'"), std::string::npos) << it.err();
        EXPECT_EQ(it.err().find(kTracingPrefix), std::string::npos) << it.err();
    }
}

TEST(Cli, NoTargetIsAUsageError) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{}, {"--json"}, {"-f", "-d", "1"}}) {
        std::vector<std::string> argv = {iotrace_path()};
        argv.insert(argv.end(), args.begin(), args.end());
        Child it(argv);
        ASSERT_TRUE(it.wait_exit()) << it.err();
        EXPECT_EQ(it.exit_code(), 2) << "args: " << ::testing::PrintToString(args) << "\n" << it.err();
        EXPECT_FALSE(it.err().empty());
    }
}

// Without --json the report is text on stdout, with strace -c's table.
TEST(Cli, TextReportHasTheSyscallTable) {
    TracedRun run;
    ASSERT_EQ(run_attached({"close"}, {}, run, /*json=*/false), "");
    const std::string& out = run.iotrace_out;
    EXPECT_TRUE(std::regex_search(out, std::regex(R"(% time +seconds +usecs/call +calls +errors .*syscall)")))
        << out;
    // The row of close: 4 calls, 2 errors.
    EXPECT_TRUE(std::regex_search(out, std::regex(R"(\n *[0-9.-]+ +[0-9.]+ +[0-9]+ +4 +2 +close\n)"))) << out;
    EXPECT_EQ(run.iotrace_err.find("iowork:"), std::string::npos);
}

// The JSON envelope (docs/json.md): syscalls with no call are left out, the
// histogram has 40 slots, lost_events and its breakdown are there.
TEST(Cli, JsonOmitsSyscallsWithoutCalls) {
    TracedRun run;
    ASSERT_EQ(run_launched({"close"}, {}, run), "");
    const json& r = run.report;
    expect_envelope(r);
    for (const char* key : {"tool", "schema", "version", "duration_s", "lost_events", "processes"})
        EXPECT_TRUE(r.contains(key)) << key;
    ASSERT_EQ(r["processes"].size(), 1u);
    const json& p = r["processes"][0];
    for (const char* key : {"pid", "ppid", "comm", "exited", "syscalls", "waits", "recv", "send", "copy"})
        EXPECT_TRUE(p.contains(key)) << key;
    ASSERT_TRUE(p["syscalls"].is_object());
    std::vector<std::string> names;
    for (const auto& [k, v] : p["syscalls"].items()) names.push_back(k);
    EXPECT_EQ(names, std::vector<std::string>{"close"}) << p["syscalls"].dump(1);
}

// -u USER: the launched command runs with USER's uid (id -u prints it on the
// stdout it shares with iotrace), and is still traced (its write is counted).
TEST(Cli, UserRunsTheCommandAsThatUser) {
    TempDir tmp;
    std::string file = tmp.path("report.json");
    Child it({iotrace_path(), "--json", "-o", file, "-u", "nobody", "--", "/usr/bin/id", "-u"});
    ASSERT_TRUE(it.wait_exit()) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();
    EXPECT_EQ(it.out(), "65534\n");
    json report = read_json(file);
    ASSERT_EQ(report["processes"].size(), 1u) << report.dump(1);
    EXPECT_EQ(calls_of(report["processes"][0], "write"), 1u) << report.dump(1);
}

TEST(Cli, UnknownUserIsAUsageError) {
    Child it({iotrace_path(), "-u", "no-such-user-here", "--", "/bin/true"});
    ASSERT_TRUE(it.wait_exit());
    EXPECT_EQ(it.exit_code(), 2);
    EXPECT_NE(it.err().find("user 'no-such-user-here' does not exist"), std::string::npos) << it.err();
}

}  // namespace
}  // namespace itest
