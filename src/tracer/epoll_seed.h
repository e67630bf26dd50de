// The epoll registrations a process made before the probes could see them
// (/proc/PID/fdinfo), copied into the maps the probes use to name the fd of
// an epoll event (ep_by_fd, ep_by_data, proc_epfds in bpf/maps.bpf.h).
//
// Attaching to a process (Tracer::add_target) goes:
//   1. it is "being added" (a `targets` entry, no target bit, and the
//      kernel side's seeding_any count up): from now on the probes follow
//      its epoll_ctl and close calls, keeping the registrations without
//      counting anything; the exit of one entered earlier is applied too
//      (exit_unseen: its arguments are still in the saved registers);
//   2. seed: /proc is read and what the maps do not hold yet goes in
//      (BPF_NOEXIST: an entry the probes made is newer), marked `seeded`;
//   3. its target bit: counting starts, and the first counted wait already
//      finds every registration;
//   4. reconcile: /proc is read again. Every change made since step 1 went
//      through the probes, so the maps can only be wrong where step 2 put
//      back what the probes had just deleted (a DEL or close that returned
//      between the read and the insert): a seeded entry /proc no longer
//      shows goes, unless the probes wrote it since.
// A followed child is traced from its fork, and only seeded (Tracer::preload).
#pragma once

#include <vector>

#include "iotrace.h"

struct bpf_map;

namespace iotrace {

struct EpollMaps {
    bpf_map* by_fd;
    bpf_map* by_data;
    bpf_map* proc_epfds;
};

struct SeededReg {
    __s32 epfd;
    iot_ep_reg reg;
};

// First pass: every registration of every epoll fd of tgid that the maps do
// not hold yet; returns what it inserted.
std::vector<SeededReg> seed_epoll_registrations(const EpollMaps& maps, int tgid);

// Second pass, once tgid is traced: removes what the first put back after
// the probes deleted it (see above).
void reconcile_epoll_registrations(const EpollMaps& maps, int tgid, const std::vector<SeededReg>& seeded);

// Step 1 for the scope: the kernel side's count of processes being added
// (bpf/maps.bpf.h, seeding_any, in the mmapped .bss) is up, so the probes
// follow the epoll_ctl and close calls of a process with a `targets` entry
// and no bit (system-wide: of every process, until all_armed).
class SeedingWindow {
public:
    explicit SeedingWindow(__u32& count) : count_(count) { __atomic_fetch_add(&count_, 1, __ATOMIC_SEQ_CST); }
    ~SeedingWindow() { __atomic_fetch_sub(&count_, 1, __ATOMIC_SEQ_CST); }
    SeedingWindow(const SeedingWindow&) = delete;
    SeedingWindow& operator=(const SeedingWindow&) = delete;

private:
    __u32& count_;
};

}  // namespace iotrace
