// The diagnosis of a degraded load: no finding is drawn from a figure the
// kernel side could not count (its 0 is no evidence either way), and the
// model says what it could not see.
#include <gtest/gtest.h>

#include "analysis/diagnose.h"
#include "analysis/findings.h"
#include "diagnosis_fixtures.h"

namespace iotrace {
namespace {

using testing::Proc;

bool has(const std::vector<Finding>& all, const std::string& id) {
    for (const Finding& f : all)
        if (f.id == id) return true;
    return false;
}

Availability missing(std::initializer_list<Part> parts) {
    Availability a;
    for (Part p : parts) a.missing[p] = std::string(part_name(p)) + ": refused";
    return a;
}

std::vector<Finding> find(const Proc& s, std::initializer_list<Part> parts) {
    return find_issues(s, 10, unavailable_figures(s, missing(parts)));
}

// select() over 1,000 fds with 2 ready: the scan-cost finding reads cpu_ns
// and watched.
Proc select_server() {
    Proc s;
    s.waits(IOT_SELECT, 10000).wait_figs(20000, 0, 9000, 0).scan(10'000'000, 10'000'000, 380'000'000);
    s.recv(IOT_READ, 20000, 2'000'000).send(20000, 2'000'000);
    return s;
}

TEST(DiagnosisUnavailable, ScanCostNeedsCpuTime) {
    ASSERT_TRUE(has(find(select_server(), {}), "select_scan_cost"));
    EXPECT_FALSE(has(find(select_server(), {Part::WaitCpuTime}), "select_scan_cost"));
    // before Linux 6.4 only epoll's watched is unknown: select's stands
    EXPECT_TRUE(has(find(select_server(), {Part::EpollWatched}), "select_scan_cost"));
    EXPECT_FALSE(has(find(select_server(), {Part::PollCounts, Part::PollReadiness}), "select_scan_cost"));
}

// An epoll loop whose fds are reported again unread: a readiness finding.
Proc rereporting() {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(1000, 0, 1000, 0).recv(IOT_READ, 1000, 100'000);
    s.conns(7, 2, "lt", 500);
    s.p.readiness.lt_rereports_unread = s.p.readiness.lt_rereports = 500;
    s.p.fds[0].lt_rereports_unread = 500;
    return s;
}

TEST(DiagnosisUnavailable, RereportsNeedReadiness) {
    ASSERT_TRUE(has(find(rereporting(), {}), "lt_rereports_unread"));
    EXPECT_FALSE(has(find(rereporting(), {Part::EpollReadiness}), "lt_rereports_unread"));
    // reads not seen: "unread" cannot be told
    EXPECT_FALSE(has(find(rereporting(), {Part::Recv}), "lt_rereports_unread"));
    // another family's readiness: this process's stands
    EXPECT_TRUE(has(find(rereporting(), {Part::SelectReadiness}), "lt_rereports_unread"));
}

// An ET loop that never stalled would say nothing either way; with
// readiness unavailable a stall count is not read at all.
TEST(DiagnosisUnavailable, EtStallNeedsReadiness) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(1000, 0, 1000, 0).recv(IOT_READ, 1000, 100'000);
    s.conns(7, 1, "et", 1000);
    s.p.readiness.et_notifications = 1000;
    s.p.readiness.et_undrained = 10;
    s.p.readiness.et_stalls = 10;
    ASSERT_TRUE(has(find(s, {}), "et_stall_risk"));
    EXPECT_FALSE(has(find(s, {Part::EpollReadiness}), "et_stall_risk"));
}

TEST(DiagnosisUnavailable, BusyPollNeedsCpuTime) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 200000).wait_figs(1000, 199000, 0, 200000, 199000).scan(0, 0, 400'000'000);
    s.recv(IOT_READ, 1000, 100'000);
    ASSERT_TRUE(has(find(s, {}), "busy_poll"));
    EXPECT_FALSE(has(find(s, {Part::WaitCpuTime}), "busy_poll"));
}

// Through diagnose(): the findings skip, the model names what it did not see
// and is no longer sure; a complete load changes nothing.
TEST(DiagnosisUnavailable, DiagnoseUsesTheSnapshotsAvailability) {
    Snapshot snap;
    snap.duration_s = 10;
    snap.processes.push_back(rereporting());
    Snapshot complete = diagnosed(snap);
    ASSERT_TRUE(has(complete.processes[0].diagnosis.findings, "lt_rereports_unread"));
    EXPECT_EQ(complete.processes[0].diagnosis.model.evidence.back().find("not counted"), std::string::npos);

    snap.availability = missing({Part::EpollReadiness, Part::WaitCpuTime});
    Snapshot degraded = diagnosed(snap);
    const Diagnosis& d = degraded.processes[0].diagnosis;
    EXPECT_FALSE(has(d.findings, "lt_rereports_unread"));
    EXPECT_EQ(d.model.evidence.back(), "not counted on this kernel: epoll readiness");
    EXPECT_NE(d.model.confidence, "high");

    snap.availability = missing({Part::Other});
    Diagnosis other = diagnosed(snap).processes[0].diagnosis;
    EXPECT_EQ(other.model.confidence, "low");
    EXPECT_EQ(other.model.evidence.back(), "not counted on this kernel: accept, close and io_uring_enter counts");
}

}  // namespace
}  // namespace iotrace
