// Diagnosis (issue 5) on real servers, on loopback, under bounded load:
// nginx (two workers: listener level-triggered, connections EPOLLET), redis
// (ae's level-triggered epoll loop) and the reference article's servers
// ported to Python 3 (tests/servers: select, epoll, selectors), a Node.js
// (libuv) and an asyncio echo server (tests/servers) and memcached (4
// libevent worker threads, one process). Each job starts its server in a
// TempDir, waits until it is ready, attaches iotrace
// (-p), waits for the tracing line, runs the load, stops iotrace with SIGINT
// and stops the server; the jobs run side by side (run_parallel). The
// servers and load tools come from scripts/install-deps.sh (nginx-light,
// redis-server, redis-tools, wrk, python3, nodejs, memcached).
#include <gtest/gtest.h>

#include <signal.h>
#include <unistd.h>

#include <chrono>
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

std::string nginx_job(ServerRun& out) {
    const std::string nginx = find_tool("nginx"), wrk = find_tool("wrk");
    if (nginx.empty() || wrk.empty()) return "nginx or wrk missing: run `make deps` (nginx-light, wrk)";
    TempDir tmp;
    const int port = free_port();
    const std::string dir = tmp.path("");
    {
        std::ofstream conf(tmp.path("nginx.conf"));
        conf << "worker_processes 2;\n"
             << "pid " << dir << "nginx.pid;\n"
             << "error_log " << dir << "error.log;\n"
             << "daemon off;\n"
             << "events { worker_connections 256; }\n"
             << "http {\n"
             << "    access_log off;\n"
             << "    client_body_temp_path " << dir << "body;\n"
             << "    proxy_temp_path " << dir << "proxy;\n"
             << "    fastcgi_temp_path " << dir << "fastcgi;\n"
             << "    uwsgi_temp_path " << dir << "uwsgi;\n"
             << "    scgi_temp_path " << dir << "scgi;\n"
             << "    server {\n"
             << "        listen 127.0.0.1:" << port << ";\n"
             << "        location / { return 200 \"ok\\n\"; }\n"
             << "    }\n"
             << "}\n";
    }
    Child master({nginx, "-e", dir + "error.log", "-p", dir, "-c", tmp.path("nginx.conf")});
    ServerGuard guard{master, SIGTERM, {}};
    std::vector<int> workers;
    bool up = poll_until([&] {
        if (master.exited()) return true;
        master.wait_out_line("\x01 pump", 5ms);
        if (std::atoi(read_file(tmp.path("nginx.pid")).c_str()) != master.pid()) return false;
        workers = children_of(master.pid());
        return workers.size() == 2;
    });
    guard.strays = workers;
    if (!up || master.exited())
        return "nginx did not start its 2 workers: " + master.err() + tail(read_file(tmp.path("error.log")));
    int probe = -1;
    if (!poll_until([&] { return (probe = connect_to(port)) >= 0; })) return "nginx does not accept";
    close(probe);

    Tracing tr;
    if (auto e = tr.start(workers, tmp.path("report.json")); !e.empty()) return e;
    std::string wrk_out;
    std::string load_err = run_load({wrk, "-t1", "-c20", "-d1s", "http://127.0.0.1:" + std::to_string(port) + "/"},
                                    &wrk_out);
    std::string stop_err = tr.stop(out.report);
    out.pids = workers;
    out.notes = wrk_out;
    if (!load_err.empty()) return load_err;
    if (wrk_out.find("requests in") == std::string::npos) return "wrk made no requests:\n" + wrk_out;
    return stop_err;
}

std::string redis_job(ServerRun& out) {
    const std::string server = find_tool("redis-server"), cli = find_tool("redis-cli"),
                      bench = find_tool("redis-benchmark");
    if (server.empty() || cli.empty() || bench.empty())
        return "redis-server, redis-cli or redis-benchmark missing: run `make deps` (redis-server, redis-tools)";
    TempDir tmp;
    const std::string port = std::to_string(free_port());
    Child redis({server, "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir",
                 tmp.path("")});
    ServerGuard guard{redis, SIGTERM, {}};
    bool up = poll_until([&] {
        if (redis.exited()) return true;
        Child ping({cli, "-p", port, "ping"});
        return ping.wait_exit(5s) && ping.out() == "PONG\n";
    });
    if (!up || redis.exited()) return "redis did not answer PING: " + tail(redis.out()) + tail(redis.err());

    Tracing tr;
    if (auto e = tr.start({redis.pid()}, tmp.path("report.json")); !e.empty()) return e;
    std::string bench_out;
    std::string load_err = run_load({bench, "-p", port, "-n", "20000", "-c", "20", "-t", "set,get", "-q"}, &bench_out);
    std::string stop_err = tr.stop(out.report);
    out.pids = {redis.pid()};
    out.notes = tail(bench_out, 600);
    return !load_err.empty() ? load_err : stop_err;
}

// Traces pid (-p, into report_file) while load_client.py runs `conns`
// connections of `messages` round trips (its options `extra` added) on
// 127.0.0.1:port; "" when all round trips were made and iotrace stopped well.
std::string traced_load(int pid, int port, int conns, int messages, const std::vector<std::string>& extra,
                        const std::string& report_file, ServerRun& out) {
    const std::string python = find_tool("python3");
    if (python.empty()) return "python3 missing: run `make deps`";
    Tracing tr;
    if (auto e = tr.start({pid}, report_file); !e.empty()) return e;
    std::vector<std::string> argv = {python, servers_dir() + "/load_client.py", "--port", std::to_string(port),
                                     "--conns", std::to_string(conns), "--messages", std::to_string(messages),
                                     "--seconds", "20"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::string load_out;
    std::string load_err = run_load(argv, &load_out);
    std::string stop_err = tr.stop(out.report);
    out.pids = {pid};
    out.notes = load_out;
    if (!load_err.empty()) return load_err;
    if (load_out != "round_trips " + std::to_string(conns * messages) + "\n")
        return "the load did not complete: " + load_out;
    return stop_err;
}

// A test server script (tests/servers/SCRIPT, run by `interpreter`,
// --port 0, prints "listening on 127.0.0.1:PORT"): `idle` connections are
// opened (and accepted) before tracing starts and stay silent throughout;
// the load is load_client.py with `conns` connections of `messages` round
// trips.
std::string script_job(const std::string& interpreter, const std::string& script, int idle, int conns,
                       int messages, int reply, ServerRun& out) {
    const std::string run_with = find_tool(interpreter);
    if (run_with.empty()) return interpreter + " missing: run `make deps`";
    return echo_server_job(script, {run_with, servers_dir() + "/" + script, "--port", "0"}, idle, conns, messages,
                           reply, out);
}

// A reference server, tests/servers/NAME.py.
std::string python_job(const std::string& name, int idle, int conns, int messages, int reply, ServerRun& out) {
    return script_job("python3", name + ".py", idle, conns, messages, reply, out);
}

// memcached, 4 worker threads (libevent), one process: load_client.py's 20
// connections each pipeline a set and a get of one key (a 29-byte answer:
// STORED, VALUE, the byte, END), 200 times.
std::string memcached_job(ServerRun& out) {
    const std::string memcached = find_tool("memcached");
    if (memcached.empty()) return "memcached missing: run `make deps` (memcached)";
    TempDir tmp;
    const int port = free_port();
    Child server({memcached, "-U", "0", "-l", "127.0.0.1", "-p", std::to_string(port), "-t", "4", "-u", "nobody"});
    ServerGuard guard{server, SIGTERM, {}};
    int probe = -1;
    if (!poll_until([&] { return server.exited() || (probe = connect_to(port)) >= 0; }) || server.exited())
        return "memcached does not accept: " + tail(server.err());
    close(probe);

    return traced_load(server.pid(), port, 20, 200, {"--send", "set k 0 0 1\\r\\nx\\r\\nget k\\r\\n", "--reply", "29"},
                       tmp.path("report.json"), out);
}

std::map<std::string, ServerRun> g_runs = {
    {"nginx", {}},         {"redis", {}},        {"select_server", {}}, {"epoll_server", {}},
    {"selectors_server", {}}, {"node_echo", {}}, {"asyncio_echo", {}}, {"memcached", {}},
};

class DiagnosisServers : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        std::vector<std::pair<std::string, RunJob>> jobs = {
            {"nginx", [](TracedRun&) { return nginx_job(g_runs["nginx"]); }},
            {"redis", [](TracedRun&) { return redis_job(g_runs["redis"]); }},
            // 40 silent connections and 5 busy ones: select scans ~45 fds
            // (times two: read and except sets) to find a few.
            {"select_server",
             [](TracedRun&) { return python_job("select_server", 40, 5, 100, 0, g_runs["select_server"]); }},
            // It answers "ok" (2 bytes) and reads each new connection's first
            // message with a blocking recv: no silent connections.
            {"epoll_server",
             [](TracedRun&) { return python_job("epoll_server", 0, 20, 100, 2, g_runs["epoll_server"]); }},
            {"selectors_server",
             [](TracedRun&) { return python_job("selectors_server", 0, 20, 100, 0, g_runs["selectors_server"]); }},
            {"node_echo",
             [](TracedRun&) { return script_job("node", "node_echo_server.js", 0, 20, 100, 0, g_runs["node_echo"]); }},
            {"asyncio_echo",
             [](TracedRun&) {
                 return script_job("python3", "asyncio_echo_server.py", 0, 20, 100, 0, g_runs["asyncio_echo"]);
             }},
            {"memcached", [](TracedRun&) { return memcached_job(g_runs["memcached"]); }},
        };
        results_ = new std::map<std::string, RunResult>(run_parallel(jobs));
    }
    static void TearDownTestSuite() {
        delete results_;
        results_ = nullptr;
    }
    // The run of `name`, asserted to have gone as planned.
    static const ServerRun* run(const std::string& name) {
        const RunResult& r = results_->at(name);
        EXPECT_EQ(r.error, "") << name;
        if (!r.error.empty()) return nullptr;
        const ServerRun& s = g_runs.at(name);
        expect_envelope(s.report);
        return &s;
    }
    static std::map<std::string, RunResult>* results_;
};

std::map<std::string, RunResult>* DiagnosisServers::results_ = nullptr;

// The readiness alarms a healthy event loop must not raise at medium or
// above; a low one may be true of a sound server (memcached, Node.js, below).
const std::vector<std::string> kHealthyNoAlarm = {"busy_poll", "et_stall_risk", "lt_rereports_unread",
                                                  "lt_rereports_partial", "epollout_busy_loop", "empty_wakeups"};

// Asserts that entry has none of `ids` at severity medium or high.
void expect_no_alarm(const json& entry, const std::vector<std::string>& ids, const std::string& where) {
    for (const auto& f : entry.value("findings", json::array())) {
        const std::string id = f.value("id", ""), sev = f.value("severity", "");
        if (std::find(ids.begin(), ids.end(), id) != ids.end()) {
            EXPECT_TRUE(sev != "high" && sev != "medium") << where << ": false alarm " << f.dump();
        }
    }
}

// A healthy level-triggered event loop (process or thread entry): epoll-lt,
// none of kServerNever nor an ET stall nor select's scan cost, no alarm.
void expect_healthy_lt(const json& entry, const std::string& where) {
    expect_diagnosis(entry, {"epoll-lt", "", true, {}, plus_never({"et_stall_risk", "select_scan_cost"})}, where);
    expect_no_alarm(entry, kHealthyNoAlarm, where);
}

// nginx registers its listening socket level-triggered and each connection
// with EPOLLET, reads each request whole: edge-triggered, drained.
TEST_F(DiagnosisServers, NginxWorkersAreEpollEt) {
    const ServerRun* s = run("nginx");
    ASSERT_NE(s, nullptr);
    ASSERT_EQ(s->pids.size(), 2u);
    int served = 0;
    for (int pid : s->pids) {
        const json* p = find_process(s->report, pid);
        ASSERT_NE(p, nullptr) << "worker " << pid << " not in the report:\n" << s->report.dump(1);
        EXPECT_EQ(p->value("comm", ""), "nginx");
        // Connections go to whichever worker wakes first: judge the workers
        // that served (both, nearly always).
        if ((*p)["recv"].value("calls", 0u) < 100) continue;
        ++served;
        expect_server(*s, pid, {"epoll-et", "", true, {}, plus_never({"et_stall_risk", "select_scan_cost"})},
                      "nginx worker " + std::to_string(pid));
    }
    EXPECT_GE(served, 1) << "no worker served the load:\n" << s->report.dump(1);
}

TEST_F(DiagnosisServers, RedisIsEpollLt) {
    const ServerRun* s = run("redis");
    ASSERT_NE(s, nullptr);
    expect_server(*s, s->pids.at(0), {"epoll-lt", "", true, {}, plus_never({"et_stall_risk", "select_scan_cost"})},
                  "redis-server");
    // The event loop is the main thread; redis's background threads make no
    // probed call (or, if they do, are not the loop).
    const json* p = find_process(s->report, s->pids.at(0));
    ASSERT_NE(p, nullptr);
    const json* main_thread = find_thread(*p, s->pids.at(0));
    ASSERT_NE(main_thread, nullptr) << brief(*p);
    expect_diagnosis(*main_thread, {"epoll-lt", "", true, {}, {"busy_poll"}}, "redis main thread");
}

TEST_F(DiagnosisServers, SelectServerIsSelectAndScans) {
    const ServerRun* s = run("select_server");
    ASSERT_NE(s, nullptr);
    expect_server(*s, s->pids.at(0), {"select", "", true, {"select_scan_cost"}, plus_never({"et_stall_risk"})},
                  "select_server.py");
}

TEST_F(DiagnosisServers, EpollServerIsEpollLt) {
    const ServerRun* s = run("epoll_server");
    ASSERT_NE(s, nullptr);
    expect_server(*s, s->pids.at(0), {"epoll-lt", "", true, {}, plus_never({"et_stall_risk", "select_scan_cost"})},
                  "epoll_server.py");
}

TEST_F(DiagnosisServers, SelectorsServerIsEpollLt) {
    const ServerRun* s = run("selectors_server");
    ASSERT_NE(s, nullptr);
    expect_server(*s, s->pids.at(0), {"epoll-lt", "", true, {}, plus_never({"et_stall_risk", "select_scan_cost"})},
                  "selectors_server.py");
}

// A healthy level-triggered server process: expect_server's epoll-lt with
// no alarm.
void expect_healthy_server(const ServerRun& s, const std::string& where) {
    expect_server(s, s.pids.at(0), {"epoll-lt", "", true, {}, plus_never({"et_stall_risk", "select_scan_cost"})},
                  where);
    if (const json* p = find_process(s.report, s.pids.at(0))) expect_no_alarm(*p, kHealthyNoAlarm, where);
}

// libuv (Node.js; 20.x here) registers every fd with epoll_ctl without
// EPOLLET: level-triggered. Since libuv 1.45 it accepts one connection per
// wakeup on purpose (libuv PR #3696), so a burst of connections shows as
// lt_rereports_partial on the listener: about 18 of ~160 waits, a medium
// share, but a few dozen per second, so low (the rate floor,
// kPartialMediumPerS); true, and no alarm. models.c's epoll-accept-one
// does the same at thousands per second: medium.
TEST_F(DiagnosisServers, NodeEchoIsEpollLt) {
    const ServerRun* s = run("node_echo");
    ASSERT_NE(s, nullptr);
    expect_healthy_server(*s, "node_echo_server.js");
}

// asyncio's default loop on Linux is selectors.EpollSelector: level-triggered.
TEST_F(DiagnosisServers, AsyncioEchoIsEpollLt) {
    const ServerRun* s = run("asyncio_echo");
    ASSERT_NE(s, nullptr);
    expect_healthy_server(*s, "asyncio_echo_server.py");
}

// memcached: the main thread accepts and hands each connection to one of 4
// mc-worker threads, each its own libevent loop on its own epoll fd, events
// without EV_ET: level-triggered, per process and per serving thread. A
// low lt_rereports_unread is true of it (about one per connection: a new
// connection's first report only moves it to its read state, the next wait
// reports it again) and so is a low lt_rereports_partial (the main thread
// accepts one connection per report). No epoll fd hands a report to a
// second thread (no herd re-report), so the finding says nothing of a
// shared epoll fd.
TEST_F(DiagnosisServers, MemcachedWorkersAreEpollLt) {
    const ServerRun* s = run("memcached");
    ASSERT_NE(s, nullptr);
    expect_healthy_server(*s, "memcached");
    const json* p = find_process(s->report, s->pids.at(0));
    ASSERT_NE(p, nullptr);
    int served = 0;
    for (const auto& t : (*p)["threads"]) {
        if (t.value("comm", "") != "mc-worker" || t.value("recv", 0u) < 100) continue;
        ++served;
        expect_healthy_lt(t, "memcached worker " + std::to_string(t.value("tid", -1)));
    }
    // 20 connections dealt round-robin to 4 workers.
    EXPECT_EQ(served, 4) << brief(*p);
    EXPECT_EQ((*p)["readiness"].value("herd_rereports", -1), 0);
    for (const auto& f : (*p)["findings"])
        if (f.value("id", "") == "lt_rereports_unread") {
            EXPECT_EQ(f.value("text", "").find("share"), std::string::npos) << f.dump();
        }
}

}  // namespace
}  // namespace itest
