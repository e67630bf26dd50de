// `iotrace --check` rendered from a hand-built MachineCheck: text and JSON,
// complete, degraded and unable to load; and the lockdown file's parsing.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "report/check_report.h"
#include "tracer/preflight.h"

namespace iotrace {
namespace {

using nlohmann::ordered_json;

ProgramLoad prog(const char* name, bool loaded, uint64_t insns, double ms, const char* error = "") {
    ProgramLoad p;
    p.name = name;
    p.loaded = loaded;
    p.verified_insns = insns;
    p.load_ms = ms;
    p.error = error;
    return p;
}

MachineCheck machine() {
    MachineCheck m;
    m.kernel_release = "6.18.0-test";
    m.btf = true;
    m.tracefs.path = "/sys/kernel/tracing";
    m.tracefs.mounted_now = true;
    m.lockdown = "none";
    m.caps = {.root = true, .cap_bpf = true, .cap_perfmon = true, .cap_sys_admin = true};
    m.load.programs = {prog("sys_enter", true, 1234, 3.5), prog("sys_exit", true, 98765, 41.25),
                       prog("exit_select", true, 150000, 120)};
    return m;
}

MachineCheck degraded() {
    MachineCheck m = machine();
    m.load.programs[2] = prog("exit_select", false, 0, 900.5, "BPF program is too large. Processed 1000001 insn");
    m.load.programs.push_back(prog("exit_select_basic", true, 800, 2));
    m.load.availability.missing[Part::SelectReadiness] = "exit_select: BPF program is too large";
    m.load.verifier_log_path = "/tmp/iotrace-verifier.log";
    return m;
}

bool has(const std::string& text, const std::string& re) { return std::regex_search(text, std::regex(re)); }

TEST(CheckReport, CompleteText) {
    MachineCheck m = machine();
    ASSERT_TRUE(m.ok());
    std::string t = render_check_text(m);
    EXPECT_TRUE(has(t, "^kernel: 6.18.0-test\n  BTF: yes")) << t;
    EXPECT_TRUE(has(t, "\n  tracefs: /sys/kernel/tracing \\(mounted by iotrace just now\\)\n  lockdown: none\n")) << t;
    EXPECT_TRUE(has(t, "\ncapabilities: root yes, CAP_BPF yes, CAP_PERFMON yes, CAP_SYS_ADMIN yes\n")) << t;
    EXPECT_TRUE(has(t, "\nprograms: 3 of 3 loaded\n")) << t;
    EXPECT_TRUE(has(t, "\n  sys_exit +yes +98,765 +41.25\n")) << t;
    EXPECT_TRUE(has(t, "\n  select_readiness +available\n")) << t;
    EXPECT_TRUE(has(t, "\nresult: ok, every figure is available\n$")) << t;
    EXPECT_EQ(t.find("verifier log"), std::string::npos) << t;
}

TEST(CheckReport, DegradedText) {
    MachineCheck m = degraded();
    EXPECT_FALSE(m.ok());
    std::string t = render_check_text(m);
    EXPECT_TRUE(has(t, "\nprograms: 3 of 4 loaded\n")) << t;
    EXPECT_TRUE(has(t, "\n  exit_select +no +0 +900.50  BPF program is too large. Processed 1000001 insn\n")) << t;
    EXPECT_TRUE(has(t, "\nfull verifier log: /tmp/iotrace-verifier.log\n")) << t;
    EXPECT_TRUE(has(t, "\n  select_readiness +unavailable: exit_select: BPF program is too large\n")) << t;
    EXPECT_TRUE(has(t, "\n  select_counts +available\n")) << t;
    EXPECT_TRUE(has(t, "\nresult: degraded, 1 program\\(s\\) not loaded, 1 part\\(s\\) unavailable")) << t;
}

TEST(CheckReport, ForcedFailureIsMarked) {
    MachineCheck m = machine();
    m.load.programs[2] = prog("exit_select", false, 0, 0, "not loaded");
    m.load.programs[2].forced = true;
    EXPECT_FALSE(m.ok());
    EXPECT_TRUE(has(render_check_text(m), "\n  exit_select +no +0 +0.00  \\(--fail-prog\\) not loaded\n"));
}

TEST(CheckReport, NothingLoaded) {
    MachineCheck m = machine();
    m.caps = {};
    m.tracefs = {"", false, "tracefs is not mounted and could not be mounted"};
    m.load = {};
    m.load_error = "iotrace needs root or CAP_BPF+CAP_PERFMON: run it with sudo";
    EXPECT_FALSE(m.ok());
    std::string t = render_check_text(m);
    EXPECT_TRUE(has(t, "\n  tracefs: missing: tracefs is not mounted")) << t;
    EXPECT_TRUE(has(t, "\nprograms: 0 of 0 loaded\n")) << t;
    EXPECT_TRUE(has(t, "\n  follow_forks +unavailable: nothing was loaded\n")) << t;
    EXPECT_TRUE(has(t, "\nresult: iotrace cannot trace here: iotrace needs root")) << t;
    ordered_json j = check_to_json(m);
    EXPECT_EQ(j["ok"], false);
    for (const auto& p : j["parts"]) EXPECT_EQ(p["available"], false) << p.dump();
}

TEST(CheckReport, JsonKeysAndValues) {
    ordered_json j = check_to_json(degraded());
    std::vector<std::string> keys;
    for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"kernel", "capabilities", "programs", "verifier_log", "parts", "error",
                                              "ok"}));
    EXPECT_EQ(j["kernel"], ordered_json::parse(R"({"release": "6.18.0-test", "btf": true,
        "tracefs": {"path": "/sys/kernel/tracing", "mounted_by_iotrace": true, "error": ""}, "lockdown": "none"})"));
    EXPECT_EQ(j["capabilities"],
              ordered_json::parse(R"({"root": true, "cap_bpf": true, "cap_perfmon": true, "cap_sys_admin": true})"));
    ASSERT_EQ(j["programs"].size(), 4u);
    EXPECT_EQ(j["programs"][2], ordered_json::parse(R"({"name": "exit_select", "loaded": false, "forced": false,
        "verified_insns": 0, "load_ms": 900.5, "error": "BPF program is too large. Processed 1000001 insn"})"));
    EXPECT_EQ(j["verifier_log"], "/tmp/iotrace-verifier.log");
    ASSERT_EQ(j["parts"].size(), all_parts().size());
    EXPECT_EQ(j["parts"][0], ordered_json::parse(R"({"part": "select_counts", "available": true, "why": ""})"));
    EXPECT_EQ(j["parts"][7], ordered_json::parse(R"({"part": "select_readiness", "available": false,
        "why": "exit_select: BPF program is too large"})"));
    EXPECT_EQ(j["error"], "");
    EXPECT_EQ(j["ok"], false);
    EXPECT_EQ(check_to_json(machine())["ok"], true);
    EXPECT_EQ(ordered_json::parse(render_check_json(degraded())), j);
}

TEST(CheckReport, ActiveLockdownMode) {
    EXPECT_EQ(active_lockdown("[none] integrity confidentiality\n"), "none");
    EXPECT_EQ(active_lockdown("none [integrity] confidentiality\n"), "integrity");
    EXPECT_EQ(active_lockdown("none integrity [confidentiality]\n"), "confidentiality");
    EXPECT_EQ(active_lockdown(""), "unknown");
}

}  // namespace
}  // namespace iotrace
