// Small readers of /proc/PID: names and parentage of processes.
#pragma once

#include <optional>
#include <string>

namespace iotrace {

bool process_exists(int pid);
std::optional<std::string> read_comm(int pid);  // /proc/PID/comm, without the newline
std::optional<int> read_tgid(int tid);          // the process a thread id belongs to
std::optional<int> read_ppid(int pid);

}  // namespace iotrace
