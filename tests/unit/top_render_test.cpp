// What iotrace top draws, read back as text from the Grid at any size: the
// header, columns dropped by priority at 80 columns, the detail pane, the
// help, the marks of selected and exited rows.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <sstream>

#include "top/columns.h"
#include "top/keys.h"
#include "top/top_state.h"
#include "top_fixtures.h"

namespace iotrace {
namespace {

using testing::frame;
using testing::kWall;
using testing::P;
using testing::test_options;
using testing::waiter;

// An edge-triggered server with a shallow and a deep wait, 1000 waits/s.
ProcessStats server(double t) {
    auto n = static_cast<uint64_t>(1000 * t);
    return P(4242, "nginx", 33)
        .waits(n, 3 * n, 20 * n, 3 * n / 10, n / 2, n * 20000, n * 3000)
        .recv(3 * n, 3000 * n, n / 4)
        .rereports(0, n / 50)
        .hist(10, n / 2)
        .hist(20, n / 2)
        .fd(5, "tcp", "et", 2 * n, 2 * n, 2000 * n, "10.0.0.7:51234")
        .fd(6, "tcp", "et", n, n, 1000 * n, "10.0.0.8:40000");
}

TopState running(int seconds = 3) {
    setenv("TZ", "UTC", 1);
    tzset();
    TopState s(test_options());
    for (int t = 1; t <= seconds; ++t)
        s.update(frame(t, {server(t), waiter(1, "systemd", 2, t), P(77, "spinner").waits(500 * t).as(IOT_POLL, 500 * t)},
                       t == seconds ? 7 : 4),
                 kWall + t);
    return s;
}

std::vector<std::string> lines(const Grid& g) {
    std::vector<std::string> out;
    for (int r = 0; r < g.rows(); ++r) out.push_back(g.line(r));
    return out;
}

int row_of(const Grid& g, const std::string& needle) {
    for (int r = 0; r < g.rows(); ++r)
        if (g.line(r).find(needle) != std::string::npos) return r;
    return -1;
}

TEST(TopGrid, PutClipsAndReadsBack) {
    Grid g(2, 6);
    EXPECT_EQ(g.put(0, 1, "abcdefgh", kAttrBold), 6);
    EXPECT_EQ(g.line(0), " abcde");
    EXPECT_EQ(g.attr(0, 1), kAttrBold);
    EXPECT_EQ(g.attr(0, 0), kAttrNormal);
    g.put(1, 0, "a—b\tc");  // one cell for the dash, '?' for the tab
    EXPECT_EQ(g.line(1), "a—b?c ");
    EXPECT_EQ(g.ch(1, 1), U'—');
    g.put(5, 0, "ignored");
    g.put(0, -2, "xyz");
    EXPECT_EQ(g.to_string(), "zabcde\na—b?c\n");
    EXPECT_EQ(g.text(1, 1, 2), "—b");
}

TEST(TopRender, HeaderAtTheTop) {
    TopState s = running();
    Grid g = s.render(24, 100);
    EXPECT_EQ(g.line(0).rfind("iotrace top - 22:13:23  up 3.0 s  interval 1.00 s  iotrace CPU 0.0%", 0), 0u);
    EXPECT_NE(g.line(1).find("processes: 3 traced, 3 listed, 0 exited   lost events: 3 (7 in all)"), std::string::npos);
    EXPECT_EQ(g.attr(1, 0), kAttrBold);  // events were lost in the interval
    EXPECT_NE(g.line(2).find("totals: waits 1502/s"), std::string::npos);
    EXPECT_NE(g.line(3).find("sort: WAITS/s (biggest first)"), std::string::npos);
}

TEST(TopRender, ColumnsDroppedByPriorityAt80) {
    TopState s = running();
    Grid g = s.render(24, 80);
    int head = row_of(g, "PID");
    ASSERT_EQ(head, 4);
    std::string titles = g.line(head);
    for (const char* kept : {"PID", "COMMAND", "MODEL", "WAITS/s", "EMPTY%", "RECV/s", "CPU%W", "FINDING"})
        EXPECT_NE(titles.find(kept), std::string::npos) << kept;
    for (const char* dropped : {"USER", "RDY/W", "WATCH/W", "WAKE/s", "LTRE/s", "ETUN/s", "RMB/s", "EAGN%"})
        EXPECT_EQ(titles.find(dropped), std::string::npos) << dropped;
    std::string nginx = g.line(head + 1);
    EXPECT_EQ(nginx, "   4242 nginx      epoll-et        1000   30.0   3000  15.0 empty_wakeups       ");
    for (const std::string& l : lines(g)) EXPECT_LE(l.size(), 80u);
    // Wide enough, every column.
    Grid wide = s.render(24, 160);
    std::string all = wide.line(4);
    for (const ColumnInfo& c : all_columns()) EXPECT_NE(all.find(c.title), std::string::npos) << c.title;
}

TEST(TopRender, SortColumnIsKeptWhenNarrow) {
    TopState s = running();
    while (s.sort_column() != Col::EtUndrained) s.key('>');
    auto cols = fit_columns(80, Col::EtUndrained);
    EXPECT_TRUE(std::any_of(cols.begin(), cols.end(), [](const Placed& p) { return p.id == Col::EtUndrained; }));
    Grid g = s.render(24, 80);
    EXPECT_NE(g.line(4).find("ETUN/s"), std::string::npos);
    int x = static_cast<int>(g.line(4).find("ETUN/s"));
    EXPECT_EQ(g.attr(4, x), kAttrReverse | kAttrBold | kAttrUnderline);
}

TEST(TopRender, AnySizeRendersWithoutOverflow) {
    TopState s = running();
    for (auto [r, c] : std::vector<std::pair<int, int>>{{0, 0}, {1, 1}, {3, 10}, {5, 20}, {24, 80}, {10, 40}, {60, 250}}) {
        Grid g = s.render(r, c);
        EXPECT_EQ(g.rows(), r);
        EXPECT_EQ(g.cols(), c);
        for (const std::string& l : lines(g)) EXPECT_LE(l.size(), static_cast<size_t>(c) * 3);  // "—" is 3 bytes
    }
    // The same state at another size: a resize is just another render.
    Grid small = s.render(8, 40);
    EXPECT_NE(small.to_string().find("4242"), std::string::npos);
    EXPECT_NE(small.line(7).find("q:quit"), std::string::npos);
}

TEST(TopRender, SelectedRowReversedExitedRowDimmedAndMarked) {
    TopState s = running();
    s.key(keys::kDown);
    s.update(frame(4, {server(4), P(waiter(1, "systemd", 2, 4)).exited(), P(77, "spinner").waits(2000).as(IOT_POLL, 2000)}, 7),
             kWall + 4);
    Grid g = s.render(24, 80);
    int sel = row_of(g, " spinner ");
    ASSERT_GT(sel, 0);
    EXPECT_EQ(g.attr(sel, 0), kAttrReverse);
    int gone = row_of(g, " system (x) ");
    ASSERT_GT(gone, 0);
    EXPECT_EQ(g.attr(gone, 0), kAttrDim);
    EXPECT_EQ(g.attr(row_of(g, " nginx "), 0), kAttrNormal);
    EXPECT_NE(s.render(24, 200).to_string().find(" systemd (exited) "), std::string::npos);
}

TEST(TopRender, TableScrollsToKeepTheSelectionInView) {
    setenv("TZ", "UTC", 1);
    TopState s(test_options());
    std::vector<ProcessStats> many;
    for (int i = 1; i <= 50; ++i) many.push_back(waiter(i, "p" + std::to_string(i), 1000 - i, 1));
    s.update(frame(1, many), kWall);
    s.render(24, 80);  // 18 table rows
    s.key(keys::kPageDown);
    s.key(keys::kPageDown);
    Grid g = s.render(24, 80);
    EXPECT_EQ(s.selected_index(), 36u);
    int sel = row_of(g, " p37 ");
    ASSERT_GT(sel, 0);
    EXPECT_EQ(g.attr(sel, 0), kAttrReverse);
    EXPECT_EQ(row_of(g, " p1 "), -1);
    s.key(keys::kEnd);
    g = s.render(24, 80);
    EXPECT_EQ(row_of(g, " p50 "), 22);  // the last table row, above the hints
}

TEST(TopRender, DetailPane) {
    TopState s = running(6);
    ASSERT_EQ(s.selected_pid(), 4242);
    s.key('\n');
    Grid g = s.render(60, 100);
    std::string text = g.to_string();
    EXPECT_NE(text.find("PID 4242 nginx (user u33): diagnosis over the last 6.0 s"), std::string::npos) << text;
    EXPECT_NE(text.find("IO model: epoll-et ("), std::string::npos);
    EXPECT_NE(text.find("2 epoll fds reported, 100.0% edge-triggered"), std::string::npos);  // evidence
    EXPECT_NE(text.find("findings, worst first:"), std::string::npos);
    const ProcessStats* w = s.window_of(4242);
    ASSERT_NE(w, nullptr);
    ASSERT_FALSE(w->diagnosis.findings.empty());
    for (const Finding& f : w->diagnosis.findings) {
        EXPECT_NE(text.find("[" + f.severity + "] " + f.id + ":"), std::string::npos) << f.id;
        EXPECT_NE(text.find(f.figures.front().first + " "), std::string::npos) << f.id;  // its numbers
    }
    EXPECT_NE(text.find("busiest fds (2 of 2 reported in the window):"), std::string::npos);
    int fd5 = row_of(g, "10.0.0.7:51234");
    ASSERT_GT(fd5, 0);
    EXPECT_NE(g.line(fd5).find("     5 tcp      et         12,000    12,000  12,000,000"), std::string::npos)
        << g.line(fd5);
    EXPECT_NE(text.find("wait latency, ns (6,000 waits in the window, log2 buckets):"), std::string::npos);
    int lo = row_of(g, "[1K, 2K)");
    int hi = row_of(g, "[1M, 2M)");
    ASSERT_GT(lo, 0);
    ASSERT_EQ(hi, lo + 10);
    EXPECT_NE(g.line(lo).find("|####"), std::string::npos);
    EXPECT_NE(g.line(lo).find("3,000  50.0%"), std::string::npos);
    EXPECT_NE(g.line(lo + 1).find("|     "), std::string::npos);  // an empty bucket between
    EXPECT_NE(g.line(59).find("Esc/Left: back"), std::string::npos);
}

TEST(TopRender, DetailPaneScrollsAndFollowsTheSelection) {
    TopState s = running(6);
    s.key('\n');
    Grid g = s.render(12, 80);
    EXPECT_NE(g.line(4).find("PID 4242"), std::string::npos);
    s.key(keys::kDown);
    g = s.render(12, 80);
    EXPECT_EQ(g.line(4).find("PID 4242"), std::string::npos);
    s.key(keys::kEnd);
    g = s.render(12, 80);
    EXPECT_NE(g.to_string().find("[1M, 2M)"), std::string::npos);  // the last line in view
    s.key(keys::kEscape);
    s.key(keys::kDown);  // the table again: the selection moves
    s.key('\n');
    g = s.render(24, 80);
    EXPECT_NE(g.line(4).find("PID 77 spinner"), std::string::npos);
}

TEST(TopRender, ThreadDetailShowsItsThread) {
    TopState s(test_options());
    for (int t = 1; t <= 2; ++t)
        s.update(frame(t, {P(10, "srv").waits(100 * t, 100 * t).thread(10, "srv", 100 * t, 0, 0, 0, 100 * t)}), kWall);
    s.key('H');
    s.key('\n');
    std::string text = s.render(40, 100).to_string();
    EXPECT_NE(text.find("thread 10 (srv):"), std::string::npos) << text;
}

TEST(TopRender, Help) {
    TopState s = running();
    s.key('?');
    Grid g = s.render(60, 100);
    std::string text = g.to_string();
    for (const char* k : {"Up Down PgUp PgDn Home End", "F6", "R ", "/ ", "p, Space", "H ", "Enter", "Esc, Left", "q, Ctrl-C"})
        EXPECT_NE(text.find(k), std::string::npos) << k;
    for (const ColumnInfo& c : all_columns()) EXPECT_NE(text.find(c.title), std::string::npos) << c.title;
    EXPECT_NE(text.find("WAITS/s   wait calls per second (select, poll, epoll_wait families) (sort)"), std::string::npos);
    EXPECT_NE(text.find("last 5 to 10 seconds"), std::string::npos);
}

TEST(TopRender, FilterPromptAndNoMatch) {
    TopState s = running();
    s.key('/');
    s.key('z');
    Grid g = s.render(24, 80);
    EXPECT_NE(g.line(3).find("filter: z_"), std::string::npos);
    EXPECT_NE(g.line(5).find("(no command matches \"z\")"), std::string::npos);
    s.key('\n');
    EXPECT_NE(s.render(24, 80).line(3).find("filter: \"z\" (Esc clears)"), std::string::npos);
}

TEST(TopRender, PausedAndThreadsShowInTheStatusLine) {
    TopState s = running();
    s.key('p');
    s.key('H');
    std::string status = s.render(24, 100).line(3);
    EXPECT_NE(status.find("PAUSED"), std::string::npos);
    EXPECT_NE(status.find("threads (H)"), std::string::npos);
}

TEST(TopRender, ColumnChooser) {
    TopState s = running();
    s.key(keys::kF6);
    Grid g = s.render(24, 80);
    EXPECT_NE(g.line(4).find("Sort by:"), std::string::npos);
    int on = row_of(g, "> WAITS/s");
    ASSERT_GT(on, 0);
    EXPECT_EQ(g.attr(on, 0), kAttrReverse);
}

}  // namespace
}  // namespace iotrace
