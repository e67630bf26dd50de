#include "cli/startup.h"

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "model/unavailable.h"
#include "proc/proc_info.h"
#include "tracer/tracer.h"
#include "util/failure.h"

namespace iotrace {
namespace {

volatile sig_atomic_t g_stop = 0;

void on_stop_signal(int) { g_stop = 1; }

}  // namespace

void install_stop_signals() {
    struct sigaction sa{};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    sigaction(SIGHUP, &sa, nullptr);
    signal(SIGPIPE, SIG_IGN);
}

bool stop_requested() { return g_stop != 0; }

int resolve_only_user(const std::string& user) {
    if (user.empty()) return -1;
    if (passwd* pw = getpwnam(user.c_str())) return static_cast<int>(pw->pw_uid);
    if (std::all_of(user.begin(), user.end(), [](char c) { return c >= '0' && c <= '9'; }) && user.size() < 10)
        return std::stoi(user);
    throw Failure("user '" + user + "' does not exist (-U)", kExitUsage);
}


std::vector<Target> resolve_pids(const std::vector<int>& pids) {
    std::vector<Target> out;
    for (int pid : pids) {
        if (!process_exists(pid)) throw Failure("pid " + std::to_string(pid) + " does not exist");
        int tgid = read_tgid(pid).value_or(pid);
        if (tgid == getpid()) throw Failure("pid " + std::to_string(pid) + " is iotrace itself", kExitUsage);
        bool dup = false;
        for (const auto& t : out) dup |= t.tgid == tgid;
        if (!dup) out.push_back({tgid, read_comm(tgid).value_or("?")});
    }
    return out;
}

std::string basename_of(const std::string& path) {
    auto slash = path.rfind('/');
    std::string b = slash == std::string::npos ? path : path.substr(slash + 1);
    return b.substr(0, 15);  // what the kernel will call it (TASK_COMM_LEN - 1)
}

size_t add_targets(Tracer& tracer, const std::vector<Target>& targets, bool follow) {
    for (const auto& t : targets) tracer.add_target(t.tgid, t.comm, follow);
    size_t descendants = 0;  // -f: the children that exist already do the IO of prefork servers
    if (follow)
        for (const auto& t : targets) descendants += tracer.add_descendants(t.tgid);
    return descendants;
}

void warn_about_load(const Tracer& tracer) {
    for (const auto& w : tracer.warnings()) std::fprintf(stderr, "iotrace: warning: %s\n", w.c_str());
    const LoadReport& r = tracer.load_report();
    for (const std::string& line : missing_part_lines(r.availability))
        std::fprintf(stderr, "iotrace: warning: %s\n", line.c_str());
    if (!r.verifier_log_path.empty()) std::fprintf(stderr, "iotrace: full verifier log: %s\n", r.verifier_log_path.c_str());
}

std::string target_names(const std::vector<Target>& targets, size_t descendants) {
    std::string names;
    for (const auto& t : targets) names += (names.empty() ? "" : ", ") + std::to_string(t.tgid) + " (" + t.comm + ")";
    if (descendants)
        names += " and " + std::to_string(descendants) + (descendants == 1 ? " descendant" : " descendants");
    return names;
}

std::string start_tracing(Tracer& tracer, bool system_wide, std::vector<Target> targets, bool follow, int only_uid,
                          int child_pid, const std::string& child_comm) {
    std::string what;
    if (system_wide) {
        tracer.trace_all_processes();
        what = "every process";
    } else {
        size_t descendants = add_targets(tracer, targets, follow);
        if (child_pid > 0) {
            targets.push_back({child_pid, child_comm});
            tracer.add_target(child_pid, child_comm, true);
        }
        what = target_names(targets, descendants);
    }
    if (only_uid >= 0) what += " of uid " + std::to_string(only_uid);
    return what;
}

}  // namespace iotrace
