// Diagnosis (issue 5) on workloads whose IO model is known by construction:
// each mode of tests/workloads/models.c runs under `iotrace -- models MODE`
// (all side by side, run_parallel) and its report must name the model the
// workload was written to use (docs/diagnosis.md has the rules), with the
// modifier, a confidence that is not "low", the findings the rules define
// for that behaviour, none that contradicts what the workload does, and
// per-thread models where threads differ (mixed-threads).
// tests/workloads/habits.c adds socat's habits (issue 10), named and
// judged the same way. diagnosis_models_strace_test.cpp checks that the
// workloads make the calls they claim.
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

std::vector<std::string> minus(std::vector<std::string> v, const std::string& id) {
    v.erase(std::remove(v.begin(), v.end(), id), v.end());
    return v;
}

// Never on socat's habits (tests/workloads/habits.c): it sleeps in pselect6,
// never spins, and no finding but the relay's syscalls per message applies.
const std::vector<std::string> kHabitsNever = {
    "busy_poll", "blocking_switches", "et_stall_risk", "lt_rereports_unread", "lt_rereports_partial",
    "epollout_busy_loop", "empty_wakeups", "thundering_herd", "select_scan_cost", "small_reads",
};

struct ModeExp {
    std::string mode;
    DiagExp process;
    // Every thread entry: this model name ("" = not checked per thread), and
    // these findings on each.
    std::string thread_model;
    std::vector<std::string> thread_must;
    bool threads_expected = true;  // false: the "threads" array must be empty
    std::string workload = kWorkload;  // the program that has this mode
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
        // libuv's listener, one accept per wakeup: 63 partial re-reports of
        // the listener in ~315 waits (20%) at thousands per second: medium.
        {"epoll-accept-one",
         {"epoll-lt", "", true, {"lt_rereports_partial"},
          plus(minus(kLoopNever, "lt_rereports_partial"), {"select_scan_cost", "bookkeeping_copy"})},
         "epoll-lt", {}},
        // 65 fds watched per wait to find 4: the scan finding; 650 bytes of
        // pollfd array copied per wait against 1,024 of data: bookkeeping.
        {"poll", {"poll", "", true, {"select_scan_cost", "bookkeeping_copy"}, kLoopNever}, "poll", {}},
        {"select", {"select", "", true, {"select_scan_cost"}, kLoopNever}, "select", {}},
        {"idle", {"idle", "", true, {}, {}}, "", {}, /*threads_expected=*/false},
        {"idle-waits",
         {"idle", "", true, {"empty_wakeups"}, {"busy_poll", "blocking_switches", "select_scan_cost"}},
         "idle", {}},
        // socat's master and per-connection child (issue 10): select loops
        // that check an unwatched socketpair with MSG_DONTWAIT between steps.
        {"socat-accept", {"select", "", true, {}, plus(kHabitsNever, {"syscalls_per_message"})}, "select", {}, true,
         "habits"},
        {"socat-relay", {"select", "", true, {"syscalls_per_message"}, kHabitsNever}, "select", {}, true, "habits"},
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
            const std::string mode = m.mode, wl = m.workload;
            jobs.emplace_back(mode, [mode, wl](TracedRun& run) { return run_launched_cmd(wl, {mode}, {}, run); });
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
    EXPECT_EQ(p->value("comm", ""), e.workload);
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

// ---- socat's habits, libuv's accept (issue 10) ------------------------------------

const json* finding_of(const json& entry, const std::string& id) {
    for (const auto& f : entry["findings"])
        if (f.value("id", "") == id) return &f;
    return nullptr;
}

// Every probed syscall row: `want` calls and EAGAIN for those named, none
// for the others.
void expect_syscalls(const json& p, const std::map<std::string, std::pair<uint64_t, uint64_t>>& want) {
    const json& sc = p["syscalls"];
    for (const std::string& name : probed_syscalls()) {
        auto [calls, eagain] = want.count(name) ? want.at(name) : std::pair<uint64_t, uint64_t>{0, 0};
        if (!sc.contains(name)) {
            EXPECT_EQ(calls, 0u) << name << " missing";
            continue;
        }
        EXPECT_EQ(u64(sc[name], "calls"), calls) << name;
        EXPECT_EQ(u64(sc[name], "eagain"), eagain) << name;
    }
}

// socat's master (habits.c socat-accept): 10 pselect6, each asleep until a
// connection and reporting the listener; 92 EAGAIN checks of the
// diagnostics socketpair, which no wait reported (no fds entry). By the
// counts alone it was busy-poll (10 ready events for 102 IO calls, 10 of
// 112 calls slept); asleep in its waits nearly all the time, it is select,
// with no busy_poll in the process or its thread.
TEST(DiagnosisModelsFigures, SocatMasterSleepsInSelect) {
    const json* p = process_of("socat-accept");
    ASSERT_NE(p, nullptr);
    expect_syscalls(*p, {{"pselect6", {10, 0}}, {"recvfrom", {92, 92}}, {"accept4", {10, 0}}, {"close", {10, 0}}});
    const json& w = (*p)["waits"];
    EXPECT_EQ(u64(w, "calls"), 10u);
    EXPECT_EQ(u64(w, "ready"), 10u);
    EXPECT_EQ(u64(w, "empty"), 0u);
    EXPECT_EQ(u64(w, "zero_timeout"), 0u);
    EXPECT_GE(u64(w, "wakeups"), 1u);
    EXPECT_LE(u64(w, "wakeups"), 10u);
    uint64_t in_calls = 0;
    for (const auto& [name, row] : (*p)["syscalls"].items()) in_calls += u64(row, "time_ns");
    EXPECT_GE(u64(w, "time_ns") - u64(w, "cpu_ns"), in_calls / 2) << "asleep in pselect6 most of its time in calls";
    EXPECT_EQ(u64((*p)["recv"], "calls"), 92u);
    EXPECT_EQ(u64((*p)["recv"], "eagain"), 92u);
    EXPECT_EQ(u64((*p)["recv"], "bytes"), 0u);
    EXPECT_EQ(u64((*p)["accept"], "calls"), 10u);
    const json& fds = (*p)["fds"];
    ASSERT_EQ(fds.size(), 1u) << "only the listener was reported: " << fds.dump(1);
    EXPECT_EQ(fds[0].value("fd", -1), 42);
    EXPECT_EQ(fds[0].value("kind", ""), "tcp");
    EXPECT_EQ(fds[0].value("trigger", ""), "select");
    EXPECT_EQ(u64(fds[0], "reported"), 10u);
    EXPECT_EQ(u64(fds[0], "reads"), 10u);
    EXPECT_EQ(u64(fds[0], "eagain"), 0u);
    EXPECT_EQ(u64(fds[0], "lt_rereports_partial"), 9u);  // one accept per wakeup: under 10, no finding
    const json& ev = (*p)["model"]["evidence"];
    ASSERT_EQ(ev.size(), 2u) << model_line(*p);
    EXPECT_EQ(ev[0].get<std::string>(), "10 waits, 100.0% select");
    EXPECT_EQ(ev[1].get<std::string>().rfind(
                  "92 EAGAIN receives and accepts on fds no wait reported, between waits asleep ", 0),
              0u)
        << ev[1];
    EXPECT_TRUE(finding_ids(*p).empty()) << model_line(*p);
    ASSERT_EQ((*p)["threads"].size(), 1u);
    EXPECT_TRUE(finding_ids((*p)["threads"][0]).empty()) << model_line((*p)["threads"][0]);
    if (HasFailure()) ADD_FAILURE() << brief(*p);
}

// socat's child (habits.c socat-relay): per request one pselect6, one read,
// 7 EAGAIN checks of the diagnostics socketpair and one answer; then the
// end of file. 2,003 calls for 200 messages. The EAGAIN are of an fd no
// wait reported: the advice is to watch it, not to skip a read after a
// short one.
TEST(DiagnosisModelsFigures, SocatRelayChecksAreNotDrains) {
    const json* p = process_of("socat-relay");
    ASSERT_NE(p, nullptr);
    expect_syscalls(*p, {{"pselect6", {201, 0}},
                         {"read", {201, 0}},
                         {"recvfrom", {1400, 1400}},
                         {"write", {200, 0}},
                         {"close", {1, 0}}});
    const json& fds = (*p)["fds"];
    ASSERT_EQ(fds.size(), 1u) << fds.dump(1);
    EXPECT_EQ(u64(fds[0], "reported"), 201u);
    EXPECT_EQ(u64(fds[0], "reads"), 201u);
    EXPECT_EQ(u64(fds[0], "eagain"), 0u);
    const json* f = finding_of(*p, "syscalls_per_message");
    ASSERT_NE(f, nullptr) << model_line(*p);
    EXPECT_EQ(f->value("severity", ""), "high");
    const json& fig = (*f)["figures"];
    EXPECT_DOUBLE_EQ(fig.value("syscalls_per_message", -1.0), 2003.0 / 200);
    EXPECT_DOUBLE_EQ(fig.value("waits_per_message", -1.0), 201.0 / 200);
    EXPECT_DOUBLE_EQ(fig.value("reads_per_message", -1.0), 1601.0 / 200);
    EXPECT_DOUBLE_EQ(fig.value("eagain_per_message", -1.0), 7.0);
    EXPECT_DOUBLE_EQ(fig.value("unreported_eagain_per_message", -1.0), 7.0);
    EXPECT_DOUBLE_EQ(fig.value("sends_per_message", -1.0), 1.0);
    EXPECT_DOUBLE_EQ(fig.value("epoll_ctl_per_message", -1.0), 0.0);
    EXPECT_DOUBLE_EQ(fig.value("reads_per_report", -1.0), 1601.0 / 201);
    EXPECT_DOUBLE_EQ(fig.value("bytes_per_syscall", -1.0), 25600.0 / 2003);
    const std::string text = f->value("text", "");
    EXPECT_NE(text.find("7.00 EAGAIN (7.00 on fds no wait reported)"), std::string::npos) << text;
    EXPECT_NE(text.find("): most EAGAIN reads were of fds no wait reported: watch those fds in the wait"),
              std::string::npos)
        << text;
    if (HasFailure()) ADD_FAILURE() << brief(*p);
}

// One accept per wakeup (libuv >= 1.45) at thousands per second: the
// listener's 63 partial re-reports are 20% of the waits, and at that rate
// the share decides: medium.
TEST(DiagnosisModelsFigures, AcceptingOnePerWakeupAtAHighRateIsMedium) {
    const json* p = process_of("epoll-accept-one");
    ASSERT_NE(p, nullptr);
    int listener = -1;
    for (const auto& fd : (*p)["fds"])
        if (fd.value("peer", "x").empty()) {
            listener = fd.value("fd", -1);
            EXPECT_EQ(u64(fd, "reported"), 64u);
            EXPECT_EQ(u64(fd, "reads"), 64u);
            EXPECT_EQ(u64(fd, "lt_rereports_partial"), 63u);
        }
    ASSERT_GE(listener, 0) << (*p)["fds"].dump(1);
    EXPECT_EQ(u64((*p)["readiness"], "lt_rereports_partial"), 63u);
    const json* f = finding_of(*p, "lt_rereports_partial");
    ASSERT_NE(f, nullptr) << model_line(*p);
    EXPECT_EQ(f->value("severity", ""), "medium");
    const json& fig = (*f)["figures"];
    EXPECT_EQ(fig.value("count", -1.0), 63.0);
    EXPECT_DOUBLE_EQ(fig.value("per_wait", -1.0), 63.0 / static_cast<double>(u64((*p)["waits"], "calls")));
    EXPECT_GE(fig.value("per_s", -1.0), 100.0) << "a run this short makes a high rate";
    EXPECT_EQ(fig.value("worst_fd", -2.0), listener);
    EXPECT_EQ(fig.value("worst_fd_count", -1.0), 63.0);
    EXPECT_NE(f->value("text", "").find("accept until EAGAIN"), std::string::npos);
    if (HasFailure()) ADD_FAILURE() << brief(*p);
}

INSTANTIATE_TEST_SUITE_P(Workload, DiagnosisModels, ::testing::ValuesIn(modes()), [](const auto& info) {
    std::string n = info.param.mode;
    for (char& c : n)
        if (c == '-') c = '_';
    return n;
});

}  // namespace
}  // namespace itest
