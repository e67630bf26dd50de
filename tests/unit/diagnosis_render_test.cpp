// The diagnosis in the reports: the text report opens each process with the
// model line and the findings; JSON carries model and findings per process
// and per thread (docs/json.md, docs/diagnosis.md).
#include <gtest/gtest.h>

#include <sstream>

#include "analysis/diagnose.h"
#include "diagnosis_fixtures.h"
#include "report/json_report.h"
#include "report/text_report.h"

namespace iotrace {
namespace {

using nlohmann::ordered_json;
using testing::Proc;

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

Snapshot diagnosed(const ProcessStats& p, double seconds = 10) {
    Snapshot snap;
    snap.version = "0.1.0";
    snap.duration_s = seconds;
    snap.processes.push_back(p);
    diagnose(snap);
    return snap;
}

// select() over 1,000 fds, 2 ready per call, 38 ms of CPU per second.
Proc select_server() {
    Proc s;
    s.waits(IOT_SELECT, 10000).wait_figs(20000, 0, 9000, 0).scan(10'000'000, 10'000'000, 380'000'000);
    s.recv(IOT_READ, 20000, 2'000'000, 0, 0, 0, 20000).send(20000, 2'000'000);
    s.p.copy.wait_in_bytes = 2'560'000;
    s.p.copy.wait_out_bytes = 1'280'000;
    return s;
}

ThreadStats th(int tid, const char* comm, uint64_t epoll_waits, uint64_t recv) {
    ThreadStats t = testing::thread(tid, comm);
    t.waits = t.epoll_waits = epoll_waits;
    t.wakeups = epoll_waits;
    t.recv = recv;
    t.ready = recv;  // a read per ready event
    return t;
}

TEST(DiagnosisRender, TextOpensWithModelAndFindings) {
    std::vector<std::string> ls = lines(render_text(diagnosed(select_server())));
    ASSERT_GE(ls.size(), 8u);
    EXPECT_EQ(ls[0], "PID 100 (srv)");
    EXPECT_EQ(ls[1], "traced for 10.000 s");
    EXPECT_EQ(ls[2], "IO model: select (high confidence) — 10,000 waits, 100.0% select");
    EXPECT_EQ(ls[3], "findings, worst first:");
    EXPECT_EQ(ls[4],
              "  [medium] select_scan_cost: select() watches 1,000.0 fds to find 2.0 ready per call: 38.0 ms of CPU "
              "per second goes to the waits; epoll would cost ~2.0 per call instead of 1,000.0 (estimated 37.9 ms/s "
              "saved) — switch to epoll");
    EXPECT_EQ(ls[5],
              "  [low] bookkeeping_copy: 384,000 bookkeeping bytes per second (fd sets, pollfd arrays, epoll events) "
              "were copied for 400,000 data bytes per second (49.0% of all bytes copied): epoll keeps the interest "
              "set in the kernel and copies out only ready events");
    EXPECT_EQ(ls[6], "");
    EXPECT_EQ(ls[7].rfind("% time", 0), 0u);
}

TEST(DiagnosisRender, TextSaysWhenThereIsNoFinding) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 1000).wait_figs(1000, 0, 1000, 0).recv(IOT_RECVFROM, 1000, 4'000'000, 0, 0, 0, 1000);
    s.send(1000, 4'000'000).conns(5, 37, "et", 100);
    std::vector<std::string> ls = lines(render_text(diagnosed(s)));
    EXPECT_EQ(ls[2],
              "IO model: epoll-et (high confidence) — 1,000 waits, 100.0% epoll; 37 epoll fds reported, "
              "100.0% edge-triggered");
    EXPECT_EQ(ls[3], "findings: none");
    EXPECT_EQ(ls[4], "");
}

TEST(DiagnosisRender, TextModifierFollowsTheName) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 10).wait_figs(10, 0, 10, 0).recv(IOT_READ, 10, 100).conns(5, 2, "oneshot", 10);
    EXPECT_EQ(lines(render_text(diagnosed(s)))[2],
              "IO model: epoll-lt oneshot (medium confidence) — 10 waits, 100.0% epoll; 2 epoll fds reported, 100.0% "
              "level-triggered; 2 of 2 EPOLLONESHOT (100.0%)");
}

// An accept thread that blocks beside epoll workers: a model column.
TEST(DiagnosisRender, ThreadTableShowsModelsWhenTheyDiffer) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 5000).wait_figs(6000, 0, 4000, 0).recv(IOT_RECVFROM, 6000, 3'000'000, 0, 0, 0, 6000);
    s.send(6000, 3'000'000).accept(20, 0, 20).conns(5, 30, "et", 200);
    ThreadStats acc = testing::thread(100, "acceptor");
    acc.accepts = acc.accept_blocked = 20;
    s.thread(acc).thread(th(101, "worker", 2500, 3000)).thread(th(102, "worker", 2500, 3000));
    std::string text = render_text(diagnosed(s));
    std::vector<std::string> ls = lines(text);
    auto head = std::find(ls.begin(), ls.end(), "threads:");
    ASSERT_NE(head, ls.end());
    ASSERT_LE(head + 4, ls.end() - 1);
    EXPECT_EQ(head[1], "       tid comm                  waits    wakeups      ready       recv  model");
    EXPECT_EQ(head[2], "       100 acceptor                  0          0          0          0  blocking");
    EXPECT_EQ(head[3], "       101 worker                2,500      2,500      3,000      3,000  epoll-et");
    EXPECT_EQ(head[4], "       102 worker                2,500      2,500      3,000      3,000  epoll-et");
    EXPECT_EQ(text.find("thread findings:"), std::string::npos);
}

TEST(DiagnosisRender, ThreadTableWithoutModelsWhenAllAgree) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 2000).wait_figs(2000, 0, 2000, 0).recv(IOT_READ, 2000, 2'000'000, 0, 0, 0, 2000);
    s.conns(5, 3, "lt", 100).thread(th(1, "a", 1000, 1000)).thread(th(2, "b", 1000, 1000));
    std::vector<std::string> ls = lines(render_text(diagnosed(s)));
    auto head = std::find(ls.begin(), ls.end(), "threads:");
    ASSERT_NE(head, ls.end());
    EXPECT_EQ(head[1], "       tid comm                  waits    wakeups      ready       recv");
}

TEST(DiagnosisRender, ThreadFindingsAfterTheTable) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 21000).wait_figs(2000, 19500, 1000, 20000, 19500).recv(IOT_READ, 2000, 200'000);
    ThreadStats spin = th(8, "spinner", 20000, 0);
    spin.wakeups = 0;
    spin.zero_timeout = 20000;
    spin.zero_timeout_empty = 19500;
    s.conns(5, 10, "lt", 200).thread(th(7, "worker", 1000, 2000)).thread(spin);
    std::vector<std::string> ls = lines(render_text(diagnosed(s)));
    auto head = std::find(ls.begin(), ls.end(), "thread findings:");
    ASSERT_NE(head, ls.end());
    EXPECT_EQ(head[-1], "         8 spinner              20,000          0          0          0  busy-poll");
    EXPECT_EQ(head[1].rfind("  [medium] busy_poll: thread 8 (spinner) made 19,500 calls", 0), 0u);
}

TEST(DiagnosisRender, JsonModelAndFindingsPerProcess) {
    ordered_json p = to_json(diagnosed(select_server()))["processes"][0];
    EXPECT_EQ(p["model"], ordered_json::parse(R"({"name":"select","modifier":"","confidence":"high",
        "evidence":["10,000 waits, 100.0% select"]})"));
    ASSERT_EQ(p["findings"].size(), 2u);
    const ordered_json& f = p["findings"][1];
    std::vector<std::string> keys;
    for (auto it = f.begin(); it != f.end(); ++it) keys.push_back(it.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"id", "severity", "text", "figures"}));
    EXPECT_EQ(f["id"], "bookkeeping_copy");
    EXPECT_EQ(f["severity"], "low");
    EXPECT_EQ(f["figures"], ordered_json::parse(R"({"bookkeeping_bytes":3840000.0,"data_bytes":4000000.0,
        "bookkeeping_share":0.4897959183673469,"bookkeeping_bytes_per_s":384000.0})"));
    EXPECT_EQ(p["findings"][0]["id"], "select_scan_cost");
    EXPECT_EQ(p["findings"][0]["figures"]["watched_per_wait"], 1000.0);
}

TEST(DiagnosisRender, JsonModelAndFindingsPerThread) {
    Proc s;
    s.waits(IOT_EPOLL_WAIT, 21000).wait_figs(2000, 19500, 1000, 20000, 19500).recv(IOT_READ, 2000, 200'000);
    ThreadStats spin = th(8, "spinner", 20000, 0);
    spin.wakeups = 0;
    spin.zero_timeout = 20000;
    spin.zero_timeout_empty = 19500;
    s.conns(5, 10, "lt", 200).thread(th(7, "worker", 1000, 2000)).thread(spin);
    ordered_json threads = to_json(diagnosed(s))["processes"][0]["threads"];
    EXPECT_EQ(threads[0]["model"]["name"], "epoll-lt");
    EXPECT_EQ(threads[0]["findings"], ordered_json::array());
    EXPECT_EQ(threads[1]["model"], ordered_json::parse(R"j({"name":"busy-poll","modifier":"","confidence":"high",
        "evidence":["20,000 of 20,000 waits had a zero timeout (100.0%)",
                    "19,500 of 20,000 zero-timeout waits came back empty (97.5% of the waits)",
                    "0 of 20,000 waits slept (0.0%)"]})j"));
    EXPECT_EQ(threads[1]["findings"][0]["id"], "busy_poll");
    EXPECT_EQ(threads[1]["findings"][0]["figures"], ordered_json::parse(R"({"futile_calls":19500.0,
        "futile_per_s":1950.0,"zero_timeout_waits":20000.0,"zero_timeout_empty":19500.0,"eagain_calls":0.0,
        "eagain_drains":0.0,"futile_eagain":0.0,"slept":0.0})"));
}

TEST(DiagnosisRender, JsonRoundTripsWithDiagnosis) {
    Snapshot snap = diagnosed(select_server());
    EXPECT_EQ(ordered_json::parse(render_json(snap)), to_json(snap));
}

}  // namespace
}  // namespace iotrace
