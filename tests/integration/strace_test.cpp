// Cross-check with strace: strace -c and iotrace attached to the same run of
// `iowork all` must count the same calls and errors for every probed syscall,
// and both must match the hand-derived table (expected.cpp).
#include <gtest/gtest.h>

#include <signal.h>

#include <map>
#include <sstream>
#include <string>

#include "expected.h"
#include "harness.h"

namespace itest {
namespace {

TEST(Strace, SameRunSameCounts) {
    TempDir tmp;
    Child wl({workload("iowork"), "all", "--wait"});
    ASSERT_TRUE(wl.wait_out_line("ready")) << wl.err();
    const std::string pid = std::to_string(wl.pid());

    // strace first: its attaching interrupts the workload's sigwaitinfo,
    // which iowork restarts (rt_sigtimedwait is not probed).
    std::string summary = tmp.path("strace.txt");
    Child st({"/usr/bin/strace", "-f", "-c", "-U", "name,calls,errors", "-o", summary, "-p", pid});
    // strace names itself by its argv[0].
    ASSERT_TRUE(st.wait_err_prefix("/usr/bin/strace: Process " + pid + " attached")) << st.err();

    std::string report_file = tmp.path("report.json");
    Child it({iotrace_path(), "-p", pid, "--json", "-o", report_file});
    ASSERT_TRUE(it.wait_err_prefix(kTracingPrefix)) << it.err();

    wl.signal(SIGUSR1);
    ASSERT_TRUE(wl.wait_exit());
    EXPECT_EQ(wl.exit_code(), 0) << wl.err();
    ASSERT_TRUE(st.wait_exit());
    EXPECT_EQ(st.exit_code(), 0) << st.err();
    ASSERT_TRUE(it.wait_exit()) << it.err();
    ASSERT_EQ(it.exit_code(), 0) << it.err();

    auto strace = parse_strace_summary(read_file(summary));
    ASSERT_FALSE(strace.empty()) << read_file(summary);
    json report = read_json(report_file);
    expect_envelope(report);
    const json* p = find_process(report, wl.pid());
    ASSERT_NE(p, nullptr) << report.dump(1);

    Expect table = expected("all");
    for (const std::string& name : probed_syscalls()) {
        SCOPED_TRACE(name);
        SysExp s = strace.count(name) ? strace[name] : SysExp{};
        SysExp want = table.sys.count(name) ? table.sys[name] : SysExp{};
        EXPECT_EQ(s.calls, want.calls) << "strace calls vs table";
        EXPECT_EQ(s.errors, want.errors) << "strace errors vs table";
        EXPECT_EQ(calls_of(*p, name), s.calls) << "iotrace calls vs strace";
        uint64_t errors = 0;
        if ((*p)["syscalls"].contains(name)) errors = (*p)["syscalls"][name].value("errors", UINT64_MAX);
        EXPECT_EQ(errors, s.errors) << "iotrace errors vs strace";
    }
}

}  // namespace
}  // namespace itest
