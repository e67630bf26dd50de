// Diagnosis (issue 5) on workloads whose IO model is known by construction:
// each mode of tests/workloads/models.c runs under `iotrace -- models MODE`
// (all side by side, run_parallel) and its report must name the model the
// workload was written to use (docs/diagnosis.md has the rules), with the
// modifier, a confidence that is not "low", the findings the rules define
// for that behaviour, none that contradicts what the workload does, and
// per-thread models where threads differ (mixed-threads).
//
// A second part runs the deterministic modes under `strace -f -c` alone and
// checks that they make the calls models.c says they make, so a wrong
// diagnosis cannot come from a workload that does not do what it claims.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "diagnosis_check.h"
#include "harness.h"

namespace itest {
namespace {

constexpr const char* kWorkload = "models";

// Findings that no event loop of models.c may show: it never spins, never
// sleeps in a read, drains every ET notification, reads every reported fd at
// once, asks epoll for write readiness never, makes ~2.5 syscalls per request.
const std::vector<std::string> kLoopNever = {
    "busy_poll",           "blocking_switches",    "et_stall_risk", "lt_rereports_unread",
    "lt_rereports_partial", "epollout_busy_loop",  "empty_wakeups", "thundering_herd",
    "syscalls_per_message",
};

std::vector<std::string> plus(std::vector<std::string> v, const std::vector<std::string>& more) {
    v.insert(v.end(), more.begin(), more.end());
    return v;
}

struct ModeExp {
    std::string mode;
    DiagExp process;
    // Every thread entry: this model name ("" = not checked per thread), and
    // these findings on each.
    std::string thread_model;
    std::vector<std::string> thread_must;
    bool threads_expected = true;  // false: the "threads" array must be empty
};

const std::vector<ModeExp>& modes() {
    static const std::vector<ModeExp> v = {
        {"blocking",
         {"blocking", "", true, {"blocking_switches"},
          {"busy_poll", "select_scan_cost", "et_stall_risk", "empty_wakeups", "thundering_herd",
           "syscalls_per_message", "bookkeeping_copy"}},
         "blocking", {}},
        {"busy-poll",
         {"busy-poll", "", true, {"busy_poll"}, {"blocking_switches", "select_scan_cost", "thundering_herd"}},
         "busy-poll", {"busy_poll"}},
        {"busy-poll-epoll",
         {"busy-poll", "", true, {"busy_poll"},
          {"blocking_switches", "select_scan_cost", "empty_wakeups", "thundering_herd"}},
         "busy-poll", {"busy_poll"}},
        // Zero-timeout waits that find work, and read-until-EAGAIN drains:
        // event loops at work, not spinning (issue 10).
        {"zero-timeout-loaded",
         {"epoll-lt", "", true, {}, plus(kLoopNever, {"select_scan_cost", "bookkeeping_copy", "small_reads"})},
         "epoll-lt", {}},
        {"epoll-et-drain",
         {"epoll-et", "", true, {}, plus(kLoopNever, {"select_scan_cost", "bookkeeping_copy", "small_reads"})},
         "epoll-et", {}},
        {"io_uring",
         {"io_uring", "", true, {}, {"busy_poll", "blocking_switches", "select_scan_cost", "empty_wakeups"}},
         "io_uring", {}},
        {"epoll-lt", {"epoll-lt", "", true, {}, plus(kLoopNever, {"select_scan_cost", "bookkeeping_copy"})},
         "epoll-lt", {}},
        {"epoll-et", {"epoll-et", "", true, {}, plus(kLoopNever, {"select_scan_cost", "bookkeeping_copy"})},
         "epoll-et", {}},
        {"epoll-mixed", {"epoll-mixed", "", true, {}, plus(kLoopNever, {"select_scan_cost", "bookkeeping_copy"})},
         "epoll-mixed", {}},
        {"epoll-oneshot",
         {"epoll-lt", "oneshot", true, {}, plus(kLoopNever, {"select_scan_cost", "bookkeeping_copy"})},
         "epoll-lt", {}},
        {"epoll-et-oneshot",
         {"epoll-et", "oneshot", true, {}, plus(kLoopNever, {"select_scan_cost", "bookkeeping_copy"})},
         "epoll-et", {}},
        // 65 fds watched per wait to find 4: the scan finding; 650 bytes of
        // pollfd array copied per wait against 1,024 of data: bookkeeping.
        {"poll", {"poll", "", true, {"select_scan_cost", "bookkeeping_copy"}, kLoopNever}, "poll", {}},
        {"select", {"select", "", true, {"select_scan_cost"}, kLoopNever}, "select", {}},
        {"idle", {"idle", "", true, {}, {}}, "", {}, /*threads_expected=*/false},
        {"idle-waits",
         {"idle", "", true, {"empty_wakeups"}, {"busy_poll", "blocking_switches", "select_scan_cost"}},
         "idle", {}},
        // Per-thread models are checked by MixedThreads below.
        {"mixed-threads",
         {"epoll-lt", "", true, {}, {"busy_poll", "blocking_switches", "thundering_herd", "et_stall_risk"}},
         "", {}},
    };
    return v;
}

// All modes traced once, side by side, the first time a test asks.
const std::map<std::string, RunResult>& runs() {
    static const std::map<std::string, RunResult> r = [] {
        std::vector<std::pair<std::string, RunJob>> jobs;
        for (const auto& m : modes()) {
            const std::string mode = m.mode;
            jobs.emplace_back(mode, [mode](TracedRun& run) { return run_launched_cmd(kWorkload, {mode}, {}, run); });
        }
        return run_parallel(jobs);
    }();
    return r;
}

// The traced process of a mode's run (nullptr and a failure if missing).
const json* target_of(const RunResult& r) {
    const json* p = find_process(r.run.report, r.run.target_pid);
    EXPECT_NE(p, nullptr) << "no process " << r.run.target_pid << " in the report:\n" << r.run.report.dump(1);
    return p;
}

// "var NAME VALUE" lines of the workload's stdout.
std::multimap<std::string, long> vars_of(const std::string& out) {
    std::multimap<std::string, long> v;
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string tag, name;
        long value;
        if (f >> tag >> name >> value && tag == "var") v.emplace(name, value);
    }
    return v;
}

class DiagnosisModels : public ::testing::TestWithParam<ModeExp> {};

TEST_P(DiagnosisModels, NamesTheModel) {
    const ModeExp& e = GetParam();
    const RunResult& r = runs().at(e.mode);
    ASSERT_EQ(r.error, "");
    expect_envelope(r.run.report);
    const json* p = target_of(r);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->value("comm", ""), kWorkload);
    EXPECT_TRUE(p->value("exited", false));
    expect_diagnosis(*p, e.process, "process " + e.mode);

    const json& threads = (*p)["threads"];
    ASSERT_TRUE(threads.is_array());
    if (!e.threads_expected) {
        EXPECT_TRUE(threads.empty()) << threads.dump(1);
        EXPECT_TRUE(finding_ids(*p).empty()) << "nothing done, nothing to find: " << model_line(*p);
    } else {
        EXPECT_FALSE(threads.empty());
    }
    if (!e.thread_model.empty()) {
        for (const auto& t : threads) {
            const std::string where = e.mode + " thread " + std::to_string(t.value("tid", -1));
            EXPECT_EQ(t["model"].value("name", "?"), e.thread_model) << where << ": " << model_line(t);
            EXPECT_EQ(t["model"].value("modifier", "?"), e.process.modifier) << where << ": " << model_line(t);
            auto ids = finding_ids(t);
            for (const auto& id : e.thread_must)
                EXPECT_TRUE(std::find(ids.begin(), ids.end(), id) != ids.end())
                    << where << ": finding " << id << " missing; " << model_line(t);
        }
    }
    if (HasFailure()) ADD_FAILURE() << "the process's report:\n" << brief(*p);
}

// An accept thread blocking in accept4 and workers waiting in epoll_wait:
// the threads are told apart, and the process is named by its event loop.
TEST(DiagnosisModelsThreads, MixedThreads) {
    const RunResult& r = runs().at("mixed-threads");
    ASSERT_EQ(r.error, "");
    const json* p = target_of(r);
    ASSERT_NE(p, nullptr);
    auto vars = vars_of(r.run.workload_out);
    ASSERT_EQ(vars.count("accept_tid"), 1u) << r.run.workload_out;
    ASSERT_EQ(vars.count("worker_tid"), 2u) << r.run.workload_out;
    const long acceptor = vars.find("accept_tid")->second;

    const json* t = find_thread(*p, acceptor);
    ASSERT_NE(t, nullptr) << brief(*p);
    expect_diagnosis(*t, {"blocking", "", true, {}, {"busy_poll"}}, "accept thread");
    auto [from, to] = vars.equal_range("worker_tid");
    for (auto it = from; it != to; ++it) {
        const json* w = find_thread(*p, it->second);
        ASSERT_NE(w, nullptr) << "worker " << it->second << ": " << brief(*p);
        expect_diagnosis(*w, {"epoll-lt", "", true, {}, {"busy_poll"}}, "worker " + std::to_string(it->second));
    }
    EXPECT_EQ((*p)["threads"].size(), 3u) << "only the accept thread and the two workers make probed calls";
    if (HasFailure()) ADD_FAILURE() << "the process's report:\n" << brief(*p);
}

// The oneshot modifier is counted among edge-triggered fds too: all 64
// connections are EPOLLET|EPOLLONESHOT (the listener, level-triggered, is
// set aside), and each connection's fds entry says so.
TEST(DiagnosisModelsFindings, EdgeTriggeredOneshotEvidence) {
    const RunResult& r = runs().at("epoll-et-oneshot");
    ASSERT_EQ(r.error, "");
    const json* p = target_of(r);
    ASSERT_NE(p, nullptr);
    const json& ev = (*p)["model"]["evidence"];
    ASSERT_TRUE(ev.is_array());
    std::vector<std::string> got;
    for (const auto& e : ev) got.push_back(e.get<std::string>());
    ASSERT_EQ(got.size(), 4u) << model_line(*p);
    EXPECT_EQ(got[1], "64 epoll fds reported, 100.0% edge-triggered");
    EXPECT_EQ(got[2], "not counted: 1 listening socket");
    EXPECT_EQ(got[3], "64 of 64 EPOLLONESHOT (100.0%)");
    size_t oneshot = 0, listeners = 0;
    for (const auto& f : (*p)["fds"]) {
        if (f.value("peer", "x").empty()) {
            ++listeners;
            EXPECT_EQ(f.value("trigger", ""), "lt");
            EXPECT_FALSE(f.value("oneshot", true));
        } else {
            EXPECT_EQ(f.value("trigger", ""), "et") << f.dump();
            oneshot += f.value("oneshot", false);
        }
    }
    EXPECT_EQ(listeners, 1u);
    EXPECT_EQ(oneshot, 64u);
}

// small_reads says "more was waiting" when reads fill the buffer. Every read
// of these workloads that fills its buffer asks for exactly the 64-byte
// answer the peer sent, and the queue is empty afterwards: nothing was
// waiting, a larger buffer would save no call.
TEST(DiagnosisModelsFindings, ExactSizeReadsAreNotSmallReads) {
    for (const char* mode :
         {"blocking", "epoll-lt", "epoll-et", "epoll-mixed", "epoll-oneshot", "epoll-et-oneshot", "poll", "select"}) {
        const RunResult& r = runs().at(mode);
        ASSERT_EQ(r.error, "") << mode;
        const json* p = target_of(r);
        ASSERT_NE(p, nullptr) << mode;
        expect_diagnosis(*p, {(*p)["model"].value("name", ""), (*p)["model"].value("modifier", ""), false, {},
                              {"small_reads"}},
                         std::string("process ") + mode);
    }
}

// ---- the figures that tell a loaded event loop from a spinning one -------------

uint64_t u64(const json& j, const char* key) { return j.contains(key) && j[key].is_number() ? j[key].get<uint64_t>() : ~0ull; }

// The traced process of a mode's run (nullptr and a failure if the run failed).
const json* process_of(const std::string& mode) {
    const RunResult& r = runs().at(mode);
    EXPECT_EQ(r.error, "") << mode;
    return r.error.empty() ? target_of(r) : nullptr;
}

// A single-threaded mode whose every wait has a zero timeout: `empty` of its
// `calls` came back empty, in the process's figures and its thread's.
void expect_zero_timeout_waits(const json& p, uint64_t calls, uint64_t empty) {
    const json& w = p["waits"];
    EXPECT_EQ(u64(w, "calls"), calls);
    EXPECT_EQ(u64(w, "zero_timeout"), calls);
    EXPECT_EQ(u64(w, "zero_timeout_empty"), empty);
    EXPECT_EQ(u64(w, "empty"), empty);
    const json& th = p["threads"];
    ASSERT_TRUE(th.is_array() && th.size() == 1u) << th.dump(1);
    EXPECT_EQ(u64(th[0], "zero_timeout"), calls);
    EXPECT_EQ(u64(th[0], "zero_timeout_empty"), empty);
}

// 1,000 zero-timeout waits, every tenth with nothing written before it:
// exactly 100 come back empty, 900 return the event.
TEST(DiagnosisModelsFigures, ZeroTimeoutWaitsThatFindWork) {
    const json* p = process_of("zero-timeout-loaded");
    ASSERT_NE(p, nullptr);
    expect_zero_timeout_waits(*p, 1000, 100);
    EXPECT_EQ(u64((*p)["waits"], "ready"), 900u);
    EXPECT_EQ(u64((*p)["recv"], "calls"), 900u);
    if (HasFailure()) ADD_FAILURE() << brief(*p);
}

// Every EAGAIN read ends the drain of a reported fd: per fd, as many EAGAIN
// as reports, so none is futile.
TEST(DiagnosisModelsFigures, EdgeTriggeredDrainsAreOnePerReport) {
    const json* p = process_of("epoll-et-drain");
    ASSERT_NE(p, nullptr);
    expect_zero_timeout_waits(*p, 250, 0);
    EXPECT_EQ(u64((*p)["waits"], "ready"), 1000u);
    EXPECT_EQ(u64((*p)["recv"], "calls"), 2000u);
    EXPECT_EQ(u64((*p)["recv"], "eagain"), 1000u);
    EXPECT_EQ(u64((*p)["threads"][0], "recv_eagain"), 1000u);
    const json& fds = (*p)["fds"];
    ASSERT_TRUE(fds.is_array());
    EXPECT_EQ(fds.size(), 4u) << fds.dump(1);
    for (const auto& f : fds) {
        EXPECT_EQ(f.value("trigger", ""), "et") << f.dump();
        EXPECT_EQ(u64(f, "reported"), 250u) << f.dump();
        EXPECT_EQ(u64(f, "eagain"), 250u) << f.dump();
        EXPECT_EQ(u64(f, "et_undrained"), 0u) << f.dump();
    }
    if (HasFailure()) ADD_FAILURE() << brief(*p);
}

// The spinning epoll loop: every wait that returned the event is followed by
// the one receive of its message (100), every other came back empty.
TEST(DiagnosisModelsFigures, SpinningOnEpollCountsItsEmptyZeroTimeoutWaits) {
    const json* p = process_of("busy-poll-epoll");
    ASSERT_NE(p, nullptr);
    const json& w = (*p)["waits"];
    ASSERT_GT(u64(w, "calls"), 100u);
    EXPECT_EQ(u64(w, "zero_timeout"), u64(w, "calls"));
    EXPECT_EQ(u64(w, "zero_timeout_empty"), u64(w, "calls") - 100);
    EXPECT_EQ(u64(w, "zero_timeout_empty"), u64(w, "empty"));
    uint64_t thread_empty = 0;
    for (const auto& t : (*p)["threads"]) thread_empty += u64(t, "zero_timeout_empty");
    EXPECT_EQ(thread_empty, u64(w, "zero_timeout_empty"));
    const json& f = (*p)["findings"];
    auto busy = std::find_if(f.begin(), f.end(), [](const json& x) { return x.value("id", "") == "busy_poll"; });
    ASSERT_NE(busy, f.end());
    EXPECT_EQ(u64((*busy)["figures"], "zero_timeout_empty"), u64(w, "zero_timeout_empty")) << busy->dump();
    if (HasFailure()) ADD_FAILURE() << brief(*p);
}

INSTANTIATE_TEST_SUITE_P(Workload, DiagnosisModels, ::testing::ValuesIn(modes()), [](const auto& info) {
    std::string n = info.param.mode;
    for (char& c : n)
        if (c == '-') c = '_';
    return n;
});

// ---- the workloads do what they say (strace, without iotrace) ------------------

// The probed calls each deterministic mode makes (models.c's constants):
// name -> {calls, errors}; calls 0 with errors UINT64_MAX: "at least 1 call".
// Every other probed syscall: none.
struct StraceExp {
    std::string mode;
    std::map<std::string, std::pair<uint64_t, uint64_t>> sys;
};

const std::vector<StraceExp>& strace_table() {
    // Event loops: 64 connections accepted in one drain (65 accept4, the
    // last EAGAIN); 250 rounds of 4 requests: 1,000 server reads and writes,
    // 1,000 client writes and reads; one wait for the accepts and >= 250 for
    // the rounds (exactly 251 when every request is queued before the wait).
    static const std::vector<StraceExp> v = {
        {"blocking", {{"accept4", {4, 0}}, {"read", {1204, 0}}, {"write", {1200, 0}}, {"close", {8, 0}}}},
        {"zero-timeout-loaded", {{"epoll_ctl", {1, 0}}, {"epoll_wait", {1000, 0}}, {"read", {900, 0}},
                                 {"write", {900, 0}}}},
        {"epoll-et-drain", {{"epoll_ctl", {4, 0}}, {"epoll_wait", {250, 0}}, {"read", {2000, 1000}},
                            {"write", {1000, 0}}}},
        {"io_uring", {{"io_uring_enter", {200, 0}}}},
        {"epoll-lt", {{"accept4", {65, 1}}, {"epoll_ctl", {65, 0}}, {"epoll_wait", {251, 0}},
                      {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"epoll-et", {{"accept4", {65, 1}}, {"epoll_ctl", {65, 0}}, {"epoll_wait", {251, 0}},
                      {"read", {3000, 1000}}, {"write", {2000, 0}}}},
        {"epoll-mixed", {{"accept4", {65, 1}}, {"epoll_ctl", {65, 0}}, {"epoll_wait", {251, 0}},
                         {"read", {2500, 500}}, {"write", {2000, 0}}}},
        {"epoll-oneshot", {{"accept4", {65, 1}}, {"epoll_ctl", {1065, 0}}, {"epoll_wait", {251, 0}},
                           {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"epoll-et-oneshot", {{"accept4", {65, 1}}, {"epoll_ctl", {1065, 0}}, {"epoll_wait", {251, 0}},
                              {"read", {3000, 1000}}, {"write", {2000, 0}}}},
        {"poll", {{"accept4", {65, 1}}, {"poll", {251, 0}}, {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"select", {{"accept4", {65, 1}}, {"select", {251, 0}}, {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"idle", {}},
        {"idle-waits", {{"epoll_wait", {20, 0}}}},
    };
    return v;
}

TEST(DiagnosisModelsStrace, WorkloadsMakeTheCallsTheyClaim) {
    TempDir tmp;
    for (const auto& e : strace_table()) {
        SCOPED_TRACE(e.mode);
        std::string summary = tmp.path(e.mode + ".txt");
        Child st({"/usr/bin/strace", "-f", "-c", "-U", "name,calls,errors", "-o", summary, workload(kWorkload),
                  e.mode});
        ASSERT_TRUE(st.wait_exit());
        ASSERT_EQ(st.exit_code(), 0) << st.err();
        auto got = parse_strace_summary(read_file(summary));
        ASSERT_FALSE(got.empty()) << read_file(summary);
        for (const std::string& name : probed_syscalls()) {
            auto want = e.sys.count(name) ? e.sys.at(name) : std::pair<uint64_t, uint64_t>{0, 0};
            SysExp s = got.count(name) ? got.at(name) : SysExp{};
            if (name == "epoll_wait" || name == "poll" || name == "select") {
                // A request not yet queued when the loop waits costs one more wait.
                EXPECT_GE(s.calls, want.first) << name << " calls";
                EXPECT_LE(s.calls, want.first + want.first / 10) << name << " calls";
            } else {
                EXPECT_EQ(s.calls, want.first) << name << " calls";
            }
            EXPECT_EQ(s.errors, want.second) << name << " errors";
        }
    }
}

// The busy modes spin a variable number of times: what is fixed is the data
// (100 sends, every receive that is not EAGAIN returns data) and that the
// spinning calls are the ones named.
TEST(DiagnosisModelsStrace, BusyModesSpin) {
    TempDir tmp;
    for (const std::string mode : {"busy-poll", "busy-poll-epoll"}) {
        SCOPED_TRACE(mode);
        std::string summary = tmp.path(mode + ".txt");
        Child st({"/usr/bin/strace", "-f", "-c", "-U", "name,calls,errors", "-o", summary, workload(kWorkload), mode});
        ASSERT_TRUE(st.wait_exit());
        ASSERT_EQ(st.exit_code(), 0) << st.err();
        auto got = parse_strace_summary(read_file(summary));
        EXPECT_EQ(got["sendto"].calls, 100u);
        EXPECT_EQ(got["sendto"].errors, 0u);
        if (mode == "busy-poll") {
            EXPECT_GT(got["recvfrom"].errors, 100u) << "EAGAIN spins";
            EXPECT_EQ(got["recvfrom"].calls - got["recvfrom"].errors, 100u) << "one receive per message";
        } else {
            EXPECT_GT(got["epoll_wait"].calls, 100u);
            EXPECT_EQ(got["recvfrom"].calls, 100u);
            EXPECT_EQ(got["recvfrom"].errors, 0u);
        }
    }
}

}  // namespace
}  // namespace itest
