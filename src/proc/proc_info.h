// Small readers of /proc/PID: names and parentage of processes.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace iotrace {

bool process_exists(int pid);
std::optional<std::string> read_comm(int pid);  // /proc/PID/comm, without the newline
std::optional<int> read_tgid(int tid);          // the process a thread id belongs to
std::optional<int> read_ppid(int pid);
std::optional<int> read_uid(int pid);           // the real uid (/proc/PID/status "Uid:" first field)

// What the system-wide mode learns of a process it meets: name, parent and
// user, from /proc/PID/comm and /proc/PID/status; nullopt once it is gone.
struct ProcIdentity {
    std::string comm;
    int ppid = 0;
    int uid = -1;
};
std::optional<ProcIdentity> read_identity(int pid);

// Every process id in /proc now.
std::vector<int> list_pids();

}  // namespace iotrace
