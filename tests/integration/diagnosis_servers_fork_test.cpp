// Diagnosis (issue 10) on real servers that are not one event loop, on
// loopback, under bounded load: a Go program (goroutine per connection on
// Go's netpoller; tests/servers/go_echo_server.go, built here with Debian's
// golang-go), apache2 with mpm_prefork (a master and preforked children,
// traced with -f from the master) and socat forking a child per connection
// (traced with -f). Each job starts its server in a TempDir, waits until it
// is ready, attaches iotrace, runs the load, stops iotrace with SIGINT and
// stops the server; the jobs run side by side (run_parallel). The packages
// come from scripts/install-deps.sh (golang-go, apache2, socat, wrk).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "diagnosis_check.h"
#include "harness.h"
#include "server_jobs.h"

namespace itest {
namespace {

using namespace std::chrono_literals;

// ---- the servers -----------------------------------------------------------------

// tests/servers/go_echo_server.go, built with `go build` into the TempDir
// (stdlib only, no network: Debian's Go ships the standard library built).
std::string go_job(ServerRun& out) {
    const std::string go = find_tool("go");
    if (go.empty()) return "go missing: run `make deps` (golang-go)";
    TempDir tmp;
    const std::string bin = tmp.path("go_echo_server");
    Child build({"/usr/bin/env", "GOCACHE=" + tmp.path("cache"), "GOPATH=" + tmp.path("gopath"), "GOENV=off",
                 "GO111MODULE=off", "GOFLAGS=", "CGO_ENABLED=0", go, "build", "-o", bin,
                 servers_dir() + "/go_echo_server.go"});
    if (!build.wait_exit(120s) || build.exit_code() != 0) return "go build failed: " + tail(build.err());
    return echo_server_job("go_echo_server", {bin, "-port", "0"}, 0, 20, 100, 0, out);
}

std::string apache_job(ServerRun& out) {
    const std::string apache = find_tool("apache2"), wrk = find_tool("wrk");
    if (apache.empty() || wrk.empty()) return "apache2 or wrk missing: run `make deps` (apache2, wrk)";
    TempDir tmp;
    const int port = free_port();
    const std::string dir = tmp.path("");
    // The children run as www-data: they must reach htdocs/index.html.
    chmod(dir.c_str(), 0755);
    mkdir(tmp.path("htdocs").c_str(), 0755);
    std::ofstream(tmp.path("htdocs/index.html")) << "ok\n";
    constexpr size_t kChildren = 4;
    {
        std::ofstream conf(tmp.path("apache2.conf"));
        conf << "ServerRoot " << dir << "\n"
             << "LoadModule mpm_prefork_module /usr/lib/apache2/modules/mod_mpm_prefork.so\n"
             << "LoadModule authz_core_module /usr/lib/apache2/modules/mod_authz_core.so\n"
             << "ServerName 127.0.0.1\n"
             << "Listen 127.0.0.1:" << port << "\n"
             << "PidFile " << dir << "apache2.pid\n"
             << "ErrorLog " << dir << "error.log\n"
             << "Mutex file:" << dir << "\n"
             << "User www-data\nGroup www-data\n"
             << "DocumentRoot " << dir << "htdocs\n"
             << "<Directory />\n    Require all granted\n</Directory>\n"
             << "StartServers " << kChildren << "\nMinSpareServers " << kChildren << "\nMaxSpareServers 8\n"
             << "MaxRequestWorkers 8\n";
    }
    // In a session of its own (setsid execs it in place: same pid): on
    // SIGTERM, prefork signals its whole process group, ours otherwise.
    Child master({"/usr/bin/setsid", apache, "-f", tmp.path("apache2.conf"), "-DFOREGROUND"});
    ServerGuard guard{master, SIGTERM, {}};
    std::vector<int> children;
    bool up = poll_until([&] {
        if (master.exited()) return true;
        master.wait_out_line("\x01 pump", 5ms);
        if (std::atoi(read_file(tmp.path("apache2.pid")).c_str()) != master.pid()) return false;
        children = children_of(master.pid());
        return children.size() == kChildren;
    });
    guard.strays = children;
    if (!up || master.exited())
        return "apache2 did not start its children: " + master.err() + tail(read_file(tmp.path("error.log")));
    int probe = -1;
    if (!poll_until([&] { return (probe = connect_to(port)) >= 0; })) return "apache2 does not accept";
    close(probe);

    Tracing tr;
    if (auto e = tr.start({master.pid()}, tmp.path("report.json"), {"-f"}); !e.empty()) return e;
    std::string wrk_out;
    std::string load_err =
        run_load({wrk, "-t1", "-c4", "-d1s", "http://127.0.0.1:" + std::to_string(port) + "/index.html"}, &wrk_out);
    std::string stop_err = tr.stop(out.report);
    out.pids = {master.pid()};
    out.notes = wrk_out;
    if (!load_err.empty()) return load_err;
    if (wrk_out.find("requests in") == std::string::npos) return "wrk made no requests:\n" + wrk_out;
    if (wrk_out.find("Non-2xx") != std::string::npos) return "apache2 answered errors:\n" + wrk_out;
    return stop_err;
}

// socat forks a child per connection; each child relays between its
// connection and a `cat` it starts: an echo.
std::string socat_job(ServerRun& out) {
    const std::string socat = find_tool("socat");
    if (socat.empty()) return "socat missing: run `make deps` (socat)";
    const int port = free_port();
    return echo_server_job("socat",
                           {socat, "TCP-LISTEN:" + std::to_string(port) + ",bind=127.0.0.1,fork,reuseaddr", "EXEC:cat"},
                           0, 10, 100, 0, out, {"-f"}, port);
}

std::map<std::string, ServerRun> g_runs = {{"go", {}}, {"apache2", {}}, {"socat", {}}};

class DiagnosisServersFork : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::vector<std::pair<std::string, RunJob>> jobs = {
            {"go", [](TracedRun&) { return go_job(g_runs["go"]); }},
            {"apache2", [](TracedRun&) { return apache_job(g_runs["apache2"]); }},
            {"socat", [](TracedRun&) { return socat_job(g_runs["socat"]); }},
        };
        results_ = new std::map<std::string, RunResult>(run_parallel(jobs));
    }
    static void TearDownTestSuite() {
        delete results_;
        results_ = nullptr;
    }
    // The run of `name`, asserted to have gone as planned and lost nothing.
    static const ServerRun* run(const std::string& name) {
        const RunResult& r = results_->at(name);
        EXPECT_EQ(r.error, "") << name;
        if (!r.error.empty()) return nullptr;
        const ServerRun& s = g_runs.at(name);
        expect_nothing_lost(s.report, name);
        return &s;
    }
    static std::map<std::string, RunResult>* results_;
};

std::map<std::string, RunResult>* DiagnosisServersFork::results_ = nullptr;

// What a healthy server must not be told, at medium severity or above (at
// low they may show: e.g. Go's listener's et_stall_risk, below).
const std::vector<std::string> kFalseAlarms = {"busy_poll", "et_stall_risk", "lt_rereports_unread",
                                               "lt_rereports_partial", "epollout_busy_loop", "empty_wakeups"};

void expect_no_alarm(const json& entry, const std::string& where) {
    if (!entry.contains("findings")) return;
    for (const json& f : entry["findings"]) {
        const std::string id = f.value("id", ""), sev = f.value("severity", "");
        if (std::find(kFalseAlarms.begin(), kFalseAlarms.end(), id) != kFalseAlarms.end()) {
            EXPECT_TRUE(sev == "low" || sev == "info") << where << ": " << id << " at " << sev << ": " << f.dump();
        }
    }
}

// The entry grouping the followed children of ppid named comm; asserts it
// stands for two or more processes that received and sent.
const json* expect_children(const ServerRun& s, int ppid, const std::string& comm, const std::string& where) {
    const json* group = nullptr;
    for (const json& p : s.report["processes"])
        if (p.value("ppid", 0) == ppid && p.value("comm", "") == comm && p.contains("group")) {
            EXPECT_EQ(group, nullptr) << where << ": a second group: " << p.dump(1);
            group = &p;
        }
    EXPECT_NE(group, nullptr) << where << ": no group of " << comm << " children:\n" << s.report.dump(1);
    if (!group) return nullptr;
    EXPECT_GE((*group)["group"].value("processes", 0), 2) << where;
    EXPECT_GT((*group)["recv"].value("calls", 0u), 0u) << where;
    EXPECT_GT((*group)["send"].value("calls", 0u), 0u) << where;
    return group;
}

// Go's runtime makes each socket non-blocking and registers it with its
// netpoller EPOLLIN|EPOLLOUT|EPOLLRDHUP|EPOLLET; a goroutine whose read
// returns EAGAIN parks until the netpoller (epoll_pwait, timeout 0 when
// work is pending, else blocking) reports the fd: edge-triggered. Its
// zero-timeout waits often come back empty, but its waits also sleep. The
// listening socket may get a low et_stall_risk: a burst of connections
// notifies it again while the accept goroutine is still between two
// accept4 calls of its loop (which goes on to EAGAIN): allowed at low.
TEST_F(DiagnosisServersFork, GoProgramIsEpollEt) {
    // Several netpoller threads wait on one epoll fd while goroutines on
    // other threads register (ADD) and delete (DEL, then close) connections:
    // every event a wait returns still names its fd, even when its
    // registration was being made or taken out at that moment (ep_limbo,
    // docs/readiness.md). Nothing lost.
    const ServerRun* s = run("go");
    ASSERT_NE(s, nullptr);
    const int pid = s->pids.at(0);
    expect_server(*s, pid, {"epoll-et", "", true, {}, plus_never({"select_scan_cost"})}, "go_echo_server");
    const json* p = find_process(s->report, pid);
    ASSERT_NE(p, nullptr);
    expect_no_alarm(*p, "go_echo_server");
    // A goroutine reads its fd on whichever thread runs it, often not the
    // thread whose wait reported it: a thread that reads (non-blocking,
    // until EAGAIN) with few or no ready events of its own is part of the
    // epoll loop, never blocking IO.
    for (const json& t : (*p)["threads"]) {
        std::printf("  go thread %d: %s\n", t.value("tid", 0), model_line(t).c_str());
        if (t.value("recv", 0u) > 0) {
            EXPECT_EQ(t["model"].value("name", ""), "epoll-et") << "thread " << t.value("tid", 0) << ": " << brief(t);
        }
    }
}

// prefork: with one listener each child blocks in accept (no poll, no
// accept mutex), then reads its connection through APR's timeout sockets:
// a non-blocking read and, on EAGAIN, poll() on that one fd: `poll`,
// about one wait and one EAGAIN per keep-alive request. The master only
// sleeps (a 1 s timeout wait) and forks: idle. Traced from the master with
// -f, the children are one group.
TEST_F(DiagnosisServersFork, ApachePreforkChildrenPoll) {
    const ServerRun* s = run("apache2");
    ASSERT_NE(s, nullptr);
    const int master = s->pids.at(0);
    const json* m = find_process(s->report, master);
    ASSERT_NE(m, nullptr) << s->report.dump(1);
    EXPECT_EQ(m->value("comm", ""), "apache2");
    expect_no_alarm(*m, "apache2 master");
    const json* g = expect_children(*s, master, "apache2", "apache2 children");
    ASSERT_NE(g, nullptr);
    EXPECT_GT((*g)["recv"].value("calls", 0u), 100u) << "the load did not reach the children";
    expect_diagnosis(*g, {"poll", "", true, {}, plus_never({"et_stall_risk", "select_scan_cost"})},
                     "apache2 children");
    expect_no_alarm(*g, "apache2 children");
    std::printf("  apache2 master: %s\n  apache2 children: %s\n", model_line(*m).c_str(), model_line(*g).c_str());
    if (::testing::Test::HasFailure()) ADD_FAILURE() << brief(*g) << "\nwrk:\n" << s->notes;
}

// Each socat child relays between its connection and its `cat` in a
// select() loop: `select`. socat also reads, MSG_DONTWAIT, an internal
// socketpair for queued diagnostics at each log call site: EAGAIN reads of
// an fd no wait reported. In the children that is most of the syscalls per
// message, and the advice says where they go. The master sleeps in
// pselect6 between connections: with its ~9 checks per connection, 9 ready
// events for ~97 IO calls and ~10% of its calls slept, the counts alone
// named it busy-poll; asleep in its waits most of the traced time, it is
// `select` (tests/workloads/habits.c has both patterns with exact figures).
TEST_F(DiagnosisServersFork, SocatForkChildrenSelect) {
    const ServerRun* s = run("socat");
    ASSERT_NE(s, nullptr);
    const int master = s->pids.at(0);
    const json* m = find_process(s->report, master);
    ASSERT_NE(m, nullptr) << s->report.dump(1);
    // Its first wait was in progress at attach (not counted): 9 or more.
    expect_diagnosis(*m, {"select", "", false, {}, {"busy_poll"}}, "socat master");
    expect_no_alarm(*m, "socat master");
    for (const json& t : (*m)["threads"])
        expect_diagnosis(t, {"select", "", false, {}, {"busy_poll"}}, "socat master thread");
    const json* g = expect_children(*s, master, "socat", "socat children");
    ASSERT_NE(g, nullptr);
    EXPECT_EQ((*g)["group"].value("processes", 0), 10);
    EXPECT_GT((*g)["recv"].value("calls", 0u), 100u) << "the load did not reach the children";
    expect_diagnosis(*g, {"select", "", true, {"syscalls_per_message"}, plus_never({"et_stall_risk"})},
                     "socat children");
    expect_no_alarm(*g, "socat children");
    for (const json& f : (*g)["findings"])
        if (f.value("id", "") == "syscalls_per_message") {
            EXPECT_GT(f["figures"].value("unreported_eagain_per_message", 0.0), 1.0) << f.dump();
            EXPECT_NE(f.value("text", "").find("): most EAGAIN reads were of fds no wait reported"), std::string::npos)
                << f.dump();
        }
    std::printf("  socat master: %s\n  socat children: %s\n", model_line(*m).c_str(), model_line(*g).c_str());
    if (::testing::Test::HasFailure()) ADD_FAILURE() << brief(*g) << "\nload:\n" << s->notes;
}

}  // namespace
}  // namespace itest
