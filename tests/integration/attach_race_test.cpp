// Registrations around attach (tests/workloads/epchurn.c): a thread keeps
// adding, modifying and deleting epoll registrations of readable fds, and
// waiting on them and on eight long-standing ones, while iotrace attaches;
// another is stuck inside an epoll_ctl(ADD) (its event on a userfaultfd
// page) from before iotrace attaches until after; then the main thread
// alone makes a known sequence. Before the registrations were seeded ahead
// of the target bit, every wait that ended while iotrace read /proc
// (milliseconds: the workload holds a thousand fds) reported registrations
// not yet loaded (thousands of lost.unknown_epoll_registration per run);
// before the probes followed epoll_ctl from the first read of /proc on, and
// applied the exit of a call entered before they were live, a change made
// between the reads and the target bit, or the stuck ADD, left events whose
// registration was unknown.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "harness.h"

namespace itest {
namespace {

int var_of(const std::string& out, const std::string& name) {
    std::istringstream in(out);
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("var " + name + " ", 0) == 0) return std::stoi(line.substr(5 + name.size()));
    return -1;
}

const json* thread_of(const json& proc, int tid) {
    for (const auto& t : proc["threads"])
        if (t.value("tid", -1) == tid) return &t;
    return nullptr;
}

TEST(AttachRace, RegistrationsChangingWhileAttachingAreAllKnown) {
    TracedRun run;
    ASSERT_EQ(run_attached_to("epchurn", {}, {}, run), "");
    expect_nothing_lost(run.report);
    const json* p = find_process(run.report, run.target_pid);
    ASSERT_NE(p, nullptr) << run.report.dump(1);
    const int main_tid = var_of(run.workload_out, "main_tid"), churn_tid = var_of(run.workload_out, "churn_tid");

    // Every event named its fd: the fds' reports (each event here is EPOLLIN
    // alone) add up to the events the waits returned.
    uint64_t reported = 0;
    for (const auto& f : (*p)["fds"]) reported += f.value("reported", 0ull);
    EXPECT_EQ(reported, (*p)["waits"].value("ready", 0ull)) << (*p)["fds"].dump(1);

    // The main thread's phase: epoll_wait -> 9 (the late ADD's fd too),
    // recvfrom -> 1, epoll_wait -> 8.
    const json* m = thread_of(*p, main_tid);
    ASSERT_NE(m, nullptr) << (*p)["threads"].dump(1);
    EXPECT_EQ(m->value("waits", -1), 2);
    EXPECT_EQ(m->value("epoll_waits", -1), 2);
    EXPECT_EQ(m->value("zero_timeout", -1), 2);
    EXPECT_EQ(m->value("ready", -1), 17);
    EXPECT_EQ(m->value("recv", -1), 1);

    // The churn thread waited while iotrace attached; each of its waits
    // reported the eight stable fds, each by its registration: fd 60 is
    // reported by every counted wait but the main thread's last one; the
    // rest of its events were the churn fds'.
    const json* c = thread_of(*p, churn_tid);
    ASSERT_NE(c, nullptr) << (*p)["threads"].dump(1);
    const int churn_waits = c->value("waits", 0);
    EXPECT_GT(churn_waits, 0);
    int stable = 0, late = 0, churn_reported = 0;
    for (const auto& f : (*p)["fds"]) {
        const int fd = f.value("fd", -1);
        if (fd >= 100 && fd < 104) churn_reported += f.value("reported", 0);
        if (fd == 70) {
            ++late;
            EXPECT_EQ(f.value("reported", -1), 2) << "the late ADD's fd";
            EXPECT_EQ(f.value("trigger", ""), "lt") << "the late ADD's fd";
        }
        if (fd < 60 || fd >= 68) continue;
        ++stable;
        EXPECT_EQ(f.value("reported", -1), churn_waits + (fd == 60 ? 1 : 2)) << "fd " << fd;
        EXPECT_EQ(f.value("trigger", ""), "lt") << "fd " << fd;
    }
    EXPECT_EQ(stable, 8) << (*p)["fds"].dump(1);
    EXPECT_EQ(late, 1) << (*p)["fds"].dump(1);
    EXPECT_EQ(c->value("ready", -1), 8 * churn_waits + churn_reported);
}

}  // namespace
}  // namespace itest
