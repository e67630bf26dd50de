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

#include "harness.h"
#include "readiness_expected.h"

namespace itest {
namespace {

constexpr const char* kWorkload = "readiness";
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

// "var NAME VALUE" lines of the workload's stdout, plus pid.
using Vars = std::map<std::string, std::string>;

Vars parse_vars(const std::string& out, int pid) {
    Vars v{{"pid", std::to_string(pid)}};
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string tag, name, value;
        if (f >> tag >> name >> value && tag == "var") v[name] = value;
    }
    return v;
}

// Replaces each {NAME} in s by the value of NAME.
std::string subst(const std::string& s, const Vars& vars) {
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
        size_t open = s.find('{', i);
        if (open == std::string::npos) break;
        size_t close = s.find('}', open);
        if (close == std::string::npos) break;
        out += s.substr(i, open - i);
        std::string name = s.substr(open + 1, close - open - 1);
        auto it = vars.find(name);
        if (it == vars.end()) {
            ADD_FAILURE() << "the workload printed no var " << name;
            out += "?";
        } else {
            out += it->second;
        }
        i = close + 1;
    }
    return out + s.substr(std::min(i, s.size()));
}

// j[key] as an unsigned number (UINT64_MAX and a failure if it is not one).
uint64_t num(const json& j, const std::string& key, const std::string& where) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number_unsigned()) {
        ADD_FAILURE() << where << "." << key << " missing or not an unsigned number";
        return UINT64_MAX;
    }
    return j[key].get<uint64_t>();
}

std::string str(const json& j, const std::string& key, const std::string& where) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_string()) {
        ADD_FAILURE() << where << "." << key << " missing or not a string";
        return "<missing>";
    }
    return j[key].get<std::string>();
}

bool boolean(const json& j, const std::string& key, const std::string& where) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_boolean()) {
        ADD_FAILURE() << where << "." << key << " missing or not a boolean";
        return false;
    }
    return j[key].get<bool>();
}

// The keys of an object, sorted (the harness's json keeps no key order;
// the order is checked by the unit tests of the renderer).
std::vector<std::string> keys_of(const json& j) {
    std::vector<std::string> out;
    for (auto it = j.begin(); it != j.end(); ++it) out.push_back(it.key());
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
}

void expect_fd(const json& got, const FdExp& e, const Vars& vars) {
    const std::string w = "fds[fd " + std::to_string(e.fd) + "]";
    EXPECT_EQ(keys_of(got), sorted({"fd", "kind", "trigger", "oneshot", "local", "peer", "reported", "reads",
                                    "bytes", "eagain", "drains", "writes", "lt_rereports", "lt_rereports_unread",
                                    "lt_rereports_partial", "write_rereports", "et_notifications", "et_undrained",
                                    "herd_rereports"}))
        << w << " keys";
    EXPECT_EQ(str(got, "kind", w), e.kind) << w << ".kind";
    EXPECT_EQ(str(got, "trigger", w), e.trigger) << w << ".trigger";
    EXPECT_EQ(boolean(got, "oneshot", w), e.oneshot) << w << ".oneshot";
    EXPECT_EQ(str(got, "local", w), subst(e.local, vars)) << w << ".local";
    EXPECT_EQ(str(got, "peer", w), subst(e.peer, vars)) << w << ".peer";
    EXPECT_EQ(num(got, "reported", w), e.reported) << w << ".reported";
    EXPECT_EQ(num(got, "reads", w), e.reads) << w << ".reads";
    EXPECT_EQ(num(got, "bytes", w), e.bytes) << w << ".bytes";
    EXPECT_EQ(num(got, "eagain", w), e.eagain) << w << ".eagain";
    EXPECT_EQ(num(got, "drains", w), e.drains) << w << ".drains";
    EXPECT_EQ(num(got, "writes", w), e.writes) << w << ".writes";
    EXPECT_EQ(num(got, "lt_rereports", w), e.lt_unread + e.lt_partial) << w << ".lt_rereports";
    EXPECT_EQ(num(got, "lt_rereports_unread", w), e.lt_unread) << w << ".lt_rereports_unread";
    EXPECT_EQ(num(got, "lt_rereports_partial", w), e.lt_partial) << w << ".lt_rereports_partial";
    EXPECT_EQ(num(got, "write_rereports", w), e.write_rereports) << w << ".write_rereports";
    EXPECT_EQ(num(got, "et_notifications", w), e.et_notifications) << w << ".et_notifications";
    EXPECT_EQ(num(got, "et_undrained", w), e.et_undrained) << w << ".et_undrained";
    EXPECT_EQ(num(got, "herd_rereports", w), e.herd) << w << ".herd_rereports";
}

// Every figure of process p against e (see the file comment).
void expect_readiness(const json& p, const ReadinessExp& e, const Vars& vars) {
    // syscalls: calls, errors, eagain of each probed one
    const json& sc = p.contains("syscalls") ? p["syscalls"] : json::object();
    for (const std::string& name : probed_syscalls()) {
        SysExp want = e.sys.count(name) ? e.sys.at(name) : SysExp{};
        SysExp got;
        if (sc.contains(name))
            got = {num(sc[name], "calls", name), num(sc[name], "errors", name), num(sc[name], "eagain", name)};
        EXPECT_EQ(got.calls, want.calls) << name << ".calls";
        EXPECT_EQ(got.errors, want.errors) << name << ".errors";
        EXPECT_EQ(got.eagain, want.eagain) << name << ".eagain";
    }

    const json& w = p.value("waits", json::object());
    EXPECT_EQ(num(w, "calls", "waits"), e.waits.calls) << "waits.calls";
    EXPECT_EQ(num(w, "empty", "waits"), e.waits.empty) << "waits.empty";
    EXPECT_EQ(num(w, "ready", "waits"), e.waits.ready) << "waits.ready";
    EXPECT_EQ(num(w, "wakeups", "waits"), e.waits.wakeups) << "waits.wakeups";
    uint64_t time_ns = num(w, "time_ns", "waits"), cpu_ns = num(w, "cpu_ns", "waits");
    EXPECT_LE(cpu_ns, time_ns) << "waits.cpu_ns must not exceed waits.time_ns";
    if (e.waits.calls > 0) {
        EXPECT_GT(cpu_ns, 0u) << "waits.cpu_ns";
    }

    const json& r = p.value("recv", json::object());
    EXPECT_EQ(num(r, "calls", "recv"), e.recv.calls) << "recv.calls";
    EXPECT_EQ(num(r, "bytes", "recv"), e.recv.bytes) << "recv.bytes";
    EXPECT_EQ(num(r, "eagain", "recv"), e.recv.eagain) << "recv.eagain";
    EXPECT_EQ(num(r, "eof", "recv"), e.recv.eof) << "recv.eof";
    EXPECT_EQ(num(r, "short", "recv"), e.recv.short_) << "recv.short";

    const json& rd = p.value("readiness", json::object());
    EXPECT_EQ(num(rd, "lt_rereports", "readiness"), e.readiness.unread + e.readiness.partial)
        << "readiness.lt_rereports";
    EXPECT_EQ(num(rd, "lt_rereports_unread", "readiness"), e.readiness.unread) << "readiness.lt_rereports_unread";
    EXPECT_EQ(num(rd, "lt_rereports_partial", "readiness"), e.readiness.partial)
        << "readiness.lt_rereports_partial";
    EXPECT_EQ(num(rd, "write_rereports_unwritten", "readiness"), e.readiness.write_unwritten)
        << "readiness.write_rereports_unwritten";
    EXPECT_EQ(num(rd, "et_notifications", "readiness"), e.readiness.et_notifications)
        << "readiness.et_notifications";
    EXPECT_EQ(num(rd, "et_undrained", "readiness"), e.readiness.et_undrained) << "readiness.et_undrained";
    EXPECT_EQ(num(rd, "herd_rereports", "readiness"), e.readiness.herd) << "readiness.herd_rereports";

    // fds: exactly the expected entries, sorted by fd
    const json& fds = p.value("fds", json::array());
    ASSERT_TRUE(fds.is_array()) << "fds";
    std::vector<FdExp> want_fds = e.fds;
    std::sort(want_fds.begin(), want_fds.end(), [](const FdExp& a, const FdExp& b) { return a.fd < b.fd; });
    std::vector<int> got_numbers, want_numbers;
    for (const auto& f : fds) got_numbers.push_back(f.value("fd", -1));
    for (const auto& f : want_fds) want_numbers.push_back(f.fd);
    EXPECT_EQ(got_numbers, want_numbers) << "the fds entries (sorted by fd)";
    for (const FdExp& f : want_fds) {
        auto it = std::find_if(fds.begin(), fds.end(), [&](const json& j) { return j.value("fd", -1) == f.fd; });
        if (it == fds.end()) continue;  // reported above
        SCOPED_TRACE("fd " + std::to_string(f.fd));
        expect_fd(*it, f, vars);
    }

    // threads: exactly the expected entries, sorted by tid
    const json& threads = p.value("threads", json::array());
    ASSERT_TRUE(threads.is_array()) << "threads";
    std::vector<std::pair<long, ThreadExp>> want_threads;
    for (const auto& t : e.threads) want_threads.emplace_back(std::stol(subst(t.tid, vars)), t);
    std::sort(want_threads.begin(), want_threads.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<long> got_tids, want_tids;
    for (const auto& t : threads) got_tids.push_back(t.value("tid", -1L));
    for (const auto& t : want_threads) want_tids.push_back(t.first);
    EXPECT_EQ(got_tids, want_tids) << "the threads entries (sorted by tid)";
    for (const auto& [tid, t] : want_threads) {
        auto it = std::find_if(threads.begin(), threads.end(),
                               [&](const json& j) { return j.value("tid", -1L) == tid; });
        if (it == threads.end()) continue;
        const std::string where = "threads[" + t.tid + "=" + std::to_string(tid) + "]";
        EXPECT_EQ(keys_of(*it), sorted({"tid", "comm", "model", "findings", "waits", "wakeups", "ready", "recv",
                                        "select_waits", "poll_waits", "epoll_waits", "zero_timeout", "recv_eagain",
                                        "recv_blocked", "accepts", "accept_blocked", "uring_enters"}))
            << where << " keys";
        EXPECT_EQ(str(*it, "comm", where), kWorkload) << where << ".comm";
        EXPECT_EQ(num(*it, "waits", where), t.waits) << where << ".waits";
        EXPECT_EQ(num(*it, "ready", where), t.ready) << where << ".ready";
        EXPECT_EQ(num(*it, "wakeups", where), t.wakeups) << where << ".wakeups";
        EXPECT_EQ(num(*it, "recv", where), t.recv) << where << ".recv";
    }
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
