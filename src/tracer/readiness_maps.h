// Reads the readiness maps of the kernel side (bpf/readiness.bpf.h):
// per-fd and per-thread figures out (the epoll registrations made before
// iotrace attached go in through epoll_seed.h).
#pragma once

#include <vector>

#include "iotrace.h"
#include "model/snapshot.h"

struct bpf_map;

namespace iotrace {

// The fds / threads entries of process tgid, sorted by fd / tid; with
// remove, their kernel entries are deleted (the process has exited).
std::vector<FdStats> read_fd_stats(bpf_map* fds, int tgid, bool remove);
// A thread's figures are in the `threads` hash or in its slot (`slots`: the
// process's records from ThreadSlots, tid in each); records of one tid are
// added up, threads with no counted call left out.
std::vector<ThreadStats> read_thread_stats(bpf_map* threads, const std::vector<iot_thread>& slots, int tgid,
                                           bool remove);

// Deletes every entry of a hash map whose key starts with tgid (a __u32):
// the per-process state an exited process leaves behind.
void delete_process_entries(bpf_map* map, int tgid);

}  // namespace iotrace
