// Integration-test harness: spawn iotrace and the iowork workloads with
// pipes, wait for what they print (never sleep: timeouts are only a safety
// net), and check iotrace's JSON reports figure by figure.
//
// Environment: IOTRACE (the iotrace binary) and WORKLOADS (the directory of
// build/workloads); `make integration` sets both. Tests run as root.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace itest {

using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

// Safety net for anything a test waits on.
constexpr std::chrono::seconds kTimeout{30};

std::string iotrace_path();              // $IOTRACE (default build/iotrace)
std::string workload(const std::string& name);  // $WORKLOADS/name (default build/workloads)

// A child process with its stdout and stderr on pipes (stdin: /dev/null).
class Child {
public:
    Child() = default;
    explicit Child(const std::vector<std::string>& argv);
    Child(const Child&) = delete;
    Child& operator=(const Child&) = delete;
    Child(Child&& o) noexcept;
    Child& operator=(Child&& o) noexcept;
    ~Child();  // SIGKILLs and reaps a child still running

    pid_t pid() const { return pid_; }
    const std::string& out() const { return out_; }
    const std::string& err() const { return err_; }

    // Waits until stdout holds the line `line` (without its '\n'). False on
    // timeout, or when the child exited without printing it.
    bool wait_out_line(const std::string& line, Clock::duration timeout = kTimeout);
    // Waits until pred(stdout so far) holds. False on timeout, or when the
    // child exited without it holding.
    bool wait_out(const std::function<bool(const std::string&)>& pred, Clock::duration timeout = kTimeout);
    // Waits until a stderr line starts with prefix; returns that line.
    std::optional<std::string> wait_err_prefix(const std::string& prefix,
                                               Clock::duration timeout = kTimeout);
    // Waits for the exit (reading the pipes meanwhile); false on timeout.
    bool wait_exit(Clock::duration timeout = kTimeout);
    bool exited() const { return reaped_; }
    // The raw wait status; valid once exited().
    int status() const { return status_; }
    // Exit code if it exited normally, 128+signal if killed by a signal.
    int exit_code() const;
    void signal(int sig);

private:
    // Reads what is available on the pipes; waits up to `wait` for
    // something to happen (output, EOF, exit). Reaps the child on exit.
    void pump(Clock::duration wait);
    void reset();

    pid_t pid_ = -1;
    int pidfd_ = -1;
    int out_fd_ = -1, err_fd_ = -1;
    std::string out_, err_;
    bool reaped_ = false;
    int status_ = 0;
    size_t err_scan_ = 0;  // stderr lines before this offset were matched already
};

// A directory under /tmp removed with everything in it on destruction.
class TempDir {
public:
    TempDir();
    ~TempDir();
    std::string path(const std::string& name) const { return dir_ + "/" + name; }

private:
    std::string dir_;
};

std::string read_file(const std::string& path);
json read_json(const std::string& path);

// The line iotrace prints on stderr once its probes are live.
constexpr const char* kTracingPrefix = "iotrace: tracing ";

// ---- expected figures --------------------------------------------------

struct SysExp {
    uint64_t calls = 0, errors = 0, eagain = 0;
};

// Parses `strace -c -U name,calls,errors` output: name -> {calls, errors}.
std::map<std::string, SysExp> parse_strace_summary(const std::string& text);

struct Expect {
    std::map<std::string, SysExp> sys;  // every other probed syscall: 0 calls
    struct {
        uint64_t calls = 0, empty = 0, ready = 0, watched = 0, scanned = 0;
    } waits;
    struct {
        uint64_t calls = 0, bytes = 0, eagain = 0, eof = 0, short_ = 0;
    } recv;
    struct {
        uint64_t calls = 0, bytes = 0, eagain = 0;
    } send;
    struct {
        uint64_t wait_in = 0, wait_out = 0;  // recv_bytes/send_bytes: recv.bytes/send.bytes
    } copy;

    Expect& operator+=(const Expect& o);
};

// The 22 syscalls iotrace probes, in its order.
const std::vector<std::string>& probed_syscalls();

// Calls of syscall `name` in process p (a missing name: 0).
uint64_t calls_of(const json& proc, const std::string& name);

// Asserts (gtest EXPECT_*) every figure of process p against e: for each
// probed syscall calls/errors/eagain, hist_log2_ns summing to calls, and
// waits, recv, send and copy. The figures named in `unavailable` (names of
// the per-process "unavailable" list, docs/json.md: "syscalls.select",
// "waits", "waits.cpu_ns", "recv", "copy.recv_bytes", ...) must be null
// instead, and that list must be exactly `unavailable`.
void expect_figures(const json& proc, const Expect& e, const std::set<std::string>& unavailable = {});

// The "syscalls" object against sys (every other probed syscall: 0 calls):
// calls, errors, eagain, hist_log2_ns summing to calls, time_ns > 0 with
// calls; rows named "syscalls.NAME" in unavailable must be null.
void expect_syscalls(const json& syscalls, const std::map<std::string, SysExp>& sys,
                     const std::set<std::string>& unavailable = {});

// obj[key] is null when unavailable, else exactly want.
void expect_figure(const json& obj, const char* key, uint64_t want, const std::string& where, bool unavailable);

// The process's "unavailable" list holds exactly these names.
void expect_unavailable_list(const json& proc, const std::set<std::string>& names);

// obj is a non-empty object whose every value is null (an unavailable
// syscall row or family).
void expect_null_figures(const json& obj, const std::string& where);

// Asserts the report's envelope: tool, schema, lost_events == 0.
void expect_envelope(const json& report);

// The envelope, and every reason of "lost" 0 (each one named when not).
void expect_nothing_lost(const json& report, const std::string& where = "");

// The process with this pid in report["processes"], or nullptr.
const json* find_process(const json& report, int pid);

// Parses a JSON report into out; "" when it is JSON, else what it holds.
std::string parse_report(const std::string& text, json& out);

struct TracedRun;

// Asserts a report of one process: the envelope, a single process with
// run.target_pid and this comm, exited, and its figures against e.
void expect_single_process_report(const TracedRun& run, const std::string& comm, const Expect& e);

// ---- standard runs ------------------------------------------------------

struct TracedRun {
    json report;
    int target_pid = -1;       // the workload's pid
    std::string tracing_line;  // iotrace's "iotrace: tracing ..." line
    std::string iotrace_err;   // all iotrace wrote on stderr
    std::string iotrace_out;   // and on stdout
    std::string workload_out;  // all the workload wrote on stdout
};

// These return "" when the run went as planned, else what went wrong (with
// iotrace's stderr): `ASSERT_EQ(run_attached(...), "")`. They make no gtest
// assertion, so they may run on several threads at once (run_parallel).

// The -p path: starts `iowork ARGS --wait`, waits for "ready", runs
// `iotrace -p PID EXTRA...`, waits for the tracing line, sends SIGUSR1 and
// waits for both to exit by themselves (iowork with 0, iotrace with 0).
// With json, EXTRA gets `--json -o FILE` and out.report the parsed file.
std::string run_attached(const std::vector<std::string>& wl_args, const std::vector<std::string>& extra,
                         TracedRun& out, bool json = true);

// The -- path: `iotrace EXTRA... --json -o FILE -- iowork ARGS`, until it
// exits by itself (with 0); the target pid comes from the tracing line.
std::string run_launched(const std::vector<std::string>& wl_args, const std::vector<std::string>& extra,
                         TracedRun& out);

// Checks what a finished `iotrace ... -- NAME ...` run left in out.iotrace_err
// and its exit code: a tracing line naming NAME's comm (sets
// out.tracing_line and out.target_pid), no "NAME:" complaint from the
// workload, exit 0. "" when fine. run_launched_cmd uses it, and so does
// the test of a guest kernel, which gets the same output from a console.
std::string check_launched_run(const std::string& wl_name, int iotrace_exit, TracedRun& out);

// The same for another workload of build/workloads (NAME: its comm, up to 15
// characters, must appear in the tracing line; it must follow iowork's
// conventions: --wait, "ready", SIGUSR1, "NAME: FAIL" on stderr).
std::string run_attached_to(const std::string& wl_name, const std::vector<std::string>& wl_args,
                            const std::vector<std::string>& extra, TracedRun& out, bool json = true);
std::string run_launched_cmd(const std::string& wl_name, const std::vector<std::string>& wl_args,
                             const std::vector<std::string>& extra, TracedRun& out);

struct RunResult {
    std::string error;  // "" when fine
    TracedRun run;
};
using RunJob = std::function<std::string(TracedRun&)>;

// Runs the jobs, up to parallel_jobs() at a time (iotrace spends most of its
// life loading and detaching probes, waiting on the kernel: running runs side
// by side keeps the suite quick). Results by key.
std::map<std::string, RunResult> run_parallel(const std::vector<std::pair<std::string, RunJob>>& jobs);
int parallel_jobs();  // $ITEST_JOBS (default 8; 1: one run at a time)

// "var NAME N" in a workload's output, or -1.
long var_in(const std::string& out, const std::string& name);

// The pid in a tracing line ("iotrace: tracing PID (comm)..."), or -1.
int pid_in_tracing_line(const std::string& line);

// Kills pid (if still there) and reaps it if it is our child. For processes
// iotrace launched and left behind (we are their subreaper).
void kill_and_reap(pid_t pid);

// ---- workloads the tests of iotrace top and serve share ----------------

constexpr int kNobody = 65534;

// VmRSS of pid, kB.
long rss_kb(int pid);
// pid's largest resident mappings (/proc/PID/smaps), "RSS kB  range  name"
// a line: where the memory is when a test finds too much of it.
std::string largest_mappings(int pid, size_t n = 6);

// A ticker (tests/workloads/ticker.c) run as is, or under another name (its
// comm) from a copy in dir, or as another user.
std::vector<std::string> ticker_argv(const std::string& mode, int rate, long n, const std::string& copy_as = "",
                                     const TempDir* dir = nullptr);
std::vector<std::string> as_nobody(std::vector<std::string> argv);

// Starts a ticker and waits for its "var pid" line.
Child start_ticker(const std::vector<std::string>& argv);

}  // namespace itest
