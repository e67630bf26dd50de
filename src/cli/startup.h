// What the report mode (src/main.cpp), iotrace top (src/top/run_top.cpp) and serve
// do alike before tracing: catch the stop signals, resolve -p PIDs, warn
// about a degraded load, name what is traced.
#pragma once

#include <string>
#include <vector>

#include "model/availability.h"

namespace iotrace {

class Tracer;

// SIGINT, SIGTERM and SIGHUP set a flag (stop_requested); SIGPIPE is
// ignored. Installed before anything is attached, and before ncurses starts
// (which then leaves them alone).
void install_stop_signals();
bool stop_requested();

// -U USER (iotrace top, iotrace serve): a name from the passwd database, or
// a uid; -1 for "". An unknown name is a usage error (Failure, exit 2).
int resolve_only_user(const std::string& user);

struct Target {
    int tgid;
    std::string comm;
};

// -p PIDs: each must exist; a thread id stands for its process.
std::vector<Target> resolve_pids(const std::vector<int>& pids);

// What the kernel will call a command it runs (TASK_COMM_LEN - 1 characters
// of the file name).
std::string basename_of(const std::string& path);

// -p targets into the tracer, and with follow their descendants that exist
// now; returns how many descendants were added.
size_t add_targets(Tracer& tracer, const std::vector<Target>& targets, bool follow);

// The tracer's warnings and what a degraded load costs, one line each on
// stderr, and where the verifier said why.
void warn_about_load(const Tracer& tracer);

// "PID (comm), PID (comm) and N descendants": the tracing line's subject.
std::string target_names(const std::vector<Target>& targets, size_t descendants);

// iotrace top and serve: every process (system_wide), or the -p targets
// (with -f their descendants) and a launched command (child_pid > 0, always
// followed, named child_comm); returns the tracing line's subject, with
// "of uid N" under -U.
std::string start_tracing(Tracer& tracer, bool system_wide, std::vector<Target> targets, bool follow, int only_uid,
                          int child_pid = 0, const std::string& child_comm = "");

}  // namespace iotrace
