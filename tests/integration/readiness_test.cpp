// Readiness analysis (issue 3): every scenario of tests/workloads/readiness.c
// traced with -p (and, when its set-up makes no probed call, as `-- CMD`
// too), with every readiness figure checked exactly against
// readiness_expected.cpp: the readiness block, every fds entry (all fields),
// every threads entry, waits.wakeups; plus the probed syscalls' calls,
// errors and eagain, and the waits and recv figures the scenario implies.
// cpu_ns and time_ns cannot be exact: bounds.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <ostream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "diagnosis_check.h"
#include "harness.h"
#include "readiness_check.h"
#include "readiness_expected.h"

namespace itest {
namespace {

constexpr const char* kWorkload = kReadinessWorkload;
constexpr uint64_t kMs = 1000 * 1000;

// NoSlots and OneSlot attach too, with the kernel side's per-process and
// per-thread counter slots taken away (every figure in the hash maps) or
// down to one (the first thread in a slot, the others in the hash).
enum class Path { Attach, Launch, NoSlots, OneSlot };

const char* path_suffix(Path p) {
    switch (p) {
    case Path::Attach: return "_p";
    case Path::Launch: return "_cmd";
    case Path::NoSlots: return "_p_noslots";
    case Path::OneSlot: return "_p_oneslot";
    }
    return "";
}

void PrintTo(Path p, std::ostream* os) { *os << path_suffix(p); }

std::string test_suffix(const std::string& scenario, Path path) { return scenario + path_suffix(path); }

std::vector<std::string> path_options(Path p) {
    if (p == Path::NoSlots) return {"--proc-slots", "0", "--thread-slots", "0"};
    if (p == Path::OneSlot) return {"--proc-slots", "1", "--thread-slots", "1"};
    return {};
}

std::vector<std::tuple<std::string, Path>> all_params() {
    std::vector<std::tuple<std::string, Path>> v;
    for (const auto& s : readiness_scenarios()) {
        v.emplace_back(s.name, Path::Attach);
        if (s.launched_too) v.emplace_back(s.name, Path::Launch);
        if (s.name == "thread_ready" || s.name == "herd")
            for (Path p : {Path::NoSlots, Path::OneSlot}) v.emplace_back(s.name, p);
    }
    return v;
}


// What exactness is impossible for in "sleep": three waits sleep 100 ms
// each until their timeout, one >= 50 ms until data arrives (the helper
// writes 50 ms after seeing it blocked); all that time is off CPU.
void expect_sleep_bounds(const json& p) {
    const json& w = p["waits"];
    uint64_t time_ns = num(w, "time_ns", "waits"), cpu_ns = num(w, "cpu_ns", "waits");
    EXPECT_GE(time_ns, 3 * 100 * kMs + 50 * kMs) << "waits.time_ns";
    EXPECT_LT(cpu_ns, 20 * kMs) << "waits.cpu_ns: the sleeping was off CPU";
    const json& sc = p["syscalls"];
    EXPECT_GE(num(sc["epoll_wait"], "time_ns", "epoll_wait"), 100 * kMs + 50 * kMs) << "epoll_wait.time_ns";
    EXPECT_GE(num(sc["poll"], "time_ns", "poll"), 100 * kMs) << "poll.time_ns";
    EXPECT_GE(num(sc["select"], "time_ns", "select"), 100 * kMs) << "select.time_ns";
}

// "preempt": the selects were preempted (the workload counted its
// involuntary switches), yet none is a wakeup (checked exactly by
// expect_readiness); do_select's cond_resched is where the preemption
// lands (PREEMPT_NONE/VOLUNTARY) or anywhere (full preemption), so with
// 2000 selects taking nearly all of the thread's time, time switched out
// during them takes cpu_ns below time_ns.
void expect_preempt_bounds(const json& p, const Vars& vars) {
    ASSERT_TRUE(vars.count("preempted")) << "the workload printed no preempted count";
    EXPECT_GT(std::stol(vars.at("preempted")), 0) << "the busy thread never preempted the selects";
    const json& w = p["waits"];
    EXPECT_LT(num(w, "cpu_ns", "waits"), num(w, "time_ns", "waits")) << "preempted time is not CPU time";
}

// "herd": the finding on a shared epoll fd, from the exact figures (10 herd
// re-reports in 32 waits, all on fd 40; the main thread and 3 workers made
// epoll waits). The rate depends on the run's duration: only > 0.
void expect_herd_finding(const json& p) {
    const json* found = nullptr;
    for (const auto& f : p["findings"])
        if (f.value("id", "") == "shared_epoll_herd") found = &f;
    ASSERT_NE(found, nullptr) << "no shared_epoll_herd finding: " << p["findings"].dump(1);
    EXPECT_EQ(found->value("severity", ""), "medium");  // 31.3% of the waits
    const json& fig = (*found)["figures"];
    EXPECT_EQ(fig.value("count", -1.0), 10.0);
    EXPECT_DOUBLE_EQ(fig.value("per_wait", -1.0), 10.0 / 32.0);
    EXPECT_GT(fig.value("per_s", -1.0), 0.0);
    EXPECT_EQ(fig.value("worst_fd", -2.0), 40.0);
    EXPECT_EQ(fig.value("worst_fd_count", -1.0), 10.0);
    EXPECT_EQ(fig.value("epoll_threads", -1.0), 4.0);
    EXPECT_EQ(found->value("text", "").rfind("10 epoll reports (0.31 per wait) handed an fd to a thread", 0), 0u)
        << found->value("text", "");
}

const json* finding(const json& p, const std::string& id) {
    for (const auto& f : p["findings"])
        if (f.value("id", "") == id) return &f;
    return nullptr;
}

// "et_handoff": every notification undrained at the waiter's next wait, yet
// drained by the reader thread before the next one: no stall, no finding.
// "et_partial": 99 stalls in 101 notifications, all on fd 40: high (>= 10%).
// Finding `id` of "et_partial"; none (and a failure if there is one) for
// "et_handoff", whose reader drains every notification before the next.
const json* partial_only(const std::string& name, const json& p, const std::string& id) {
    const json* found = finding(p, id);
    if (name == "et_handoff") {
        EXPECT_EQ(found, nullptr) << id << " on a handoff that drains: " << p["findings"].dump(1);
        return nullptr;
    }
    EXPECT_NE(found, nullptr) << "no " << id << " finding: " << p["findings"].dump(1);
    return found;
}

void expect_et_stall_finding(const std::string& name, const json& p) {
    const json* found = partial_only(name, p, "et_stall_risk");
    if (!found) return;
    EXPECT_EQ(found->value("severity", ""), "high");
    const json& fig = (*found)["figures"];
    EXPECT_EQ(fig.value("et_stalls", -1.0), 99.0);
    EXPECT_EQ(fig.value("et_notifications", -1.0), 101.0);
    EXPECT_DOUBLE_EQ(fig.value("stall_share", -1.0), 99.0 / 101.0);
    EXPECT_EQ(fig.value("fds_affected", -1.0), 1.0);
    EXPECT_EQ(fig.value("worst_fd", -2.0), 40.0);
    EXPECT_EQ(fig.value("worst_fd_stalls", -1.0), 99.0);
    EXPECT_EQ(found->value("text", "").rfind("99 of 101 edge-triggered notifications (98.0%) came while", 0), 0u)
        << found->value("text", "");
}

// small_reads wants data left behind after reads that fill the buffer.
// "et_partial": 100 full 10-byte reads of 102, each leaving 10 bytes that
// sat until the next edge (99 stalls): found. "et_handoff": 100 full
// 10-byte reads, each notification undrained when its waiter waited again
// but drained by the reader before more came (no stall): nothing was left
// behind, nothing found.
void expect_small_reads_finding(const std::string& name, const json& p) {
    const json* found = partial_only(name, p, "small_reads");
    if (!found) return;
    const json& fig = (*found)["figures"];
    EXPECT_EQ(fig.value("data_reads", -1.0), 102.0);
    EXPECT_DOUBLE_EQ(fig.value("avg_bytes", -1.0), 2005.0 / 102);
    EXPECT_DOUBLE_EQ(fig.value("full_share", -1.0), 100.0 / 102);
    EXPECT_EQ(fig.value("left_behind", -1.0), 99.0);
}

// "et_handoff" is Go's layout in miniature: the reader thread has no waits
// and reads what the main thread's epoll_wait reported, until EAGAIN. It is
// part of the epoll loop (edge-triggered), not blocking IO. (The main
// thread, half of whose waits are empty zero-timeout ones and which sleeps
// only in futexes, no probed call, is busy-poll by the rule's letter.)
void expect_handoff_reader_model(const json& p, const Vars& vars) {
    const json* reader = find_thread(p, std::stol(vars.at("reader_tid")));
    ASSERT_NE(reader, nullptr) << p["threads"].dump(1);
    EXPECT_EQ((*reader)["model"].value("name", ""), "epoll-et") << (*reader)["model"].dump();
}

class Readiness : public ::testing::TestWithParam<std::tuple<std::string, Path>> {
protected:
    static void SetUpTestSuite() {
        // All the selected runs side by side (as scenarios_test.cpp does).
        const ::testing::TestSuite* suite = ::testing::UnitTest::GetInstance()->current_test_suite();
        std::vector<std::pair<std::string, RunJob>> jobs;
        for (int i = 0; i < suite->total_test_count(); ++i) {
            const ::testing::TestInfo* info = suite->GetTestInfo(i);
            if (!info->should_run()) continue;
            const std::string test = info->name();
            RunJob job = [](TracedRun&) { return std::string("unknown test"); };
            for (const auto& [name, path] : all_params())
                if (test.ends_with("/" + test_suffix(name, path)))
                    job = [name, path](TracedRun& run) {
                        return path == Path::Launch ? run_launched_cmd(kWorkload, {name}, {}, run)
                                                    : run_attached_to(kWorkload, {name}, path_options(path), run);
                    };
            jobs.emplace_back(test, job);
        }
        results_ = new std::map<std::string, RunResult>(run_parallel(jobs));
    }
    static void TearDownTestSuite() {
        delete results_;
        results_ = nullptr;
    }
    static std::map<std::string, RunResult>* results_;
};

std::map<std::string, RunResult>* Readiness::results_ = nullptr;

TEST_P(Readiness, ReportsExactFigures) {
    const auto& [name, path] = GetParam();
    auto it = results_->find(::testing::UnitTest::GetInstance()->current_test_info()->name());
    ASSERT_NE(it, results_->end());
    const RunResult& r = it->second;
    ASSERT_EQ(r.error, "");
    const json& report = r.run.report;
    expect_envelope(report);  // lost_events == 0
    EXPECT_EQ(report["lost"].value("unknown_epoll_registration", UINT64_MAX), 0u)
        << "every epoll event must name its fd";
    ASSERT_EQ(report["processes"].size(), 1u) << report.dump(1);
    const json& p = report["processes"][0];
    EXPECT_EQ(p.value("pid", -1), r.run.target_pid);
    EXPECT_EQ(p.value("comm", ""), kWorkload);
    EXPECT_EQ(p.value("exited", false), true);
    const Vars vars = parse_vars(r.run.workload_out, r.run.target_pid);
    expect_readiness(p, readiness_expected(name), vars);
    if (name == "sleep") expect_sleep_bounds(p);
    if (name == "preempt") expect_preempt_bounds(p, vars);
    if (name == "herd") expect_herd_finding(p);
    if (name == "et_handoff" || name == "et_partial") {
        expect_et_stall_finding(name, p);
        expect_small_reads_finding(name, p);
    }
    if (name == "et_handoff") expect_handoff_reader_model(p, vars);
    if (HasFailure()) {
        json brief = p;  // without the histograms
        for (auto& [k, v] : brief["syscalls"].items()) v.erase("hist_log2_ns");
        ADD_FAILURE() << "the process's report:\n" << brief.dump(1);
    }
}

// The tables' syscall columns against strace, without iotrace: each scenario
// whose set-up makes no probed call, run whole under `strace -f -c`, makes
// exactly the calls (and errors) its table says.
TEST(ReadinessStrace, TablesMatchStrace) {
    TempDir tmp;
    for (const auto& sc : readiness_scenarios()) {
        if (!sc.launched_too) continue;  // set-up before attach makes probed calls
        SCOPED_TRACE(sc.name);
        std::string summary = tmp.path(sc.name + ".txt");
        Child st({"/usr/bin/strace", "-f", "-c", "-U", "name,calls,errors", "-o", summary, workload(kWorkload),
                  sc.name});
        ASSERT_TRUE(st.wait_exit());
        ASSERT_EQ(st.exit_code(), 0) << st.err();
        auto got = parse_strace_summary(read_file(summary));
        ASSERT_FALSE(got.empty()) << read_file(summary);
        ReadinessExp e = readiness_expected(sc.name);
        for (const std::string& name : probed_syscalls()) {
            SysExp want = e.sys.count(name) ? e.sys.at(name) : SysExp{};
            SysExp s = got.count(name) ? got.at(name) : SysExp{};
            EXPECT_EQ(s.calls, want.calls) << name << " calls: strace vs table";
            EXPECT_EQ(s.errors, want.errors) << name << " errors: strace vs table";
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Workload, Readiness, ::testing::ValuesIn(all_params()),
                         [](const auto& info) { return test_suffix(std::get<0>(info.param), std::get<1>(info.param)); });

}  // namespace
}  // namespace itest
