// The text report: strace -c style table, family sections, lost-events line
// (the readiness part in detail: text_readiness_test.cpp).
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "report/text_report.h"

namespace iotrace {
namespace {

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

// The first line starting with prefix, or "" (which no assertion expects).
std::string line_starting(const std::string& text, const std::string& prefix) {
    for (const std::string& l : lines(text))
        if (l.rfind(prefix, 0) == 0) return l;
    return "";
}

void set(ProcessStats& p, int sys, uint64_t calls, uint64_t errors, uint64_t eagain, uint64_t time_ns) {
    SyscallStats& s = p.syscalls[static_cast<size_t>(sys)];
    s.calls = calls;
    s.errors = errors;
    s.eagain = eagain;
    s.time_ns = time_ns;
}

ProcessStats server() {
    ProcessStats p;
    p.pid = 1234;
    p.ppid = 1;
    p.comm = "server";
    set(p, IOT_EPOLL_WAIT, 1000, 0, 0, 600'000'000);
    set(p, IOT_READ, 2000, 500, 500, 30'000'000);
    set(p, IOT_WRITE, 1500, 0, 0, 45'000'000);
    set(p, IOT_EPOLL_CTL, 20, 1, 0, 100'000);
    set(p, IOT_CLOSE, 20, 0, 0, 100'000);
    p.waits = {1000, 10, 1500, 64000, 1500, 600'000'000, 640, 2'500'000};
    p.recv = {2000, 1'234'567, 500, 3, 20};
    p.send = {1500, 987'654, 0};
    p.copy = {480, 18'000, 1'234'567, 987'654};
    p.readiness = {1'230, 1'000, 230, 5, 1'400, 3, 0, 2};
    FdStats listener{3, "tcp", "lt", "0.0.0.0:8080", "", 20, 40, 0, 20, 20, 0};
    FdStats conn{7, "tcp6", "et", "[::1]:8080", "[::1]:50312", 1'400, 1'690, 1'224'647, 480, 1'400, 1'500};
    conn.et_notifications = 1'400;
    conn.et_undrained = 3;
    conn.et_stalls = 2;
    FdStats local{9, "unix", "poll", "", "", 1'315, 310, 9'920, 0, 80, 0, 1'230, 1'000, 230, 5};
    p.fds = {listener, conn, local};
    p.threads = {{1234, "server", 990, 630, 1'960}, {1240, "server-log", 10, 10, 40}};
    p.threads[0].ready = 1'490;
    p.threads[1].ready = 10;
    return p;
}

Snapshot one(const ProcessStats& p) {
    Snapshot snap;
    snap.version = "0.1.0";
    snap.duration_s = 2.5;
    snap.processes.push_back(p);
    return snap;
}

// The whole layout once, byte for byte: the table mirrors strace -c's
// (6/11/11/9/9 columns, blank zero errors, dashes of the same widths).
TEST(TextReport, FullLayout) {
    EXPECT_EQ(render_text(one(server())),
              "PID 1234 (server)\n"
              "traced for 2.500 s\n"
              "\n"
              "% time     seconds  usecs/call     calls    errors    eagain syscall\n"
              "------ ----------- ----------- --------- --------- --------- ----------------\n"
              " 88.86    0.600000         600      1000                     epoll_wait\n"
              "  6.66    0.045000          30      1500                     write\n"
              "  4.44    0.030000          15      2000       500       500 read\n"
              "  0.01    0.000100           5        20                     close\n"
              "  0.01    0.000100           5        20         1           epoll_ctl\n"
              "------ ----------- ----------- --------- --------- --------- ----------------\n"
              "100.00    0.675200         148      4540       501       500 total\n"
              "\n"
              "waits: 1,000 calls, 10 empty (1.0%), 1,500 ready, 64,000 watched, 1,500 scanned, 600.00 ms in total\n"
              "  per wait: 1.50 ready, 64.00 watched, 1.50 scanned, 600.0 us mean\n"
              "  640 wakeups (64.0% of waits slept), 2.50 ms on CPU inside waits (2.5 us per wait)\n"
              "recv: 2,000 calls, 1,234,567 bytes (617.3 bytes/call), 500 eagain, 3 eof, 20 short\n"
              "send: 1,500 calls, 987,654 bytes (658.4 bytes/call), 0 eagain\n"
              "copy: 480 wait_in, 18,000 wait_out, 1,234,567 recv, 987,654 send bytes\n"
              "  bookkeeping share (wait_in + wait_out) / all: 0.8%\n"
              "readiness: 1,230 LT re-reports (1,000 unread, 230 partially read), 5 writable re-reports with nothing "
              "written\n"
              "  1,400 ET notifications, 3 left undrained before the next wait, 2 stalls (the previous one never "
              "drained)\n"
              "busiest fds (3 of 3 reported by waits):\n"
              "      fd kind     trigger   reported      reads        bytes   eagain   lt_rerep   wr_rerep  et_undr et_stall  peer\n"
              "       7 tcp6     et           1,400      1,690    1,224,647      480          0          0        3        2  [::1]:50312\n"
              "       9 unix     poll         1,315        310        9,920        0      1,230          5        0        0\n"
              "       3 tcp      lt              20         40            0       20          0          0        0        0  listening 0.0.0.0:8080\n"
              "threads:\n"
              "       tid comm                  waits    wakeups      ready       recv\n"
              "      1234 server                  990        630      1,490      1,960\n"
              "      1240 server-log               10         10         10         40\n"
              "\n"
              "lost events: 0 (every figure is exact)\n");
}

std::vector<std::string> table_names(const std::string& text) {
    std::vector<std::string> names;
    bool in_table = false;
    int dash_lines = 0;
    for (const std::string& l : lines(text)) {
        if (l.rfind("------", 0) == 0) {
            in_table = ++dash_lines == 1;
            continue;
        }
        if (in_table) names.push_back(l.substr(l.rfind(' ') + 1));
    }
    return names;
}

TEST(TextReport, RowsByTimeThenCallsThenName) {
    ProcessStats p;
    set(p, IOT_SELECT, 1, 0, 0, 10);     // least time: last
    set(p, IOT_WRITE, 5, 0, 0, 500);     // tie on time with read and sendto...
    set(p, IOT_READ, 9, 0, 0, 500);      // ...more calls: first of the three
    set(p, IOT_SENDTO, 5, 0, 0, 500);    // same time and calls as write: by name
    set(p, IOT_ACCEPT4, 1, 0, 0, 9000);  // most time: first, despite enum order
    set(p, IOT_POLL, 0, 3, 0, 0);        // no calls: no row
    EXPECT_EQ(table_names(render_text(one(p))),
              (std::vector<std::string>{"accept4", "read", "sendto", "write", "select"}));
}

TEST(TextReport, TotalRowSumsEveryColumn) {
    ProcessStats p;
    set(p, IOT_RECVFROM, 3, 2, 1, 3'000'000);
    set(p, IOT_SENDMSG, 1, 1, 1, 1'000'000);
    std::string text = render_text(one(p));
    // 4 calls, 4 ms: 1000 usecs/call; 3 errors of which 2 EAGAIN.
    EXPECT_EQ(line_starting(text, "100.00"), "100.00    0.004000        1000         4         3         2 total");
    EXPECT_EQ(line_starting(text, " 75.00"), " 75.00    0.003000        1000         3         2         1 recvfrom");
    EXPECT_EQ(line_starting(text, " 25.00"), " 25.00    0.001000        1000         1         1         1 sendmsg");
}

TEST(TextReport, WideNumbersWidenTheirColumn) {
    ProcessStats p;
    // 11 digits of calls, 15 characters of seconds: both wider than strace's
    // columns, which widen so every later column stays aligned.
    set(p, IOT_READ, 12'345'678'901, 0, 0, 24'691'357'802'000'000);
    std::vector<std::string> ls = lines(render_text(one(p)));
    ASSERT_GE(ls.size(), 8u);
    EXPECT_EQ(ls[3], "% time         seconds  usecs/call       calls    errors    eagain syscall");
    EXPECT_EQ(ls[4], "------ --------------- ----------- ----------- --------- --------- ----------------");
    EXPECT_EQ(ls[5], "100.00 24691357.802000        2000 12345678901                     read");
    EXPECT_EQ(ls[7], "100.00 24691357.802000        2000 12345678901                     total");
}

TEST(TextReport, PerCallRatios) {
    ProcessStats p;
    set(p, IOT_POLL, 4, 0, 0, 10'000);
    set(p, IOT_READV, 3, 0, 0, 300);
    set(p, IOT_WRITEV, 8, 0, 0, 300);
    p.waits = {4, 1, 3, 10, 7, 10'000};
    p.recv = {3, 100, 0, 1, 1};
    p.send = {8, 4, 2};
    std::string text = render_text(one(p));
    EXPECT_EQ(line_starting(text, "waits:"), "waits: 4 calls, 1 empty (25.0%), 3 ready, 10 watched, 7 scanned, 10.0 us in total");
    EXPECT_EQ(line_starting(text, "  per wait:"), "  per wait: 0.75 ready, 2.50 watched, 1.75 scanned, 2.5 us mean");
    EXPECT_EQ(line_starting(text, "recv:"), "recv: 3 calls, 100 bytes (33.3 bytes/call), 0 eagain, 1 eof, 1 short");
    EXPECT_EQ(line_starting(text, "send:"), "send: 8 calls, 4 bytes (0.5 bytes/call), 2 eagain");
}

TEST(TextReport, BookkeepingShare) {
    ProcessStats p;
    p.copy = {300, 100, 500, 100};  // (300 + 100) / 1000
    std::string text = render_text(one(p));
    EXPECT_EQ(line_starting(text, "copy:"), "copy: 300 wait_in, 100 wait_out, 500 recv, 100 send bytes");
    EXPECT_EQ(line_starting(text, "  bookkeeping"), "  bookkeeping share (wait_in + wait_out) / all: 40.0%");
}

// Nothing to divide by: "-", never nan or inf, and sections with no calls
// say so in one line.
TEST(TextReport, ZeroDenominators) {
    ProcessStats p;
    p.comm = "idle";
    set(p, IOT_CLOSE, 2, 0, 0, 0);  // calls but no measurable time
    std::string text = render_text(one(p));
    // strace would print 0.00 and 100.00 here; a share of no time is undefined.
    std::vector<std::string> ls = lines(text);
    ASSERT_GE(ls.size(), 8u);
    EXPECT_EQ(ls[5], "     -    0.000000           0         2                     close");
    EXPECT_EQ(ls[7], "     -    0.000000           0         2                     total");
    EXPECT_EQ(line_starting(text, "waits:"), "waits: no waits observed");
    EXPECT_EQ(line_starting(text, "recv:"), "recv: no receives observed");
    EXPECT_EQ(line_starting(text, "send:"), "send: no sends observed");
    EXPECT_EQ(line_starting(text, "  bookkeeping"), "  bookkeeping share (wait_in + wait_out) / all: -");
    EXPECT_EQ(text.find("nan"), std::string::npos);
    EXPECT_EQ(text.find("inf"), std::string::npos);
}

TEST(TextReport, ProcessWithNoProbedSyscall) {
    ProcessStats p;
    p.pid = 77;
    p.comm = "sleeper";
    p.exited = true;
    std::string text = render_text(one(p));
    EXPECT_EQ(lines(text)[0], "PID 77 (sleeper) exited");
    EXPECT_EQ(line_starting(text, "no probed"), "no probed syscall observed");
    EXPECT_EQ(text.find("% time"), std::string::npos);
}

TEST(TextReport, ProcessesInSnapshotOrder) {
    Snapshot snap = one(server());
    ProcessStats child;
    child.pid = 99;  // lower pid, listed second: order is the snapshot's
    child.comm = "child";
    snap.processes.push_back(child);
    std::vector<std::string> headers;
    for (const std::string& l : lines(render_text(snap)))
        if (l.rfind("PID ", 0) == 0) headers.push_back(l);
    EXPECT_EQ(headers, (std::vector<std::string>{"PID 1234 (server)", "PID 99 (child)"}));
}

TEST(TextReport, NoProcess) {
    Snapshot snap;
    EXPECT_EQ(render_text(snap), "no process was traced\n\nlost events: 0 (every figure is exact)\n");
}

TEST(TextReport, LostEventsNameEachNonZeroReason) {
    Snapshot snap = one(server());
    snap.lost[IOT_LOST_USER_READ] = 3;
    snap.lost[IOT_LOST_BOUND] = 1200;
    std::vector<std::string> ls = lines(render_text(snap));
    EXPECT_EQ(ls.back(),
              "warning: lost events: 1,203 (user_read_failed 3, loop_bound 1,200); the figures above are lower bounds");
    EXPECT_EQ(line_starting(render_text(snap), "lost events: 0"), "");
}

}  // namespace
}  // namespace iotrace
