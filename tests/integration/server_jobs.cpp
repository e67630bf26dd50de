// Shared by the diagnosis tests on real servers (server_jobs.h).
#include "server_jobs.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace itest {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

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

std::string tail(const std::string& s, size_t n) { return s.size() > n ? s.substr(s.size() - n) : s; }

std::string Tracing::start(const std::vector<int>& pids, const std::string& file,
                           const std::vector<std::string>& extra) {
    file_ = file;
    std::vector<std::string> argv = {iotrace_path(), "-p", join_pids(pids), "--json", "-o", file};
    argv.insert(argv.end(), extra.begin(), extra.end());
    it_ = Child(argv);
    auto line = it_.wait_err_prefix(kTracingPrefix);
    if (!line) return "no tracing line; iotrace stderr:\n" + it_.err();
    for (int p : pids)
        if (line->find(std::to_string(p) + " (") == std::string::npos)
            return "the tracing line does not name " + std::to_string(p) + ": " + *line;
    return "";
}

std::string Tracing::stop(json& report) {
    it_.signal(SIGINT);
    if (!it_.wait_exit()) return "iotrace did not stop on SIGINT; stderr:\n" + it_.err();
    if (it_.exit_code() != 0)
        return "iotrace exited " + std::to_string(it_.exit_code()) + "; stderr:\n" + it_.err();
    report = json::parse(read_file(file_), nullptr, false);
    if (report.is_discarded()) return "the report is not JSON:\n" + tail(read_file(file_));
    return "";
}

// Runs a load tool to its end; "" when it exited 0.
std::string run_load(const std::vector<std::string>& argv, std::string* out) {
    Child load(argv);
    if (!load.wait_exit(60s)) return argv[0] + " did not finish";
    if (out) *out = load.out();
    if (load.exit_code() != 0)
        return argv[0] + " exited " + std::to_string(load.exit_code()) + ": " + tail(load.err()) + tail(load.out());
    return "";
}

ServerGuard::~ServerGuard() {
    server.signal(sig);
    if (!server.wait_exit(10s)) server.signal(SIGKILL);
    server.wait_exit(10s);
    for (int p : strays) kill_and_reap(p);
}

std::string echo_server_job(const std::string& name, const std::vector<std::string>& server_argv, int idle, int conns,
                            int messages, int reply, ServerRun& out, const std::vector<std::string>& trace,
                            int known_port) {
    const std::string python = find_tool("python3");
    if (python.empty()) return "python3 missing: run `make deps`";
    TempDir tmp;
    Child server(server_argv);
    ServerGuard guard{server, SIGINT, {}};
    int port = known_port;
    if (port > 0) {
        int probe = -1;
        if (!poll_until([&] { return server.exited() || (probe = connect_to(port)) >= 0; }) || probe < 0)
            return name + " does not accept: " + tail(server.err());
        close(probe);
    } else {
        const std::string prefix = "listening on 127.0.0.1:";
        auto line = wait_out_prefix(server, prefix);
        if (!line) return name + " did not start listening: " + tail(server.err());
        port = std::atoi(line->c_str() + prefix.size());
    }

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
        return name + " did not accept the idle connections";

    Tracing tr;
    if (auto e = tr.start({server.pid()}, tmp.path("report.json"), trace); !e.empty()) return e;
    std::vector<std::string> argv = {python, servers_dir() + "/load_client.py", "--port", std::to_string(port),
                                     "--conns", std::to_string(conns), "--messages", std::to_string(messages),
                                     "--seconds", "20"};
    if (reply > 0) argv.insert(argv.end(), {"--reply", std::to_string(reply)});
    std::string load_out;
    std::string load_err = run_load(argv, &load_out);
    std::string stop_err = tr.stop(out.report);
    out.pids = {server.pid()};
    out.notes = load_out;
    if (!load_err.empty()) return load_err;
    if (load_out != "round_trips " + std::to_string(conns * messages) + "\n")
        return "the load did not complete: " + load_out;
    return stop_err;
}

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

}  // namespace itest
