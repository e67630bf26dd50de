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

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "diagnosis_check.h"
#include "harness.h"

namespace itest {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// ---- helpers ---------------------------------------------------------------

// The executable `name` on $PATH or in the sbin directories; "" if none.
std::string find_tool(const std::string& name) {
    std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
    path += ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
    std::istringstream dirs(path);
    std::string dir;
    while (std::getline(dirs, dir, ':')) {
        if (dir.empty()) continue;
        std::string p = dir + "/" + name;
        if (access(p.c_str(), X_OK) == 0) return p;
    }
    return "";
}

std::string servers_dir() { return fs::absolute(fs::path(__FILE__).parent_path().parent_path() / "servers").string(); }

// A TCP port on 127.0.0.1 nobody listens on right now.
int free_port() {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof sa;
    int port = -1;
    if (fd >= 0 && bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0 &&
        getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len) == 0)
        port = ntohs(sa.sin_port);
    if (fd >= 0) close(fd);
    return port;
}

// A connected TCP socket to 127.0.0.1:port, or -1.
int connect_to(int port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(port));
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

// Polls pred every 10 ms until it holds (true) or the timeout (false).
template <class Pred>
bool poll_until(Pred pred, Clock::duration timeout = kTimeout) {
    auto deadline = Clock::now() + timeout;
    while (!pred()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

// Waits until c's stdout has a whole line starting with prefix; returns it.
std::optional<std::string> wait_out_prefix(Child& c, const std::string& prefix) {
    auto deadline = Clock::now() + kTimeout;
    for (;;) {
        std::istringstream in(c.out());
        std::string line;
        size_t complete = c.out().rfind('\n');
        size_t at = 0;
        while (complete != std::string::npos && at <= complete && std::getline(in, line)) {
            if (line.rfind(prefix, 0) == 0) return line;
            at += line.size() + 1;
        }
        if (c.exited() || Clock::now() >= deadline) return std::nullopt;
        c.wait_out_line("\x01 pump", 50ms);  // never printed: just reads the pipes for a while
    }
}

// The children of pid (its main thread's), from /proc.
std::vector<int> children_of(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
    std::vector<int> out;
    int c;
    while (in >> c) out.push_back(c);
    return out;
}

size_t open_fds(int pid) {
    std::error_code ec;
    size_t n = 0;
    for (auto it = fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec); !ec && it != fs::end(it);
         it.increment(ec))
        ++n;
    return n;
}

std::string join_pids(const std::vector<int>& pids) {
    std::string s;
    for (int p : pids) s += (s.empty() ? "" : ",") + std::to_string(p);
    return s;
}

std::string tail(const std::string& s, size_t n = 2000) { return s.size() > n ? s.substr(s.size() - n) : s; }

// iotrace attached to pids (-p) until stop().
class Tracing {
public:
    std::string start(const std::vector<int>& pids, const std::string& file) {
        file_ = file;
        it_ = Child({iotrace_path(), "-p", join_pids(pids), "--json", "-o", file});
        auto line = it_.wait_err_prefix(kTracingPrefix);
        if (!line) return "no tracing line; iotrace stderr:\n" + it_.err();
        for (int p : pids)
            if (line->find(std::to_string(p) + " (") == std::string::npos)
                return "the tracing line does not name " + std::to_string(p) + ": " + *line;
        return "";
    }
    std::string stop(json& report) {
        it_.signal(SIGINT);
        if (!it_.wait_exit()) return "iotrace did not stop on SIGINT; stderr:\n" + it_.err();
        if (it_.exit_code() != 0)
            return "iotrace exited " + std::to_string(it_.exit_code()) + "; stderr:\n" + it_.err();
        report = json::parse(read_file(file_), nullptr, false);
        if (report.is_discarded()) return "the report is not JSON:\n" + tail(read_file(file_));
        return "";
    }

private:
    Child it_;
    std::string file_;
};

// Runs a load tool to its end; "" when it exited 0.
std::string run_load(const std::vector<std::string>& argv, std::string* out = nullptr) {
    Child load(argv);
    if (!load.wait_exit(60s)) return argv[0] + " did not finish";
    if (out) *out = load.out();
    if (load.exit_code() != 0)
        return argv[0] + " exited " + std::to_string(load.exit_code()) + ": " + tail(load.err()) + tail(load.out());
    return "";
}

// A server child stopped on scope exit, whatever happened: `sig`, then
// SIGKILL if it lingers; `strays` (e.g. nginx workers, orphaned if the
// master dies first) are killed and reaped after it.
struct ServerGuard {
    Child& server;
    int sig;
    std::vector<int> strays;
    ~ServerGuard() {
        server.signal(sig);
        if (!server.wait_exit(10s)) server.signal(SIGKILL);
        server.wait_exit(10s);
        for (int p : strays) kill_and_reap(p);
    }
};

struct ServerRun {
    json report;
    std::vector<int> pids;  // the traced processes
    std::string notes;      // what the load printed, for failure messages
};

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
    TempDir tmp;
    Child server({run_with, servers_dir() + "/" + script, "--port", "0"});
    ServerGuard guard{server, SIGINT, {}};
    const std::string prefix = "listening on 127.0.0.1:";
    auto line = wait_out_prefix(server, prefix);
    if (!line) return script + " did not start listening: " + tail(server.err());
    const int port = std::atoi(line->c_str() + prefix.size());

    std::vector<int> silent;
    struct Closer {
        std::vector<int>& fds;
        ~Closer() {
            for (int fd : fds) close(fd);
        }
    } closer{silent};
    const size_t fds_before = open_fds(server.pid());
    for (int i = 0; i < idle; ++i) {
        int fd = connect_to(port);
        if (fd < 0) return "idle connection " + std::to_string(i) + " failed";
        silent.push_back(fd);
    }
    if (!poll_until([&] { return open_fds(server.pid()) >= fds_before + static_cast<size_t>(idle); }))
        return script + " did not accept the idle connections";

    std::vector<std::string> extra;
    if (reply > 0) extra = {"--reply", std::to_string(reply)};
    return traced_load(server.pid(), port, conns, messages, extra, tmp.path("report.json"), out);
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

// Findings no event-loop server under this load may show.
const std::vector<std::string> kServerNever = {"busy_poll", "blocking_switches", "thundering_herd"};

std::vector<std::string> plus_never(const std::vector<std::string>& more) {
    std::vector<std::string> v = kServerNever;
    v.insert(v.end(), more.begin(), more.end());
    return v;
}

void expect_server(const ServerRun& s, int pid, const DiagExp& e, const std::string& where) {
    const json* p = find_process(s.report, pid);
    ASSERT_NE(p, nullptr) << where << ": pid " << pid << " not in the report:\n" << s.report.dump(1);
    EXPECT_GT((*p)["recv"].value("calls", 0u), 100u) << where << ": the load did not reach it";
    expect_diagnosis(*p, e, where);
    std::printf("  %s: %s\n", where.c_str(), model_line(*p).c_str());  // what each real server looks like
    if (::testing::Test::HasFailure())
        ADD_FAILURE() << where << "'s report:\n" << brief(*p) << "\nload output:\n" << s.notes;
}

// The readiness alarms a healthy event loop must not raise at medium or
// above; a low one may be true of a sound server (memcached, below).
const std::vector<std::string> kHealthyNoAlarm = {"busy_poll", "et_stall_risk", "lt_rereports_unread",
                                                  "epollout_busy_loop", "empty_wakeups"};

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
// lt_rereports_partial on the listener (medium here: about 18 of ~160
// waits); true, and no alarm.
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
// accepts one connection per report).
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
}

}  // namespace
}  // namespace itest
