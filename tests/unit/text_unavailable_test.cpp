// The text report of a degraded load: a first line says what is missing and
// why, and each unavailable figure prints "n/a", never 0.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "report/syscall_table.h"
#include "report/text_report.h"
#include "wait_loop_fixture.h"

namespace iotrace {
namespace {

Snapshot select_loop(std::initializer_list<std::pair<Part, const char*>> missing) {
    Snapshot snap;
    snap.duration_s = 1;
    for (auto [part, why] : missing) snap.availability.missing[part] = why;
    snap.processes.push_back(testing::wait_loop(IOT_SELECT, "select", {42, 43}));
    return snap;
}

bool has(const std::string& text, const std::string& re) { return std::regex_search(text, std::regex(re)); }

TEST(TextUnavailable, CompleteLoadSaysNothingAndHasNoNa) {
    std::string text = render_text(select_loop({}));
    EXPECT_EQ(text.find("n/a"), std::string::npos) << text;
    EXPECT_EQ(text.find("unavailable"), std::string::npos) << text;
}

TEST(TextUnavailable, FirstLineNamesWhatIsMissingAndWhy) {
    std::string text = render_text(select_loop({{Part::SelectReadiness, "exit_select: BPF program is too large"},
                                                {Part::WaitCpuTime, "on_switch: refused by --fail-prog"}}));
    EXPECT_EQ(text.substr(0, text.find('\n')),
              "warning: unavailable on this kernel, shown as n/a: select readiness (exit_select: BPF program is too "
              "large); on-CPU time in waits (on_switch: refused by --fail-prog)");
}

TEST(TextUnavailable, ReadinessNa) {
    std::string text = render_text(select_loop({{Part::SelectReadiness, "exit_select: x"}}));
    EXPECT_TRUE(has(text, "\nreadiness: n/a")) << text;
    EXPECT_EQ(text.find("busiest fds"), std::string::npos) << text;
    EXPECT_TRUE(has(text, "\nlost events: 0 \\(every figure but the n/a ones is exact\\)\n$")) << text;
    // the counts stay
    EXPECT_TRUE(has(text, "\nwaits: 10 calls, 0 empty \\(0.0%\\), 12 ready, 40 watched")) << text;
    EXPECT_TRUE(has(text, "\\n +42 srv +5 +0 +0 +4\\n")) << text;
}

TEST(TextUnavailable, CpuAndWatchedNa) {
    std::string text = render_text(select_loop({{Part::WaitCpuTime, "on_switch: x"}}));
    EXPECT_TRUE(has(text, "5 wakeups \\(50.0% of waits slept\\), n/a on CPU inside waits \\(n/a per wait\\)")) << text;
    Snapshot epoll = select_loop({{Part::EpollWatched, "no eventpoll.refcount before Linux 6.4"}});
    std::swap(epoll.processes[0].syscalls[IOT_SELECT], epoll.processes[0].syscalls[IOT_EPOLL_WAIT]);
    text = render_text(epoll);
    EXPECT_TRUE(has(text, "12 ready, n/a watched, 40 scanned")) << text;
    EXPECT_TRUE(has(text, "per wait: 1.20 ready, n/a watched")) << text;
}

// enter_select failed: select rows n/a, after the counted ones; the total and
// every share n/a; the waits n/a as a whole.
TEST(TextUnavailable, CountsNaInTheTable) {
    Snapshot snap = select_loop({{Part::SelectCounts, "enter_select: x"}, {Part::SelectReadiness, "enter_select: x"}});
    std::string text = render_text(snap);
    EXPECT_TRUE(has(text, "\n +n/a +0\\.001000 +125 +8 +read\n")) << text;
    EXPECT_TRUE(has(text, "\n +n/a +n/a +n/a +n/a +n/a +n/a select\n +n/a( +n/a){5} pselect6\n")) << text;
    EXPECT_TRUE(has(text, "\n +n/a( +n/a){5} total\n")) << text;
    EXPECT_TRUE(has(text, "\nwaits: n/a\n")) << text;
    EXPECT_TRUE(has(text, "copy: n/a wait_in, n/a wait_out, 800 recv, 800 send bytes\n  bookkeeping share "
                          "\\(wait_in \\+ wait_out\\) / all: n/a\n"))
        << text;
    EXPECT_TRUE(has(text, "\\n +42 srv +n/a +n/a +n/a +4\\n")) << text;
}

TEST(TextUnavailable, RecvAndSendNa) {
    std::string text = render_text(select_loop({{Part::Recv, "enter_recv: x"}, {Part::Send, "enter_send: x"}}));
    EXPECT_TRUE(has(text, "\nrecv: n/a\nsend: n/a\n")) << text;
    EXPECT_TRUE(has(text, "\n +n/a( +n/a){5} readv\n")) << text;
    EXPECT_TRUE(has(text, "\nreadiness: n/a")) << text;  // it waited: reads and drains unknown
}

// A table of nothing but unavailable rows still says so, rather than "no
// probed syscall observed".
TEST(TextUnavailable, TableOfOnlyUnavailableRows) {
    ProcessStats p;
    Availability a;
    a.missing[Part::EpollCtl] = "enter_epoll_ctl: x";
    std::string table = render_syscall_table(p, unavailable_figures(p, a));
    EXPECT_TRUE(has(table, "\n +n/a( +n/a){5} epoll_ctl\n")) << table;
}

}  // namespace
}  // namespace iotrace
