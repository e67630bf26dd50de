// iotrace on Debian 12's own kernel (6.1), booted in qemu under TCG: the
// guest's /init (tests/kernel/init) runs `uname -r`, `iotrace --check --json`
// and iowork scenarios traced on the launched path, and prints each output
// between markers on the serial console. One boot serves every test here
// (SetUpTestSuite); the reports are held to the same exact figures as on
// the host (expected.cpp).
//
// The kernel (tests/kernel/fetch-kernel.sh) and the initramfs
// (tests/kernel/make-initramfs.sh) come from `make kernel61`, which `make
// integration` and `make test` run first. Environment: KERNEL_DIR (default
// build/kernel) holds vmlinuz and initramfs.cpio.gz; the console is left in
// KERNEL_DIR/console.log. Nothing here skips: no qemu, no kernel, a guest
// that hangs or prints what cannot be parsed all fail.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "expected.h"
#include "harness.h"

namespace itest {
namespace {

// The scenarios the guest traces: keep in step with the loop of
// tests/kernel/init. One of each family, and "all" for every scenario in a
// single run.
const std::vector<std::string> kScenarios = {
    "select", "ppoll", "epoll_wait", "eintr", "recvmsg", "recvmmsg",
    "readv",  "sendmmsg", "writev", "accept4", "all",
};

constexpr int kBootTimeoutS = 240;            // boot.sh kills the guest then
constexpr uint64_t kMaxVerifiedInsns = 150000;  // per program, reported by --check

// One command the guest ran.
struct Section {
    std::string out, err;
    int rc = -1;
};

struct Guest {
    std::string error;    // "" when the guest booted, ran its commands and powered off
    std::string console;  // path of the console log
    std::map<std::string, Section> sections;
    double seconds = 0;   // wall time of the boot
};

std::string env_or(const char* name, const std::string& fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

std::optional<struct timespec> mtime(const std::string& path) {
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return std::nullopt;
    return st.st_mtim;
}

bool older(const struct timespec& a, const struct timespec& b) {
    return a.tv_sec < b.tv_sec || (a.tv_sec == b.tv_sec && a.tv_nsec < b.tv_nsec);
}

// The markers of tests/kernel/init; anything outside them (firmware, kernel
// messages) is ignored. "" when the console holds a complete run.
std::string parse_console(const std::string& text, std::map<std::string, Section>& sections) {
    static const std::regex begin_re("^=== BEGIN (\\S+) ===$");
    static const std::regex stderr_re("^=== STDERR (\\S+) ===$");
    static const std::regex end_re("^=== END (\\S+) rc=(\\d+) time=\\S+ ===$");
    std::istringstream in(text);
    std::string line, name;
    enum { Outside, Out, Err } state = Outside;
    Section cur;
    bool done = false;
    std::smatch m;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (std::regex_match(line, m, begin_re)) {
            if (state != Outside) return "BEGIN " + m[1].str() + " inside section " + name;
            name = m[1];
            cur = Section{};
            state = Out;
        } else if (std::regex_match(line, m, stderr_re)) {
            if (state != Out || m[1] != name) return "misplaced STDERR " + m[1].str();
            state = Err;
        } else if (std::regex_match(line, m, end_re)) {
            if (state != Err || m[1] != name) return "misplaced END " + m[1].str();
            cur.rc = std::stoi(m[2]);
            if (!sections.emplace(name, cur).second) return "section " + name + " twice";
            state = Outside;
        } else if (line == "=== DONE ===") {
            if (state != Outside) return "DONE inside section " + name;
            done = true;
        } else if (state == Out) {
            cur.out += line + "\n";
        } else if (state == Err) {
            cur.err += line + "\n";
        }
    }
    if (state != Outside) return "the console ends inside section " + name;
    if (!done) return "the guest never printed === DONE ===";
    return "";
}

Guest boot() {
    Guest g;
    auto fail = [&g](const std::string& why) {
        g.error = why;
        return g;
    };
    const std::string dir = env_or("KERNEL_DIR", "build/kernel");
    const std::string vmlinuz = dir + "/vmlinuz", initrd = dir + "/initramfs.cpio.gz";
    g.console = dir + "/console.log";
    const std::string make_it = "; build it with `make kernel61` (needs apt access to Debian's mirror for "
                                "linux-image-6.1.0-N-amd64, and the packages qemu-system-x86 busybox-static: "
                                "`make deps`)";
    auto vm = mtime(vmlinuz);
    auto rd = mtime(initrd);
    if (!vm) return fail("no Debian 6.1 kernel at " + vmlinuz + make_it);
    if (!rd) return fail("no initramfs at " + initrd + make_it);
    // The initramfs holds copies: it must not be older than what it copies.
    std::vector<std::string> inputs = {iotrace_path(), workload("iowork"), workload("ticker"), "tests/kernel/init"};
    for (const auto& in : inputs) {
        auto t = mtime(in);
        if (t && older(*rd, *t)) return fail(initrd + " is older than " + in + make_it);
    }

    auto t0 = Clock::now();
    Child qemu({"tests/kernel/boot.sh", vmlinuz, initrd, g.console, std::to_string(kBootTimeoutS)});
    bool exited = qemu.wait_exit(std::chrono::seconds(kBootTimeoutS + 30));
    g.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    std::cout << "[ kernel61 ] guest ran for " << g.seconds << " s; console: " << g.console << std::endl;
    if (!exited) return fail("tests/kernel/boot.sh did not return");
    if (qemu.exit_code() != 0)
        return fail("tests/kernel/boot.sh exited " + std::to_string(qemu.exit_code()) + ":\n" + qemu.err() +
                    qemu.out());
    std::string text = read_file(g.console);
    std::string e = parse_console(text, g.sections);
    if (!e.empty())
        return fail("console " + g.console + ": " + e + "; its end:\n" +
                    text.substr(text.size() > 3000 ? text.size() - 3000 : 0));
    return g;
}

class Kernel61 : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!guest_) guest_ = new Guest(boot());
    }
    // The guest's run; fails the test when it did not happen.
    static const Guest& guest() { return *guest_; }
    // Section `name`, or nullptr with a failure.
    static const Section* section(const std::string& name) {
        auto it = guest_->sections.find(name);
        if (it != guest_->sections.end()) return &it->second;
        ADD_FAILURE() << "the guest printed no section " << name << " (console: " << guest_->console << ")";
        return nullptr;
    }
    static Guest* guest_;
};

Guest* Kernel61::guest_ = nullptr;

std::string describe(const std::string& name, const Section& s) {
    return name + ": rc " + std::to_string(s.rc) + "\n--- stdout:\n" + s.out + "--- stderr:\n" + s.err;
}

TEST_F(Kernel61, BootsDebian12Kernel) {
    ASSERT_EQ(guest().error, "");
    const Section* s = section("uname");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->rc, 0) << describe("uname", *s);
    EXPECT_TRUE(s->out.starts_with("6.1.")) << "the guest runs " << s->out;
}

// "check": as the report loads them; "check-flame": as iotrace flame
// --stacks does (--check-flame).
class Kernel61Check : public Kernel61, public ::testing::WithParamInterface<std::string> {};

TEST_P(Kernel61Check, LoadsEveryProgram) {
    ASSERT_EQ(guest().error, "");
    const Section* s = section(GetParam());
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->rc, 0) << describe("iotrace --check --json", *s);
    json j;
    ASSERT_EQ(parse_report(s->out, j), "") << "iotrace --check --json printed no JSON on stdout";
    ASSERT_TRUE(j.is_object() && j.contains("programs") && j["programs"].is_array() && !j["programs"].empty())
        << "no \"programs\" array in " << j.dump(1);
    for (const auto& p : j["programs"]) {
        std::string name = p.value("name", "?");
        EXPECT_EQ(p.value("loaded", false), true) << name << ": " << p.value("error", "");
        ASSERT_TRUE(p.contains("verified_insns") && p["verified_insns"].is_number_unsigned()) << p.dump();
        EXPECT_LE(p["verified_insns"].get<uint64_t>(), kMaxVerifiedInsns) << name;
    }
}

INSTANTIATE_TEST_SUITE_P(Kernel61, Kernel61Check, ::testing::Values("check", "check-flame"),
                         [](const auto& info) {
                             return info.param == "check" ? std::string("Report") : std::string("Flame");
                         });

// iotrace flame --stacks on the guest: flamepaths' two paths, each with its
// call count (tests/integration/flame_test.cpp does the same on the host).
TEST_F(Kernel61, FlameFindsEachPath) {
    ASSERT_EQ(guest().error, "");
    const Section* run = section("flame");
    ASSERT_NE(run, nullptr);
    EXPECT_EQ(run->rc, 0) << describe("iotrace flame", *run);
    EXPECT_EQ(run->err.find("truncated"), std::string::npos) << run->err;
    const Section* out = section("flame-out");
    ASSERT_NE(out, nullptr);
    auto has = [&](const std::string& tail) {
        std::istringstream in(out->out);
        for (std::string line; std::getline(in, line);)
            if (line.size() > tail.size() && line.compare(line.size() - tail.size(), tail.size(), tail) == 0)
                return true;
        return false;
    };
    EXPECT_TRUE(has(";__libc_start_call_main;main;write_path;write;pipe 300")) << out->out;
    EXPECT_TRUE(has(";__libc_start_call_main;main;read_stage;read_path;read;pipe 200")) << out->out;
}

// init mounts neither tracefs nor debugfs: iotrace must mount tracefs itself
// (the sched tracepoints are attached by their tracefs ids).
TEST_F(Kernel61, IotraceMountsTracefs) {
    ASSERT_EQ(guest().error, "");
    const Section* s = section("mounts");
    ASSERT_NE(s, nullptr);
    EXPECT_NE(s->out.find("tracefs /sys/kernel/tracing tracefs "), std::string::npos)
        << "no tracefs in the guest's /proc/mounts after iotrace ran:\n" << s->out;
}

// iotrace top system-wide with -U 0 (the trace_all and uid-checking variants
// of the programs, which --check does not load): a ticker at 100 waits a
// second that top was not pointed at is in its refreshes, as epoll-lt.
TEST_F(Kernel61, TopSystemWideFindsATicker) {
    ASSERT_EQ(guest().error, "");
    const Section* top = section("top");
    const Section* ticker = section("ticker");
    ASSERT_TRUE(top && ticker);
    EXPECT_EQ(top->rc, 0) << describe("iotrace top --json -i 0.5 -n 4 -U 0", *top);
    EXPECT_NE(top->err.find("iotrace: tracing every process of uid 0"), std::string::npos) << top->err;
    const long pid = var_in(ticker->out, "pid");
    ASSERT_GT(pid, 0) << describe("cat /tmp/ticker", *ticker);
    std::vector<json> lines;
    std::istringstream in(top->out);
    for (std::string l; std::getline(in, l);) {
        json j = json::parse(l, nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << "not JSON: " << l;
        lines.push_back(std::move(j));
    }
    ASSERT_EQ(lines.size(), 4u) << top->out;
    const json* found = nullptr;
    for (const json& p : lines.back()["processes"]) {
        EXPECT_EQ(p.value("uid", -1), 0) << p.dump();
        if (p.value("pid", 0) == pid) found = &p;
    }
    ASSERT_TRUE(found) << lines.back().dump(1);
    EXPECT_EQ(found->value("comm", ""), "ticker");
    EXPECT_EQ(found->value("model", ""), "epoll-lt") << found->dump();
    EXPECT_GT(found->value("waits_per_s", 0.0), 50) << found->dump();  // 100 a second, in an emulated CPU
    EXPECT_EQ(lines.back().value("lost_events_total", 1), 0) << lines.back().dump();
}

class Kernel61Scenario : public Kernel61, public ::testing::WithParamInterface<std::string> {};

TEST_P(Kernel61Scenario, ReportsExactFigures) {
    ASSERT_EQ(guest().error, "");
    const std::string& name = GetParam();
    const Section* run = section("iotrace:" + name);
    const Section* report = section("report:" + name);
    ASSERT_TRUE(run && report);
    TracedRun r;
    r.iotrace_err = run->err;
    r.iotrace_out = run->out;
    std::string error = check_launched_run("iowork", run->rc, r);
    ASSERT_TRUE(error.empty()) << "iotrace --json -o /tmp/r.json -- /workloads/iowork " << name << ": " << error;
    ASSERT_EQ(report->rc, 0) << describe("cat /tmp/r.json", *report);
    error = parse_report(report->out, r.report);
    ASSERT_TRUE(error.empty()) << error;
    expect_single_process_report(r, "iowork", expected(name));
}

// Named Kernel61/... so that --gtest_filter='Kernel61*' selects every test here.
INSTANTIATE_TEST_SUITE_P(Kernel61, Kernel61Scenario, ::testing::ValuesIn(kScenarios),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace itest
