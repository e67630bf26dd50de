#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <thread>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace itest {
namespace {

// iotrace leaves a command it launched running when it stops early (-d,
// SIGTERM): as subreaper we inherit it and can reap it (kill_and_reap).
const bool kSubreaper = [] { return prctl(PR_SET_CHILD_SUBREAPER, 1) == 0; }();

std::string env_or(const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return v && *v ? v : fallback;
}

}  // namespace

std::string iotrace_path() { return env_or("IOTRACE", "build/iotrace"); }

std::string workload(const std::string& name) { return env_or("WORKLOADS", "build/workloads") + "/" + name; }

// ---- Child ---------------------------------------------------------------

Child::Child(const std::vector<std::string>& argv) {
    (void)kSubreaper;
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
        ADD_FAILURE() << "pipe2: " << std::strerror(errno);
        return;
    }
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    std::vector<char*> av;
    for (const auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
    av.push_back(nullptr);

    pid_ = fork();
    if (pid_ == 0) {
        dup2(devnull, 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, nullptr);
        execv(av[0], av.data());
        static const char msg[] = "harness: exec failed\n";  // async-signal-safe only
        (void)!write(2, msg, sizeof msg - 1);
        _exit(127);
    }
    close(out[1]);
    close(err[1]);
    close(devnull);
    if (pid_ < 0) {
        ADD_FAILURE() << "fork: " << std::strerror(errno);
        close(out[0]);
        close(err[0]);
        return;
    }
    out_fd_ = out[0];
    err_fd_ = err[0];
    fcntl(out_fd_, F_SETFL, O_NONBLOCK);
    fcntl(err_fd_, F_SETFL, O_NONBLOCK);
    pidfd_ = static_cast<int>(syscall(SYS_pidfd_open, pid_, 0));
    if (pidfd_ < 0) ADD_FAILURE() << "pidfd_open: " << std::strerror(errno);
}

Child::Child(Child&& o) noexcept { *this = std::move(o); }

Child& Child::operator=(Child&& o) noexcept {
    if (this == &o) return *this;
    reset();
    pid_ = o.pid_;
    pidfd_ = o.pidfd_;
    out_fd_ = o.out_fd_;
    err_fd_ = o.err_fd_;
    out_ = std::move(o.out_);
    err_ = std::move(o.err_);
    reaped_ = o.reaped_;
    status_ = o.status_;
    err_scan_ = o.err_scan_;
    o.pid_ = o.pidfd_ = o.out_fd_ = o.err_fd_ = -1;
    o.reaped_ = true;
    return *this;
}

void Child::reset() {
    if (pid_ > 0 && !reaped_) {
        kill(pid_, SIGKILL);
        waitpid(pid_, &status_, 0);
        reaped_ = true;
    }
    for (int* fd : {&pidfd_, &out_fd_, &err_fd_})
        if (*fd >= 0) {
            close(*fd);
            *fd = -1;
        }
}

Child::~Child() { reset(); }

void Child::pump(Clock::duration wait) {
    pollfd fds[3];
    int n = 0;
    if (out_fd_ >= 0) fds[n++] = {out_fd_, POLLIN, 0};
    if (err_fd_ >= 0) fds[n++] = {err_fd_, POLLIN, 0};
    if (!reaped_ && pidfd_ >= 0) fds[n++] = {pidfd_, POLLIN, 0};
    if (n == 0) return;
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(wait).count();
    // Once the child is gone, a pipe still held open by a grandchild must not
    // keep us waiting: just take what is there.
    if (reaped_) ms = 0;
    if (poll(fds, n, static_cast<int>(std::max<long long>(ms, 0))) < 0 && errno != EINTR) {
        ADD_FAILURE() << "poll: " << std::strerror(errno);
        return;
    }
    for (auto [fd, buf] : {std::pair{&out_fd_, &out_}, std::pair{&err_fd_, &err_}}) {
        while (*fd >= 0) {
            char b[8192];
            ssize_t r = read(*fd, b, sizeof b);
            if (r > 0) {
                buf->append(b, static_cast<size_t>(r));
                continue;
            }
            if (r == 0) {  // EOF
                close(*fd);
                *fd = -1;
            }
            break;  // EAGAIN (or an error: give up on this pipe for now)
        }
    }
    if (!reaped_ && waitpid(pid_, &status_, WNOHANG) == pid_) {
        reaped_ = true;
        pump(Clock::duration::zero());  // what it wrote just before exiting
    }
}

bool Child::wait_out_line(const std::string& line, Clock::duration timeout) {
    auto deadline = Clock::now() + timeout;
    const std::string want = line + "\n";
    for (;;) {
        size_t at = 0;
        while ((at = out_.find(want, at)) != std::string::npos) {
            if (at == 0 || out_[at - 1] == '\n') return true;
            ++at;
        }
        auto now = Clock::now();
        if (now >= deadline) return false;
        if (reaped_ && out_fd_ < 0) return false;
        bool was_reaped = reaped_;
        pump(deadline - now);
        if (was_reaped) return out_.find(want) != std::string::npos;
    }
}

bool Child::wait_out(const std::function<bool(const std::string&)>& pred, Clock::duration timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        if (pred(out_)) return true;
        auto now = Clock::now();
        if (now >= deadline) return false;
        if (reaped_ && out_fd_ < 0) return false;
        bool was_reaped = reaped_;
        pump(deadline - now);
        if (was_reaped) return pred(out_);
    }
}

std::optional<std::string> Child::wait_err_prefix(const std::string& prefix, Clock::duration timeout) {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        size_t start = err_scan_;
        size_t nl;
        while ((nl = err_.find('\n', start)) != std::string::npos) {
            std::string l = err_.substr(start, nl - start);
            start = nl + 1;
            if (l.rfind(prefix, 0) == 0) {
                err_scan_ = start;
                return l;
            }
        }
        auto now = Clock::now();
        if (now >= deadline) return std::nullopt;
        if (reaped_) return std::nullopt;  // pump() drained it on exit
        pump(deadline - now);
    }
}

bool Child::wait_exit(Clock::duration timeout) {
    auto deadline = Clock::now() + timeout;
    while (!reaped_) {
        auto now = Clock::now();
        if (now >= deadline) return false;
        pump(deadline - now);
    }
    pump(Clock::duration::zero());
    return true;
}

int Child::exit_code() const {
    if (!reaped_) return -1;
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
    return -1;
}

void Child::signal(int sig) {
    if (pid_ > 0 && !reaped_) kill(pid_, sig);
}

// ---- files -----------------------------------------------------------------

TempDir::TempDir() {
    char tmpl[] = "/tmp/iotrace-it.XXXXXX";
    if (!mkdtemp(tmpl)) ADD_FAILURE() << "mkdtemp: " << std::strerror(errno);
    dir_ = tmpl;
}

TempDir::~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
}

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

json read_json(const std::string& path) {
    std::string text = read_file(path);
    json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) ADD_FAILURE() << "not JSON: " << path << ":\n" << text.substr(0, 2000);
    return j;
}

// ---- expectations ------------------------------------------------------------

Expect& Expect::operator+=(const Expect& o) {
    for (const auto& [name, s] : o.sys) {
        SysExp& d = sys[name];
        d.calls += s.calls;
        d.errors += s.errors;
        d.eagain += s.eagain;
    }
    waits.calls += o.waits.calls;
    waits.empty += o.waits.empty;
    waits.ready += o.waits.ready;
    waits.watched += o.waits.watched;
    waits.scanned += o.waits.scanned;
    recv.calls += o.recv.calls;
    recv.bytes += o.recv.bytes;
    recv.eagain += o.recv.eagain;
    recv.eof += o.recv.eof;
    recv.short_ += o.recv.short_;
    send.calls += o.send.calls;
    send.bytes += o.send.bytes;
    send.eagain += o.send.eagain;
    copy.wait_in += o.copy.wait_in;
    copy.wait_out += o.copy.wait_out;
    return *this;
}

const std::vector<std::string>& probed_syscalls() {
    static const std::vector<std::string> names = {
        "select",   "pselect6", "poll",     "ppoll",   "epoll_wait", "epoll_pwait",
        "epoll_pwait2", "epoll_ctl", "recvfrom", "recvmsg", "recvmmsg", "read",
        "readv",    "sendto",   "sendmsg",  "sendmmsg", "write",     "writev",
        "accept",   "accept4",  "close",    "io_uring_enter",
    };
    return names;
}

namespace {

// j[key] as an unsigned number; a failure (and a value no test expects) when
// it is missing or not a number.
uint64_t num(const json& j, const char* key, const std::string& where) {
    if (!j.is_object() || !j.contains(key) || !j[key].is_number_unsigned()) {
        ADD_FAILURE() << where << "." << key << " missing or not an unsigned number";
        return UINT64_MAX;
    }
    return j[key].get<uint64_t>();
}

const json& member(const json& j, const char* key) {
    static const json null_json;
    if (!j.is_object() || !j.contains(key)) {
        ADD_FAILURE() << "missing \"" << key << "\"";
        return null_json;
    }
    return j[key];
}

}  // namespace

uint64_t calls_of(const json& proc, const std::string& name) {
    if (!proc.contains("syscalls") || !proc["syscalls"].contains(name)) return 0;
    return num(proc["syscalls"][name], "calls", name);
}

void expect_unavailable_list(const json& p, const std::set<std::string>& names) {
    const json& list = member(p, "unavailable");
    ASSERT_TRUE(list.is_array()) << "unavailable must be an array";
    std::set<std::string> got;
    for (const auto& n : list) got.insert(n.is_string() ? n.get<std::string>() : n.dump());
    EXPECT_EQ(got, names) << "the process's unavailable list";
}

void expect_null_figures(const json& obj, const std::string& where) {
    ASSERT_TRUE(obj.is_object() && !obj.empty()) << where << " must be an object of null figures, is " << obj.dump();
    for (const auto& [k, v] : obj.items()) EXPECT_TRUE(v.is_null()) << where << "." << k << " must be null";
}

void expect_figure(const json& obj, const char* key, uint64_t want, const std::string& where, bool unavailable) {
    if (unavailable) {
        EXPECT_TRUE(obj.is_object() && obj.contains(key) && obj[key].is_null()) << where << "." << key << " must be null";
    } else {
        EXPECT_EQ(num(obj, key, where), want) << where << "." << key;
    }
}

void expect_syscalls(const json& sc, const std::map<std::string, SysExp>& sys,
                     const std::set<std::string>& unavailable) {
    for (const std::string& name : probed_syscalls()) {
        if (unavailable.count("syscalls." + name)) {
            expect_null_figures(sc.value(name, json::object()), name);
            continue;
        }
        SysExp want = sys.count(name) ? sys.at(name) : SysExp{};
        SysExp got;
        if (sc.is_object() && sc.contains(name)) {
            const json& s = sc[name];
            got = {num(s, "calls", name), num(s, "errors", name), num(s, "eagain", name)};
            uint64_t time_ns = num(s, "time_ns", name);
            const json& hist = member(s, "hist_log2_ns");
            EXPECT_TRUE(hist.is_array() && hist.size() == 40) << name << ".hist_log2_ns must have 40 slots";
            uint64_t sum = 0;
            if (hist.is_array())
                for (const auto& v : hist) sum += v.get<uint64_t>();
            EXPECT_EQ(sum, got.calls) << name << ": hist_log2_ns must sum to calls";
            if (got.calls > 0) {
                EXPECT_GT(time_ns, 0u) << name << ".time_ns";
            } else {
                EXPECT_EQ(time_ns, 0u) << name << ".time_ns with no call";
            }
        }
        EXPECT_EQ(got.calls, want.calls) << name << ".calls";
        EXPECT_EQ(got.errors, want.errors) << name << ".errors";
        EXPECT_EQ(got.eagain, want.eagain) << name << ".eagain";
    }
    if (sc.is_object()) {
        for (const auto& [k, v] : sc.items()) {
            EXPECT_NE(std::find(probed_syscalls().begin(), probed_syscalls().end(), k), probed_syscalls().end())
                << "unknown syscall in report: " << k;
        }
    }
}

void expect_figures(const json& p, const Expect& e, const std::set<std::string>& unavailable) {
    expect_unavailable_list(p, unavailable);
    auto out = [&](const std::string& name) { return unavailable.count(name) > 0; };
    expect_syscalls(member(p, "syscalls"), e.sys, unavailable);

    const auto& fig = expect_figure;
    const json& w = member(p, "waits");
    const bool wo = out("waits");
    fig(w, "calls", e.waits.calls, "waits", wo);
    fig(w, "empty", e.waits.empty, "waits", wo);
    fig(w, "ready", e.waits.ready, "waits", wo);
    fig(w, "watched", e.waits.watched, "waits", wo || out("waits.watched"));
    fig(w, "scanned", e.waits.scanned, "waits", wo);
    if (wo || out("waits.cpu_ns")) {
        EXPECT_TRUE(w.contains("cpu_ns") && w["cpu_ns"].is_null()) << "waits.cpu_ns must be null";
    }

    const json& r = member(p, "recv");
    fig(r, "calls", e.recv.calls, "recv", out("recv"));
    fig(r, "bytes", e.recv.bytes, "recv", out("recv"));
    fig(r, "eagain", e.recv.eagain, "recv", out("recv"));
    fig(r, "eof", e.recv.eof, "recv", out("recv"));
    fig(r, "short", e.recv.short_, "recv", out("recv"));

    const json& s = member(p, "send");
    fig(s, "calls", e.send.calls, "send", out("send"));
    fig(s, "bytes", e.send.bytes, "send", out("send"));
    fig(s, "eagain", e.send.eagain, "send", out("send"));

    const json& c = member(p, "copy");
    fig(c, "wait_in_bytes", e.copy.wait_in, "copy", out("copy.wait_in_bytes"));
    fig(c, "wait_out_bytes", e.copy.wait_out, "copy", out("copy.wait_out_bytes"));
    fig(c, "recv_bytes", e.recv.bytes, "copy", out("copy.recv_bytes"));
    fig(c, "send_bytes", e.send.bytes, "copy", out("copy.send_bytes"));
}

void expect_envelope(const json& report) {
    ASSERT_TRUE(report.is_object()) << "report is not a JSON object";
    EXPECT_EQ(report.value("tool", ""), "iotrace");
    EXPECT_EQ(report.value("schema", -1), 1);
    EXPECT_TRUE(report.contains("version") && report["version"].is_string()) << "version";
    EXPECT_TRUE(report.contains("duration_s") && report["duration_s"].is_number() &&
                report["duration_s"].get<double>() >= 0)
        << "duration_s";
    EXPECT_EQ(num(report, "lost_events", "report"), 0u) << "lost_events";
    EXPECT_TRUE(report.contains("processes") && report["processes"].is_array()) << "processes";
}

void expect_nothing_lost(const json& report, const std::string& where) {
    expect_envelope(report);
    if (!report.contains("lost")) return;
    for (const auto& [reason, n] : report["lost"].items()) EXPECT_EQ(n, 0) << where << " lost." << reason;
}

const json* find_process(const json& report, int pid) {
    if (!report.is_object() || !report.contains("processes") || !report["processes"].is_array()) return nullptr;
    for (const auto& p : report["processes"])
        if (p.is_object() && p.value("pid", -1) == pid) return &p;
    return nullptr;
}

long var_in(const std::string& out, const std::string& name) {
    std::string key = "var " + name + " ";
    auto at = out.find(key);
    return at == std::string::npos ? -1 : std::stol(out.substr(at + key.size()));
}

int pid_in_tracing_line(const std::string& line) {
    std::string prefix = kTracingPrefix;
    if (line.rfind(prefix, 0) != 0) return -1;
    size_t end = line.find_first_not_of("0123456789", prefix.size());
    if (end == prefix.size()) return -1;
    return std::stoi(line.substr(prefix.size(), end - prefix.size()));
}

namespace {

std::string with_stderr(const std::string& what, const Child& it) {
    return what + "; iotrace exit " + std::to_string(it.exit_code()) + ", stderr:\n" + it.err();
}

std::string read_report(const std::string& file, json& out) { return parse_report(read_file(file), out); }

}  // namespace

std::string parse_report(const std::string& text, json& out) {
    out = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (out.is_discarded()) return "report is not JSON:\n" + text.substr(0, 2000);
    return "";
}

std::string check_launched_run(const std::string& wl_name, int iotrace_exit, TracedRun& out) {
    auto with_err = [&](const std::string& what) {
        return what + "; iotrace exit " + std::to_string(iotrace_exit) + ", stderr:\n" + out.iotrace_err;
    };
    const std::string comm = "(" + wl_name.substr(0, 15) + ")";
    std::istringstream lines(out.iotrace_err);
    std::string line;
    while (std::getline(lines, line) && line.rfind(kTracingPrefix, 0) != 0) {
    }
    if (line.rfind(kTracingPrefix, 0) != 0) return with_err("no tracing line");
    out.tracing_line = line;
    out.target_pid = pid_in_tracing_line(line);
    if (out.target_pid <= 0 || line.find(comm) == std::string::npos)
        return "tracing line does not name a pid " + comm + ": " + line;
    // The workload shares iotrace's stderr: its own checks print "NAME: FAIL".
    if (out.iotrace_err.find(wl_name + ":") != std::string::npos) return with_err(wl_name + " complained");
    if (iotrace_exit != 0) return with_err("iotrace failed");
    return "";
}

void expect_single_process_report(const TracedRun& run, const std::string& comm, const Expect& e) {
    const json& report = run.report;
    expect_envelope(report);
    ASSERT_EQ(report["processes"].size(), 1u) << report.dump(1);
    const json& p = report["processes"][0];
    EXPECT_EQ(p.value("pid", -1), run.target_pid);
    EXPECT_EQ(p.value("comm", ""), comm);
    EXPECT_EQ(p.value("exited", false), true);
    expect_figures(p, e);
}

std::string run_attached(const std::vector<std::string>& wl_args, const std::vector<std::string>& extra,
                         TracedRun& out, bool json) {
    return run_attached_to("iowork", wl_args, extra, out, json);
}

std::string run_attached_to(const std::string& wl_name, const std::vector<std::string>& wl_args,
                            const std::vector<std::string>& extra, TracedRun& out, bool json) {
    TempDir tmp;
    const std::string comm = "(" + wl_name.substr(0, 15) + ")";
    std::vector<std::string> wl_argv = {workload(wl_name)};
    wl_argv.insert(wl_argv.end(), wl_args.begin(), wl_args.end());
    wl_argv.push_back("--wait");
    Child wl(wl_argv);
    if (!wl.wait_out_line("ready")) return wl_name + " never said ready; stderr: " + wl.err();
    out.target_pid = wl.pid();

    std::string file = tmp.path("report.json");
    std::vector<std::string> argv = {iotrace_path(), "-p", std::to_string(wl.pid())};
    argv.insert(argv.end(), extra.begin(), extra.end());
    if (json) argv.insert(argv.end(), {"--json", "-o", file});
    Child it(argv);
    auto line = it.wait_err_prefix(kTracingPrefix);
    if (!line) return with_stderr("no tracing line", it);
    out.tracing_line = *line;
    if (pid_in_tracing_line(*line) != wl.pid() || line->find(comm) == std::string::npos)
        return "tracing line does not name " + std::to_string(wl.pid()) + " " + comm + ": " + *line;

    wl.signal(SIGUSR1);
    if (!wl.wait_exit()) return wl_name + " did not finish";
    out.workload_out = wl.out();
    if (wl.exit_code() != 0)
        return wl_name + " exited " + std::to_string(wl.exit_code()) + ": " + wl.err();
    if (!it.wait_exit()) return with_stderr("iotrace did not exit after its target", it);
    out.iotrace_err = it.err();
    out.iotrace_out = it.out();
    if (it.exit_code() != 0) return with_stderr("iotrace failed", it);
    return json ? read_report(file, out.report) : "";
}

std::string run_launched(const std::vector<std::string>& wl_args, const std::vector<std::string>& extra,
                         TracedRun& out) {
    return run_launched_cmd("iowork", wl_args, extra, out);
}

std::string run_launched_cmd(const std::string& wl_name, const std::vector<std::string>& wl_args,
                             const std::vector<std::string>& extra, TracedRun& out) {
    TempDir tmp;
    std::string file = tmp.path("report.json");
    std::vector<std::string> argv = {iotrace_path()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.insert(argv.end(), {"--json", "-o", file, "--", workload(wl_name)});
    argv.insert(argv.end(), wl_args.begin(), wl_args.end());
    Child it(argv);
    if (!it.wait_err_prefix(kTracingPrefix)) return with_stderr("no tracing line", it);
    if (!it.wait_exit()) return with_stderr("iotrace did not exit after its command", it);
    out.iotrace_err = it.err();
    out.iotrace_out = it.out();
    out.workload_out = it.out();  // the command writes to iotrace's stdout
    std::string error = check_launched_run(wl_name, it.exit_code(), out);
    if (!error.empty()) return error;
    return read_report(file, out.report);
}

int parallel_jobs() {
    const char* v = std::getenv("ITEST_JOBS");
    int n = v && *v ? std::atoi(v) : 8;
    return std::max(n, 1);
}

std::map<std::string, RunResult> run_parallel(const std::vector<std::pair<std::string, RunJob>>& jobs) {
    std::map<std::string, RunResult> results;
    for (const auto& j : jobs) results[j.first];  // all nodes exist before the threads start
    std::atomic<size_t> next{0};
    auto worker = [&] {
        for (size_t i; (i = next++) < jobs.size();) {
            RunResult& r = results.at(jobs[i].first);
            r.error = jobs[i].second(r.run);
        }
    };
    std::vector<std::thread> threads;
    for (int t = 0; t < std::min<int>(parallel_jobs(), static_cast<int>(jobs.size())); ++t) threads.emplace_back(worker);
    for (auto& t : threads) t.join();
    return results;
}

void kill_and_reap(pid_t pid) {
    if (pid <= 0) return;
    if (kill(pid, SIGKILL) != 0 && errno == ESRCH) {
        waitpid(pid, nullptr, WNOHANG);  // a zombie of ours? (ESRCH is not given for those)
        return;
    }
    waitpid(pid, nullptr, 0);  // ECHILD at once if it is not ours
}

std::map<std::string, SysExp> parse_strace_summary(const std::string& text) {
    std::map<std::string, SysExp> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream f(line);
        std::string name;
        if (!(f >> name) || name == "syscall" || name == "total" || name[0] == '-') continue;
        SysExp s;
        f >> s.calls;
        if (!(f >> s.errors)) s.errors = 0;  // strace leaves the cell empty for 0
        out[name] = s;
    }
    return out;
}

long rss_kb(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
    return -1;
}

std::string largest_mappings(int pid, size_t n) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/smaps");
    std::vector<std::pair<long, std::string>> maps;
    std::string line, header;
    while (std::getline(in, line)) {
        // a mapping's first line is its range, "7f3a...-7f3b... rw-p ..."
        std::string first = line.substr(0, line.find(' '));
        if (first.find('-') != std::string::npos &&
            first.find_first_not_of("0123456789abcdef-") == std::string::npos)
            header = line;
        else if (line.rfind("Rss:", 0) == 0)
            maps.emplace_back(std::stol(line.substr(4)), header);
    }
    std::sort(maps.begin(), maps.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string out;
    for (size_t i = 0; i < std::min(n, maps.size()); ++i)
        out += std::to_string(maps[i].first) + " kB  " + maps[i].second + "\n";
    return out;
}

std::vector<std::string> ticker_argv(const std::string& mode, int rate, long n, const std::string& copy_as,
                                     const TempDir* dir) {
    std::string bin = workload("ticker");
    if (!copy_as.empty()) {
        std::string to = dir->path(copy_as);
        std::filesystem::copy_file(bin, to, std::filesystem::copy_options::overwrite_existing);
        std::filesystem::permissions(to, std::filesystem::perms::owner_all | std::filesystem::perms::others_exec |
                                             std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                             std::filesystem::perms::group_read);
        bin = to;
    }
    return {bin, mode, std::to_string(rate), std::to_string(n)};
}

std::vector<std::string> as_nobody(std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"/usr/bin/setpriv", "--reuid=" + std::to_string(kNobody),
                               "--regid=" + std::to_string(kNobody), "--clear-groups"});
    return argv;
}

Child start_ticker(const std::vector<std::string>& argv) {
    Child c(argv);
    EXPECT_TRUE(c.wait_out([](const std::string& o) { return o.find("var pid ") != std::string::npos; }))
        << c.err();
    return c;
}

}  // namespace itest
