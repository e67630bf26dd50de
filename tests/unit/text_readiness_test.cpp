// The text report's readiness part: the wakeup and readiness lines, the
// busiest fds table and the thread table.
#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "report/readiness_section.h"
#include "report/text_report.h"

namespace iotrace {
namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

std::string line_starting(const std::string& text, const std::string& prefix) {
    for (const std::string& l : lines(text))
        if (l.rfind(prefix, 0) == 0) return l;
    return "";
}

std::string render(const ProcessStats& p) {
    Snapshot snap;
    snap.processes.push_back(p);
    return render_text(snap);
}

FdStats fd(int n, uint64_t reported) {
    FdStats f;
    f.fd = n;
    f.kind = "tcp";
    f.trigger = "lt";
    f.reported = reported;
    return f;
}

ProcessStats waiting() {
    ProcessStats p;
    p.syscalls[IOT_POLL].calls = 8;
    p.waits = {8, 2, 6, 16, 16, 80'000, 6, 12'000};
    return p;
}

TEST(TextReadiness, WakeupLine) {
    std::string text = render(waiting());
    EXPECT_EQ(line_starting(text, "  6 wakeups"),
              "  6 wakeups (75.0% of waits slept), 12.0 us on CPU inside waits (1.5 us per wait)");
}

TEST(TextReadiness, ReadinessLines) {
    ProcessStats p = waiting();
    p.readiness = {12'345, 12'000, 345, 1'000'000, 7, 0, 0, 2};
    std::vector<std::string> ls = lines(render(p));
    auto it = std::find_if(ls.begin(), ls.end(), [](const std::string& l) { return l.rfind("readiness:", 0) == 0; });
    ASSERT_NE(it, ls.end());
    EXPECT_EQ(*it,
              "readiness: 12,345 LT re-reports (12,000 unread, 345 partially read), 1,000,000 writable re-reports "
              "with nothing written");
    ASSERT_NE(it + 1, ls.end());
    EXPECT_EQ(*(it + 1), "  7 ET notifications, 0 left undrained before the next wait, 2 stalls (the previous one never drained)");
    EXPECT_EQ(render(p).find("herd re-reports"), std::string::npos);  // none: no line
    // After the copy section.
    EXPECT_EQ((it - 1)->rfind("  bookkeeping share", 0), 0u);
    p.readiness.herd_rereports = 1'234;
    EXPECT_EQ(line_starting(render(p), "  1,234 herd"),
              "  1,234 herd re-reports: an fd handed to another thread before the last one read it");
}

TEST(TextReadiness, AllZeroReadinessStillPrintedWhenThereAreWaits) {
    std::string text = render(waiting());
    EXPECT_EQ(line_starting(text, "readiness:"),
              "readiness: 0 LT re-reports (0 unread, 0 partially read), 0 writable re-reports with nothing written");
    EXPECT_EQ(line_starting(text, "  0 ET"), "  0 ET notifications, 0 left undrained before the next wait, 0 stalls (the previous one never drained)");
}

TEST(TextReadiness, NoWaitsNoReadinessOrWakeupLines) {
    ProcessStats p;
    p.syscalls[IOT_READ].calls = 3;
    p.recv = {3, 30, 0, 0, 0};
    p.readiness = {1, 1, 0, 0, 0, 0};  // cannot happen without waits; not shown anyway
    std::string text = render(p);
    EXPECT_EQ(line_starting(text, "waits:"), "waits: no waits observed");
    EXPECT_EQ(text.find("readiness"), std::string::npos);
    EXPECT_EQ(text.find("wakeups"), std::string::npos);
    EXPECT_EQ(text.find("ET notifications"), std::string::npos);
    EXPECT_EQ(text.find("busiest"), std::string::npos);
}

TEST(TextReadiness, BusiestFdsMostReportedFirstTiesByFdAtMostTen) {
    ProcessStats p;
    // 12 fds, deliberately not in report order; 9/4/21 tie at 50, 30/2 at 7.
    const std::pair<int, uint64_t> in[] = {{21, 50}, {4, 50}, {30, 7}, {5, 1}, {9, 50}, {11, 900},
                                           {2, 7},   {6, 0},  {7, 3},  {8, 3}, {40, 60}, {41, 8}};
    for (auto [n, r] : in) p.fds.push_back(fd(n, r));
    std::vector<int> got;
    for (const FdStats* f : busiest_fds(p)) got.push_back(f->fd);
    EXPECT_EQ(got, (std::vector<int>{11, 40, 4, 9, 21, 41, 2, 30, 7, 8}));

    got.clear();
    for (const FdStats* f : busiest_fds(p, 3)) got.push_back(f->fd);
    EXPECT_EQ(got, (std::vector<int>{11, 40, 4}));

    // The table lists the same ten, and says how many there were.
    ProcessStats w = waiting();
    w.fds = p.fds;
    std::vector<std::string> ls = lines(render(w));
    auto head = std::find(ls.begin(), ls.end(), "busiest fds (10 of 12 reported by waits):");
    ASSERT_NE(head, ls.end());
    ASSERT_GE(ls.end() - head, 12);
    std::vector<int> rows;
    for (auto it = head + 2; it != head + 12; ++it) rows.push_back(std::stoi(*it));
    EXPECT_EQ(rows, (std::vector<int>{11, 40, 4, 9, 21, 41, 2, 30, 7, 8}));
    EXPECT_EQ(*(head + 12), "");  // the table ends there: the blank line before "lost events"
}

TEST(TextReadiness, BusiestFdsOfAProcessWithNone) {
    ProcessStats p;
    EXPECT_TRUE(busiest_fds(p).empty());
    EXPECT_EQ(render(waiting()).find("busiest"), std::string::npos);
}

TEST(TextReadiness, FdTableRows) {
    ProcessStats p = waiting();
    FdStats lis = fd(3, 4);
    lis.local = "0.0.0.0:8080";
    lis.reads = 8;
    lis.eagain = 4;
    FdStats conn = fd(1'000'000, 123'456'789);  // wider than the column: pushes the row, never cut
    conn.kind = "tcp6";
    conn.trigger = "et";
    conn.local = "[::1]:8080";
    conn.peer = "[::1]:51000";
    conn.reads = 2;
    conn.bytes = 12'345'678'901;
    conn.et_undrained = 1;
    conn.et_stalls = 1'234;
    FdStats sig = fd(17, 4);
    sig.kind = "signalfd";
    sig.trigger = "oneshot";
    sig.lt_rereports = 3;
    sig.write_rereports = 2;
    p.fds = {lis, sig, conn};
    std::string text = render(p);
    std::vector<std::string> ls = lines(text);
    auto head = std::find(ls.begin(), ls.end(), "busiest fds (3 of 3 reported by waits):");
    ASSERT_NE(head, ls.end());
    ASSERT_GE(ls.end() - head, 5);
    EXPECT_EQ(*(head + 1),
              "      fd kind     trigger   reported      reads        bytes   eagain   lt_rerep   wr_rerep  et_undr "
              "et_stall  peer");
    EXPECT_EQ(*(head + 2),
              "  1000000 tcp6     et      123,456,789          2 12,345,678,901        0          0          0        1    "
              "1,234  [::1]:51000");
    EXPECT_EQ(*(head + 3),
              "       3 tcp      lt               4          8            0        4          0          0        0        "
              "0  listening 0.0.0.0:8080");
    // No address: the row ends at the last column, no trailing blanks.
    EXPECT_EQ(*(head + 4),
              "      17 signalfd oneshot          4          0            0        0          3          2        0        "
              "0");
}

TEST(TextReadiness, ThreadTableOnlyWithTwoOrMoreThreads) {
    ProcessStats p = waiting();
    p.threads = {{500, "solo", 8, 6, 0}};
    EXPECT_EQ(render(p).find("threads:"), std::string::npos);
    EXPECT_EQ(render(p).find("solo"), std::string::npos);

    p.threads = {{500, "main", 8, 6, 1'234}, {123'456, "a-fifteen-chars", 0, 0, 5}};
    p.threads[0].ready = 9;
    std::vector<std::string> ls = lines(render(p));
    auto head = std::find(ls.begin(), ls.end(), "threads:");
    ASSERT_NE(head, ls.end());
    ASSERT_GE(ls.end() - head, 5);
    EXPECT_EQ(*(head + 1), "       tid comm                  waits    wakeups      ready       recv");
    EXPECT_EQ(*(head + 2), "       500 main                      8          6          9      1,234");
    EXPECT_EQ(*(head + 3), "    123456 a-fifteen-chars           0          0          0          5");
    EXPECT_EQ(*(head + 4), "");
}

// The order of the parts: readiness lines, busiest fds, threads.
TEST(TextReadiness, SectionOrder) {
    ProcessStats p = waiting();
    p.fds = {fd(3, 1)};
    p.threads = {{1, "a", 1, 1, 0}, {2, "b", 0, 0, 0}};
    std::string text = render(p);
    size_t r = text.find("readiness:"), f = text.find("busiest fds"), t = text.find("threads:");
    ASSERT_NE(r, std::string::npos);
    ASSERT_NE(f, std::string::npos);
    ASSERT_NE(t, std::string::npos);
    EXPECT_LT(r, f);
    EXPECT_LT(f, t);
}

}  // namespace
}  // namespace iotrace
