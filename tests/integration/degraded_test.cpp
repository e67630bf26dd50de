// Degraded loads: each path taken with --fail-prog (the program treated as
// refused by the verifier), on workloads whose true figures are known
// (expected.cpp, readiness_expected.cpp). What the missing program counts is
// null in JSON and n/a in text; everything else stays exact; iotrace warns
// once per missing part. A core program missing is an error.
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "expected.h"
#include "harness.h"
#include "readiness_check.h"
#include "readiness_expected.h"

namespace itest {
namespace {

using Names = std::set<std::string>;

// The report's top-level "unavailable" list as part -> why.
std::map<std::string, std::string> missing_parts(const json& report) {
    std::map<std::string, std::string> out;
    for (const json& m : report.value("unavailable", json::array())) out[m.value("part", "")] = m.value("why", "");
    return out;
}

// The parts missing are exactly `parts`, each "why" naming `prog`, and
// iotrace said so on stderr, one warning per part.
void expect_missing(const TracedRun& run, const Names& parts, const std::string& prog,
                    const std::vector<std::string>& warnings) {
    auto got = missing_parts(run.report);
    Names names;
    for (const auto& [part, why] : got) {
        names.insert(part);
        EXPECT_NE(why.find(prog), std::string::npos) << part << ": " << why;
    }
    EXPECT_EQ(names, parts) << run.report.value("unavailable", json()).dump();
    for (const std::string& w : warnings)
        EXPECT_NE(("\n" + run.iotrace_err).find("\niotrace: warning: " + w + " unavailable: "), std::string::npos)
            << w << " not warned about:\n" << run.iotrace_err;
}

// ---- readiness: exit_select, exit_poll, exit_epoll_wait ----------------------

struct ReadinessCase {
    std::string prog;      // the program refused
    std::string scenario;  // readiness.c scenario that makes those waits
    std::string part;      // the part missing
    std::string warning;   // how stderr names it
};

void PrintTo(const ReadinessCase& c, std::ostream* os) { *os << c.prog << " on " << c.scenario; }

class DegradedReadiness : public ::testing::TestWithParam<ReadinessCase> {};

// The counts come from the *_basic fallback: exact; readiness and fds null.
TEST_P(DegradedReadiness, NullReadinessExactCounts) {
    const ReadinessCase& c = GetParam();
    TracedRun run;
    ASSERT_EQ(run_attached_to(kReadinessWorkload, {c.scenario}, {"--fail-prog", c.prog}, run), "");
    expect_envelope(run.report);
    expect_missing(run, {c.part}, c.prog, {c.warning});
    ASSERT_EQ(run.report["processes"].size(), 1u) << run.report.dump(1);
    const json& p = run.report["processes"][0];
    expect_readiness(p, readiness_expected(c.scenario), parse_vars(run.workload_out, run.target_pid),
                     {"readiness", "fds"});
}

// The same in text: the first line says what is missing, readiness is n/a.
TEST_P(DegradedReadiness, TextSaysNa) {
    const ReadinessCase& c = GetParam();
    TracedRun run;
    ASSERT_EQ(run_attached_to(kReadinessWorkload, {c.scenario}, {"--fail-prog", c.prog}, run, /*json=*/false), "");
    const std::string& out = run.iotrace_out;
    EXPECT_EQ(out.rfind("warning: unavailable on this kernel, shown as n/a: " + c.warning + " (" + c.prog, 0), 0u)
        << out;
    EXPECT_NE(out.find("\nreadiness: n/a"), std::string::npos) << out;
    EXPECT_EQ(out.find("busiest fds"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Degraded, DegradedReadiness,
                         ::testing::Values(ReadinessCase{"exit_select", "select_lt", "select_readiness",
                                                         "select readiness"},
                                           ReadinessCase{"exit_poll", "poll_lt", "poll_readiness", "poll readiness"},
                                           ReadinessCase{"exit_epoll_wait", "epoll_lt", "epoll_readiness",
                                                         "epoll readiness"}),
                         [](const auto& info) { return info.param.prog; });

// ---- the other paths ----------------------------------------------------------

// iowork SCENARIO traced with --fail-prog PROG: exactly `parts` missing
// (warned about as `warnings`), and the process's figures exact but for
// `unavailable`, null.
void expect_iowork_degraded(const std::string& scenario, const std::string& prog, const Names& parts,
                            const std::vector<std::string>& warnings, const Names& unavailable) {
    TracedRun run;
    ASSERT_EQ(run_attached({scenario}, {"--fail-prog", prog}, run), "");
    expect_envelope(run.report);
    expect_missing(run, parts, prog, warnings);
    ASSERT_EQ(run.report["processes"].size(), 1u) << run.report.dump(1);
    expect_figures(run.report["processes"][0], expected(scenario), unavailable);
}

// enter_select: no select is counted at all; the select rows, every waits
// figure (sums over all seven waits) and the wait copies are null; the
// process's reads and writes stay exact.
TEST(Degraded, EnterSelectNullsSelectCounts) {
    expect_iowork_degraded("select", "enter_select", {"select_counts", "select_readiness"},
                           {"select counts", "select readiness"},
                           {"syscalls.select", "syscalls.pselect6", "waits", "copy.wait_in_bytes",
                            "copy.wait_out_bytes", "readiness", "fds", "threads.waits"});
}

// on_switch: on-CPU time in waits is null; every other figure, readiness
// included, exact.
TEST(Degraded, OnSwitchNullsCpuTime) {
    TracedRun run;
    ASSERT_EQ(run_attached_to(kReadinessWorkload, {"select_lt"}, {"--fail-prog", "on_switch"}, run), "");
    expect_envelope(run.report);
    expect_missing(run, {"wait_cpu_time"}, "on_switch", {"on-CPU time in waits"});
    ASSERT_EQ(run.report["processes"].size(), 1u) << run.report.dump(1);
    expect_readiness(run.report["processes"][0], readiness_expected("select_lt"),
                     parse_vars(run.workload_out, run.target_pid), {"waits.cpu_ns"});
}

// enter_recv: the five receive rows, recv and the received bytes are null;
// the process made no wait, so nothing else is.
TEST(Degraded, EnterRecvNullsReceives) {
    expect_iowork_degraded("recvfrom", "enter_recv", {"recv"}, {"receive counts"},
                           {"syscalls.recvfrom", "syscalls.recvmsg", "syscalls.recvmmsg", "syscalls.read",
                            "syscalls.readv", "recv", "copy.recv_bytes", "threads.recv"});
}

// on_fork: -f cannot follow; the parent is traced exactly, the child not at
// all (it is not in the report, rather than in it with wrong figures).
TEST(Degraded, OnForkTracesTheParentOnly) {
    TracedRun run;
    ASSERT_EQ(run_attached({"fork"}, {"-f", "--fail-prog", "on_fork"}, run), "");
    expect_envelope(run.report);
    expect_missing(run, {"follow_forks"}, "on_fork", {"following forks"});
    ASSERT_EQ(run.report["processes"].size(), 1u) << run.report.dump(1);
    const json& p = run.report["processes"][0];
    EXPECT_EQ(p.value("pid", -1), run.target_pid);
    expect_figures(p, expected_fork_parent());
}

// exit_unseen: no figure is unavailable, a warning says what is missed: an
// epoll_ctl in flight while iotrace attaches (epchurn's late ADD, whose fd
// the main thread's two waits report: 2 events of an unknown registration).
TEST(Degraded, ExitUnseenMissesTheEpollCtlInFlight) {
    TracedRun run;
    ASSERT_EQ(run_attached_to("epchurn", {}, {"--fail-prog", "exit_unseen"}, run), "");
    EXPECT_NE(run.iotrace_err.find("iotrace: warning: exit_unseen did not load"), std::string::npos)
        << run.iotrace_err;
    EXPECT_EQ(run.report.value("lost_events", 0), 2) << run.report["lost"].dump();
    EXPECT_EQ(run.report["lost"].value("unknown_epoll_registration", 0), 2) << run.report["lost"].dump();
    EXPECT_TRUE(run.report["unavailable"].empty()) << run.report["unavailable"].dump();
}

// The dispatchers are the core: without one iotrace cannot count anything,
// and says which one failed.
class DegradedCore : public ::testing::TestWithParam<std::string> {};

TEST_P(DegradedCore, IsAnError) {
    const std::string prog = GetParam();
    Child it({iotrace_path(), "--fail-prog", prog, "--", workload("iowork"), "close"});
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 1) << it.err();
    EXPECT_NE(it.err().find(prog), std::string::npos) << it.err();
    EXPECT_EQ(it.err().find(kTracingPrefix), std::string::npos) << it.err();
}

// A refused dispatcher is the verifier's verdict, not a privilege problem;
// with -v its whole log goes to a file the message names.
TEST_P(DegradedCore, VerboseSavesTheVerifierLog) {
    const std::string prog = GetParam();
    TempDir tmp;
    Child it({"/usr/bin/env", "TMPDIR=" + tmp.path(""), iotrace_path(), "-v", "--fail-prog", prog, "--",
              workload("iowork"), "close"});
    ASSERT_TRUE(it.wait_exit()) << it.err();
    EXPECT_EQ(it.exit_code(), 1) << it.err();
    EXPECT_NE(it.err().find("verifier refused the BPF program " + prog + ": "), std::string::npos) << it.err();
    EXPECT_EQ(it.err().find("run it with sudo"), std::string::npos) << it.err();
    auto at = it.err().find("full verifier log: ");
    ASSERT_NE(at, std::string::npos) << it.err();
    std::string path = it.err().substr(at + 19, it.err().find('\n', at) - at - 19);
    EXPECT_EQ(path.rfind(tmp.path(""), 0), 0u) << path;
    std::string log = read_file(path);
    EXPECT_NE(log.find("=== " + prog + " ==="), std::string::npos) << log.substr(0, 400);
    EXPECT_NE(log.find("processed "), std::string::npos) << log.substr(0, 400);  // the verifier's own summary
}

INSTANTIATE_TEST_SUITE_P(Degraded, DegradedCore, ::testing::Values("sys_enter", "sys_exit"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace itest
