// Shared by the diagnosis tests on real servers (diagnosis_servers*_test.cpp):
// starting a server in a TempDir, waiting until it is ready, attaching
// iotrace, running a bounded loopback load and judging each server's entry.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "diagnosis_check.h"
#include "harness.h"

namespace itest {

// The executable `name` on $PATH or in the sbin directories; "" if none.
std::string find_tool(const std::string& name);

// tests/servers, absolute.
std::string servers_dir();

// A TCP port on 127.0.0.1 nobody listens on right now.
int free_port();

// A connected TCP socket to 127.0.0.1:port, or -1.
int connect_to(int port);

// Polls pred every 10 ms until it holds (true) or the timeout (false).
template <class Pred>
bool poll_until(Pred pred, Clock::duration timeout = kTimeout) {
    auto deadline = Clock::now() + timeout;
    while (!pred()) {
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

// Waits until c's stdout has a whole line starting with prefix; returns it.
std::optional<std::string> wait_out_prefix(Child& c, const std::string& prefix);

// The children of pid (its main thread's), from /proc.
std::vector<int> children_of(int pid);

size_t open_fds(int pid);

std::string join_pids(const std::vector<int>& pids);

std::string tail(const std::string& s, size_t n = 2000);

// iotrace attached to pids (-p, plus `extra` options such as -f) until stop().
class Tracing {
public:
    std::string start(const std::vector<int>& pids, const std::string& file,
                      const std::vector<std::string>& extra = {});
    std::string stop(json& report);

private:
    Child it_;
    std::string file_;
};

// Runs a load tool to its end; "" when it exited 0.
std::string run_load(const std::vector<std::string>& argv, std::string* out = nullptr);

// A server child stopped on scope exit, whatever happened: `sig`, then
// SIGKILL if it lingers; `strays` (e.g. nginx workers, orphaned if the
// master dies first) are killed and reaped after it.
struct ServerGuard {
    Child& server;
    int sig;
    std::vector<int> strays;
    ~ServerGuard();
};

struct ServerRun {
    json report;
    std::vector<int> pids;  // the traced processes
    std::string notes;      // what the load printed, for failure messages
};

// An echo-style server started as `server_argv` that prints "listening on
// 127.0.0.1:PORT" when ready (or, with known_port > 0, that listens there
// once it accepts a probe connection): `idle` connections are opened (and accepted)
// before tracing starts and stay silent throughout; the load is
// load_client.py with `conns` connections of `messages` round trips
// (`reply` bytes each; 0: an echo). `name` names it in messages; `trace`
// are extra iotrace options. The server is stopped with SIGINT.
std::string echo_server_job(const std::string& name, const std::vector<std::string>& server_argv, int idle, int conns,
                            int messages, int reply, ServerRun& out, const std::vector<std::string>& trace = {},
                            int known_port = 0);

// Findings no event-loop server under this load may show.
extern const std::vector<std::string> kServerNever;

// kServerNever and `more`.
std::vector<std::string> plus_never(const std::vector<std::string>& more);

// Asserts the entry of pid in s's report: the load reached it (recv calls >
// 100) and its diagnosis is e; prints its model line.
void expect_server(const ServerRun& s, int pid, const DiagExp& e, const std::string& where);

}  // namespace itest
