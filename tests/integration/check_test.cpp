// `iotrace --check` on this machine, and tracing on a machine where tracefs
// is not mounted (iotrace mounts it, root or not).
#include <gtest/gtest.h>

#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "expected.h"
#include "harness.h"

namespace itest {
namespace {

// Verifying every program can take a while on a slow machine.
constexpr std::chrono::seconds kLoadTimeout{120};

// The programs of the kernel side (the contract in src/model/availability.h:
// each of these is loaded, or says why not). The *_basic fallbacks may be
// listed too.
const std::vector<std::string>& contract_programs() {
    static const std::vector<std::string> names = {
        "sys_enter",      "sys_exit",        "enter_select",   "exit_select",      "enter_poll",
        "exit_poll",      "enter_epoll_wait", "exit_epoll_wait", "enter_epoll_ctl", "exit_epoll_ctl",
        "enter_recv",     "exit_recv",       "enter_send",     "exit_send",        "enter_other",
        "exit_other",     "exit_unseen",     "on_switch",      "on_fork",          "on_exec",
        "on_exit",
    };
    return names;
}

// The budget a program's verification must fit: well under the verifier's
// 1,000,000 processed instructions, so a kernel whose verifier explores a
// little more still takes it.
constexpr uint64_t kInsnBudget = 150000;

json run_check_json(Child& it) {
    EXPECT_TRUE(it.wait_exit(kLoadTimeout)) << it.err();
    json j = json::parse(it.out(), nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(j.is_discarded()) << "--check --json is not JSON:\n" << it.out() << "\nstderr:\n" << it.err();
    return j;
}

// The document's shape (docs/json.md, "iotrace --check"), whatever loaded.
TEST(Check, JsonParsesWithEveryKey) {
    Child it({iotrace_path(), "--check", "--json"});
    json j = run_check_json(it);
    ASSERT_TRUE(j.is_object());
    for (const char* key : {"kernel", "capabilities", "programs", "verifier_log", "parts", "error", "ok"})
        EXPECT_TRUE(j.contains(key)) << key;
    for (const char* key : {"release", "btf", "tracefs", "lockdown"}) EXPECT_TRUE(j["kernel"].contains(key)) << key;
    EXPECT_EQ(j["kernel"].value("btf", false), true);
    EXPECT_FALSE(j["kernel"]["tracefs"].value("path", "").empty()) << j["kernel"].dump();
    EXPECT_EQ(j["capabilities"].value("root", false), true);  // the tests run as root
    EXPECT_EQ(j["parts"].size(), 13u);
    // exit status and "ok" agree
    EXPECT_EQ(it.exit_code(), j.value("ok", false) ? 0 : 1) << it.err();
}

// Everything loads on this kernel, each program within the budget.
void expect_every_program_within_budget(const std::vector<std::string>& extra) {
    auto started = std::chrono::steady_clock::now();
    std::vector<std::string> argv{iotrace_path(), "--check", "--json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    Child it(argv);
    json j = run_check_json(it);
    EXPECT_EQ(it.exit_code(), 0) << j.dump(1) << "\nstderr:\n" << it.err();
    EXPECT_EQ(j.value("ok", false), true);
    EXPECT_EQ(j.value("error", "?"), "");
    std::set<std::string> listed;
    double load_ms = 0;
    for (const json& p : j.value("programs", json::array())) {
        std::string name = p.value("name", "");
        listed.insert(name);
        EXPECT_TRUE(p.value("loaded", false)) << name << ": " << p.value("error", "");
        EXPECT_FALSE(p.value("forced", true)) << name;
        EXPECT_EQ(p.value("error", "?"), "") << name;
        uint64_t insns = p.value("verified_insns", UINT64_MAX);
        EXPECT_GT(insns, 0u) << name;
        EXPECT_LE(insns, kInsnBudget) << name << " verified " << insns << " instructions";
        EXPECT_GT(p.value("load_ms", -1.0), 0.0) << name;
        load_ms += p.value("load_ms", 0.0);
    }
    // the loads are back to back inside iotrace's run: they cannot add up to
    // more than the whole run took
    const double run_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    EXPECT_LT(load_ms, run_ms);
    for (const std::string& name : contract_programs()) EXPECT_TRUE(listed.count(name)) << name << " not listed";
    for (const json& part : j.value("parts", json::array()))
        EXPECT_TRUE(part.value("available", false)) << part.dump();
}

TEST(Check, EveryProgramLoadsWithinTheBudget) { expect_every_program_within_budget({}); }

// The same with iotrace flame's code on (--check-flame: flame_on and
// --stacks, as `iotrace flame --stacks` loads them).
TEST(Check, FlameProgramsLoadWithinTheBudget) { expect_every_program_within_budget({"--check-flame"}); }

TEST(Check, TextListsEveryProgram) {
    Child it({iotrace_path(), "--check"});
    ASSERT_TRUE(it.wait_exit(kLoadTimeout)) << it.err();
    EXPECT_EQ(it.exit_code(), 0) << it.out() << it.err();
    for (const std::string& name : contract_programs())
        EXPECT_NE(it.out().find("\n  " + name + " "), std::string::npos) << name << " not in:\n" << it.out();
    EXPECT_NE(it.out().find("\nresult: ok"), std::string::npos) << it.out();
}

// A program named by --fail-prog: not loaded, its figures unavailable, exit 1.
TEST(Check, FailedProgramFailsTheCheck) {
    Child it({iotrace_path(), "--check", "--json", "--fail-prog", "exit_select"});
    json j = run_check_json(it);
    EXPECT_EQ(it.exit_code(), 1) << it.err();
    EXPECT_EQ(j.value("ok", true), false);
    bool seen = false;
    for (const json& p : j.value("programs", json::array()))
        if (p.value("name", "") == "exit_select") {
            seen = true;
            EXPECT_FALSE(p.value("loaded", true));
            EXPECT_TRUE(p.value("forced", false));
        }
    EXPECT_TRUE(seen) << j.dump(1);
    for (const json& part : j.value("parts", json::array())) {
        bool want = part.value("part", "") != "select_readiness";
        EXPECT_EQ(part.value("available", !want), want) << part.dump();
    }
}

TEST(Check, WithATargetIsAUsageError) {
    for (const std::vector<std::string>& args :
         {std::vector<std::string>{"--check", "-p", "1"}, {"--check", "--", "/bin/true"}}) {
        std::vector<std::string> argv = {iotrace_path()};
        argv.insert(argv.end(), args.begin(), args.end());
        Child it(argv);
        ASSERT_TRUE(it.wait_exit()) << it.err();
        EXPECT_EQ(it.exit_code(), 2) << it.err();
        EXPECT_NE(it.err().find("--check traces nothing"), std::string::npos) << it.err();
        EXPECT_TRUE(it.out().empty()) << it.out();
    }
}

// ---- tracefs not mounted ----------------------------------------------------

constexpr const char* kTracefs = "/sys/kernel/tracing";
constexpr const char* kDebugfs = "/sys/kernel/debug";
constexpr const char* kDebugTracing = "/sys/kernel/debug/tracing";

bool mounted(const std::string& where) {
    std::ifstream in("/proc/self/mounts");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string dev, dir;
        if (f >> dev >> dir && dir == where) return true;
    }
    return false;
}

// Unmounts tracefs (both places) for a test, and puts back the mounts as
// they were on destruction, failed assertions included: what was mounted is
// mounted again, what iotrace mounted meanwhile is unmounted. A tracefs
// someone holds open (EBUSY) is detached lazily: gone from the tree, still
// usable by whoever holds it. debugfs itself is left as it was: when it is
// mounted its tracing directory mounts tracefs again on first access, which
// is what libbpf (and iotrace) rely on then.
class TracefsUnmounted {
public:
    TracefsUnmounted()
        : tracing_was_(mounted(kTracefs)), debug_tracing_was_(mounted(kDebugTracing)), debugfs_was_(mounted(kDebugfs)) {
        if (debug_tracing_was_) unmount(kDebugTracing);
        if (tracing_was_) unmount(kTracefs);
    }
    ~TracefsUnmounted() {
        // What iotrace mounted that was not there...
        if (!debug_tracing_was_ && mounted(kDebugTracing)) unmount(kDebugTracing);
        if (!debugfs_was_ && mounted(kDebugfs)) unmount(kDebugfs);
        if (!tracing_was_ && mounted(kTracefs)) unmount(kTracefs);
        // ...and what was.
        if (tracing_was_ && !mounted(kTracefs) && mount("tracefs", kTracefs, "tracefs", 0, nullptr) != 0)
            ADD_FAILURE() << "cannot mount tracefs at " << kTracefs << " again: " << std::strerror(errno);
        if (debug_tracing_was_ && !mounted(kDebugTracing))
            (void)access((std::string(kDebugTracing) + "/events").c_str(), F_OK);  // debugfs's automount
    }
    TracefsUnmounted(const TracefsUnmounted&) = delete;
    TracefsUnmounted& operator=(const TracefsUnmounted&) = delete;

    // Neither place is mounted now.
    bool ok() const { return !mounted(kTracefs) && !mounted(kDebugTracing); }

private:
    static void unmount(const char* path) {
        if (umount2(path, 0) == 0) return;
        if (errno == EBUSY && umount2(path, MNT_DETACH) == 0) return;
        ADD_FAILURE() << "cannot unmount " << path << ": " << std::strerror(errno);
    }

    const bool tracing_was_, debug_tracing_was_, debugfs_was_;
};

TEST(Tracefs, UnmountedIsMountedAndTraced) {
    TracefsUnmounted guard;
    ASSERT_TRUE(guard.ok()) << "tracefs is still mounted";
    TracedRun run;
    ASSERT_EQ(run_attached({"select"}, {}, run), "");  // exit 0, JSON report
    expect_envelope(run.report);
    ASSERT_EQ(run.report["processes"].size(), 1u) << run.report.dump(1);
    expect_figures(run.report["processes"][0], expected("select"));
    EXPECT_TRUE(mounted(kTracefs) || mounted(kDebugTracing)) << "iotrace traced without mounting tracefs?";
}

}  // namespace
}  // namespace itest
