// Reads the readiness maps of the kernel side (bpf/readiness.bpf.h):
// per-fd and per-thread figures out (the epoll registrations made before
// iotrace attached go in through epoll_seed.h).
#pragma once

#include <map>
#include <set>
#include <vector>

#include "iotrace.h"
#include "model/snapshot.h"

struct bpf_map;

namespace iotrace {

// Each of these takes a set of processes and walks its map once, in batches
// (map_batch.h): a fork storm exits processes by the thousand, and a walk per
// process would cost (processes x entries) syscalls.

// The fds / threads entries of the processes tgids, by tgid, sorted by fd /
// tid; with remove, their kernel entries are deleted (they have exited).
std::map<int, std::vector<FdStats>> read_fd_stats(bpf_map* fds, const std::set<int>& tgids, bool remove);
// A thread's figures are in the `threads` hash or in its slot (`slots`: each
// process's records from ThreadSlots, tid in each); records of one tid are
// added up, threads with no counted call left out. With remove_exited, the
// hash entries of exited threads are deleted once read (iotrace top shows
// an exited thread once; the report keeps every thread to the end).
std::map<int, std::vector<ThreadStats>> read_thread_stats(bpf_map* threads,
                                                          const std::map<int, std::vector<iot_thread>>& slots,
                                                          const std::set<int>& tgids, bool remove,
                                                          bool remove_exited = false);

// Deletes every entry of a hash map whose key starts with one of tgids (a
// __u32): the per-process state exited processes leave behind.
void delete_process_entries(bpf_map* map, const std::set<int>& tgids);

}  // namespace iotrace
