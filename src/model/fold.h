// Turns the kernel's per-CPU raw counters into one ProcessStats: sums the CPUs
// and derives the family totals (waits.calls is the sum of the seven wait
// syscalls' calls, recv.eagain the receive syscalls' EAGAIN errors, ...).
#pragma once

#include <cstddef>

#include "iotrace.h"
#include "snapshot.h"

namespace iotrace {

// per_cpu points at ncpu consecutive iot_proc values, as libbpf returns a
// per-CPU map element. Identity fields (pid, comm...) are left to the caller.
void fold_percpu(const iot_proc* per_cpu, size_t ncpu, ProcessStats& out);

// Adds ncpu consecutive per-CPU values into sum (raw counters, nothing derived).
void sum_percpu(const iot_proc* per_cpu, size_t ncpu, iot_proc& sum);

// Recomputes the derived family figures from out.syscalls and the raw extras.
void derive_families(const iot_proc& raw, ProcessStats& out);

// One `fds` map value, with names for its kind and trigger and printable
// socket addresses.
FdStats fd_from_raw(int fd, const iot_fd& raw);

}  // namespace iotrace
