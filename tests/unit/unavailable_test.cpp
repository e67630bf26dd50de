// Which figures a degraded load leaves unknown (src/model/unavailable.h).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/unavailable.h"

namespace iotrace {
namespace {

Availability missing(std::initializer_list<Part> parts) {
    Availability a;
    for (Part p : parts) a.missing[p] = std::string(part_name(p)) + ": refused";
    return a;
}

ProcessStats with_calls(std::initializer_list<int> syscalls) {
    ProcessStats p;
    p.pid = 7;
    for (int s : syscalls) p.syscalls[static_cast<size_t>(s)].calls = 3;
    return p;
}

using Names = std::vector<std::string>;

TEST(Unavailable, NothingWhenComplete) {
    UnavailableFigures u = unavailable_figures(with_calls({IOT_SELECT, IOT_READ}), Availability{});
    EXPECT_FALSE(u.any());
    EXPECT_EQ(u.names(), Names{});
}

// exit_select fell back to exit_select_basic: the counts stay, the readiness
// of a process that selected does not.
TEST(Unavailable, SelectReadinessOnlyForProcessesThatSelected) {
    Availability a = missing({Part::SelectReadiness});
    EXPECT_EQ(unavailable_figures(with_calls({IOT_PSELECT6, IOT_READ}), a).names(), (Names{"readiness", "fds"}));
    // epoll only: its readiness is whole
    EXPECT_FALSE(unavailable_figures(with_calls({IOT_EPOLL_WAIT, IOT_READ}), a).any());
}

TEST(Unavailable, PollAndEpollReadinessLikewise) {
    EXPECT_EQ(unavailable_figures(with_calls({IOT_PPOLL}), missing({Part::PollReadiness})).names(),
              (Names{"readiness", "fds"}));
    EXPECT_FALSE(unavailable_figures(with_calls({IOT_SELECT}), missing({Part::PollReadiness})).any());
    EXPECT_EQ(unavailable_figures(with_calls({IOT_EPOLL_PWAIT2}), missing({Part::EpollReadiness})).names(),
              (Names{"readiness", "fds"}));
    EXPECT_FALSE(unavailable_figures(with_calls({IOT_POLL}), missing({Part::EpollReadiness})).any());
}

// enter_select failed: nobody knows whether a process selected, so the rows,
// every waits figure (sums over all waits), the wait copies, the per-thread
// wait figures and the readiness are unknown for every process.
TEST(Unavailable, SelectCountsSpoilTheWaitsOfEveryProcess) {
    Availability a = missing({Part::SelectCounts, Part::SelectReadiness});
    UnavailableFigures u = unavailable_figures(with_calls({IOT_RECVFROM}), a);
    EXPECT_EQ(u.names(), (Names{"syscalls.select", "syscalls.pselect6", "waits", "copy.wait_in_bytes",
                                "copy.wait_out_bytes", "readiness", "fds", "threads.waits"}));
    EXPECT_TRUE(u.waits_cpu_ns);
    EXPECT_TRUE(u.waits_watched);
    EXPECT_FALSE(u.recv);
    EXPECT_FALSE(u.syscalls[IOT_POLL]);
}

TEST(Unavailable, EachCountingPartOwnsItsRows) {
    struct Case {
        Part part;
        Names rows;
    };
    const Case cases[] = {
        {Part::PollCounts, {"syscalls.poll", "syscalls.ppoll"}},
        {Part::EpollWaitCounts, {"syscalls.epoll_wait", "syscalls.epoll_pwait", "syscalls.epoll_pwait2"}},
        {Part::EpollCtl, {"syscalls.epoll_ctl"}},
        {Part::Recv,
         {"syscalls.recvfrom", "syscalls.recvmsg", "syscalls.recvmmsg", "syscalls.read", "syscalls.readv"}},
        {Part::Send, {"syscalls.sendto", "syscalls.sendmsg", "syscalls.sendmmsg", "syscalls.write", "syscalls.writev"}},
        {Part::Other, {"syscalls.accept", "syscalls.accept4", "syscalls.close", "syscalls.io_uring_enter"}},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE(part_name(c.part));
        Names names = unavailable_figures(ProcessStats{}, missing({c.part})).names();
        Names rows;
        for (const auto& n : names)
            if (n.rfind("syscalls.", 0) == 0) rows.push_back(n);
        EXPECT_EQ(rows, c.rows);
    }
}

// enter_recv failed, on a process that made no wait: the receive figures go,
// the readiness (nothing to judge) stays.
TEST(Unavailable, RecvWithoutWaits) {
    UnavailableFigures u = unavailable_figures(with_calls({IOT_SENDTO}), missing({Part::Recv}));
    EXPECT_EQ(u.names(), (Names{"syscalls.recvfrom", "syscalls.recvmsg", "syscalls.recvmmsg", "syscalls.read",
                                "syscalls.readv", "recv", "copy.recv_bytes", "threads.recv"}));
}

// ...and on one that waited, readiness (reads and drains) goes too; the same
// for send, epoll_ctl and accept/close.
TEST(Unavailable, CallsBetweenWaitsSpoilReadiness) {
    for (Part part : {Part::Recv, Part::Send, Part::EpollCtl, Part::Other}) {
        SCOPED_TRACE(part_name(part));
        UnavailableFigures u = unavailable_figures(with_calls({IOT_POLL}), missing({part}));
        EXPECT_TRUE(u.readiness);
        EXPECT_FALSE(u.waits);
        EXPECT_FALSE(unavailable_figures(with_calls({IOT_READ}), missing({part})).readiness);
    }
}

TEST(Unavailable, SendAcceptAndEpollCtlFigures) {
    EXPECT_EQ(unavailable_figures(ProcessStats{}, missing({Part::Send})).names(),
              (Names{"syscalls.sendto", "syscalls.sendmsg", "syscalls.sendmmsg", "syscalls.write", "syscalls.writev",
                     "send", "copy.send_bytes"}));
    EXPECT_EQ(unavailable_figures(ProcessStats{}, missing({Part::Other})).names(),
              (Names{"syscalls.accept", "syscalls.accept4", "syscalls.close", "syscalls.io_uring_enter", "accept",
                     "threads.accepts", "threads.uring_enters"}));
    EXPECT_EQ(unavailable_figures(ProcessStats{}, missing({Part::EpollCtl})).names(),
              (Names{"syscalls.epoll_ctl", "copy.wait_in_bytes"}));
}

TEST(Unavailable, CpuTimeWithoutOnSwitch) {
    UnavailableFigures u = unavailable_figures(with_calls({IOT_EPOLL_WAIT}), missing({Part::WaitCpuTime}));
    EXPECT_EQ(u.names(), Names{"waits.cpu_ns"});
}

// Before Linux 6.4: epoll's interest-list size is unknown, so watched is
// for processes that made epoll waits (select/poll watched stay exact).
TEST(Unavailable, WatchedOnlyWithEpollWaits) {
    Availability a = missing({Part::EpollWatched});
    EXPECT_EQ(unavailable_figures(with_calls({IOT_EPOLL_PWAIT}), a).names(), Names{"waits.watched"});
    EXPECT_FALSE(unavailable_figures(with_calls({IOT_SELECT, IOT_POLL}), a).any());
    // epoll waits not counted either: watched is part of the unknown waits
    UnavailableFigures u =
        unavailable_figures(with_calls({IOT_SELECT}), missing({Part::EpollWatched, Part::EpollWaitCounts}));
    EXPECT_TRUE(u.waits);
    EXPECT_TRUE(u.waits_watched);
}

// on_fork: which processes appear changes, no figure of a process does.
TEST(Unavailable, FollowHasNoFigures) {
    EXPECT_FALSE(unavailable_figures(with_calls({IOT_SELECT}), missing({Part::Follow})).any());
}

TEST(Unavailable, WarningLines) {
    Availability a;
    a.missing[Part::SelectReadiness] = "exit_select: BPF program is too large";
    a.missing[Part::WaitCpuTime] = "on_switch: refused by --fail-prog";
    EXPECT_EQ(missing_part_lines(a),
              (Names{"select readiness unavailable: exit_select: BPF program is too large",
                     "on-CPU time in waits unavailable: on_switch: refused by --fail-prog"}));
    for (Part p : all_parts()) EXPECT_NE(part_label(p), part_name(p)) << part_name(p);
}

}  // namespace
}  // namespace iotrace
