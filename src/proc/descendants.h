// The processes below a process (children, grandchildren...), from /proc:
// what `-f` must trace besides the processes it forks after attaching
// (a prefork master's workers, a fork-per-connection server's children).
#pragma once

#include <optional>
#include <string_view>
#include <vector>

namespace iotrace {

struct ProcParent {
    int pid = 0;
    int ppid = 0;
    bool operator==(const ProcParent&) const = default;
};

// /proc/PID/task/TID/children: the child process ids, space-separated.
std::vector<int> parse_children(std::string_view text);

// The ppid in /proc/PID/stat ("PID (comm) S PPID ..."); the comm may hold
// spaces and parentheses, so the fields start after the last ')'.
std::optional<int> parse_stat_ppid(std::string_view stat);

// Every descendant of root among `all` (pid -> parent), parents before
// their children. Bounded by all's size, so a pid cycle (a pid reused while
// /proc was read) cannot loop.
std::vector<ProcParent> descendants_of(int root, const std::vector<ProcParent>& all);

// The descendants of root now: through the children files where the kernel
// has them (CONFIG_PROC_CHILDREN), else every /proc/*/stat's ppid. A process
// gone mid-read is simply missing.
std::vector<ProcParent> read_descendants(int root);

}  // namespace iotrace
