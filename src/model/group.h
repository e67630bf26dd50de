// Folds the followed processes of a fork storm into one entry each: a
// fork-per-connection server under load forks thousands of children that run
// the same code, and one entry per child made a report nobody could read.
// Like `strace -c -f`'s totals: followed processes with the same parent and
// the same comm become one entry with their figures summed, so the diagnosis
// names one model for them. Pure: no libbpf, no /proc.
#pragma once

#include <cstddef>

#include "model/snapshot.h"

namespace iotrace {

// How many pids a group entry lists (the lowest ones).
constexpr size_t kGroupPids = 8;

// Processes that are not targets (target == false) and have a known parent
// (ppid != 0) are grouped by (ppid, comm); a group of two or more becomes
// one entry: pid, the lowest pid; exited, every member exited; figures
// summed; fds merged by fd number (counters summed; an address the members
// do not share left empty); threads left out (each member's are in
// --per-process). Entries keep the order of their first member. Targets and
// lone processes are left as they are.
Snapshot group_processes(Snapshot snap);

// Adds every counted figure of `from` into `to`: syscall rows, waits, recv,
// send, accept, copy, readiness, and fds merged by fd number (counters
// summed, an address they do not share left empty). Identity (pid, comm,
// group), threads and diagnosis are left as they are.
void add_figures(ProcessStats& to, const ProcessStats& from);

}  // namespace iotrace
