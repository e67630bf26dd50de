// Registrations deleted while another thread's wait returns their events
// (tests/workloads/epclose.c): two threads wait on one epoll fd while the
// main thread adds readable sockets and at once deletes (DEL, close, or MOD
// then DEL) them, 20,000 times, as Go's netpoller does with one epoll fd
// for all its threads. A wait that returned an event just before the
// registration went, but whose exit ran just after, found no registration:
// about a hundred lost.unknown_epoll_registration per run before deleted
// registrations were kept for the waits already under way, and MOD (a fd
// already readable: its event under the new data comes at once) about as
// many before registrations being made were (ep_limbo, docs/readiness.md).
// Then a closed number registered again by another thread before the
// closing thread's next call, when its old registration is dropped.
#include <gtest/gtest.h>

#include <string>

#include "harness.h"
#include "readiness_check.h"

namespace itest {
namespace {

TEST(CloseRace, RegistrationsDeletedWhileAWaitReturnsAreKnown) {
    TracedRun run;
    ASSERT_EQ(run_launched_cmd("epclose", {}, {}, run), "");
    expect_nothing_lost(run.report);
    const json* p = find_process(run.report, run.target_pid);
    ASSERT_NE(p, nullptr) << run.report.dump(1);
    Vars v = parse_vars(run.workload_out, run.target_pid);
    const uint64_t rounds = std::stoull(v["rounds"]), waits = std::stoull(v["waits"]),
                   events = std::stoull(v["events"]);

    // Every call counted (iotrace launched it), every event named its fd:
    // the fds' reports (each event is readable, once) add up to the events.
    // The reuse phase adds 2 ADDs, 2 closes (one EBADF), 2 waits of 1 event.
    const json& sys = (*p)["syscalls"];
    const uint64_t dels = (rounds + 2) / 3, mods = rounds / 3;  // rounds % 3 == 0, == 2
    EXPECT_EQ(num(sys["epoll_wait"], "calls", "epoll_wait"), waits + 2);
    EXPECT_EQ(num(sys["epoll_ctl"], "calls", "epoll_ctl"), rounds + dels + 2 * mods + 2);
    EXPECT_EQ(num(sys["close"], "calls", "close"), 2 * rounds + 2);
    EXPECT_EQ(num(sys["close"], "errors", "close"), 1u);
    EXPECT_EQ(num((*p)["waits"], "ready", "waits"), events + 2);
    uint64_t reported = 0, reused = 0;
    for (const auto& f : (*p)["fds"]) {
        reported += f.value("reported", 0ull);
        if (f.value("fd", -1) == 40) reused = f.value("reported", 0ull);
    }
    EXPECT_EQ(reported, events + 2);
    EXPECT_GT(events, 0u) << "the waiters were never woken: no race to speak of";

    // fd 40 closed by a thread that then made no call while the number was
    // registered again: its deferred removal (close_done) spared the new
    // registration, both waits after named it.
    EXPECT_EQ(reused, 2u);
}

}  // namespace
}  // namespace itest
