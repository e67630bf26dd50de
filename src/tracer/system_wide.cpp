// System-wide tracing (iotrace top without targets): every process but
// iotrace, from the moment every process's epoll registrations are known.
//
// The kernel side's trace_all switch (rodata) replaces the target bitmap by
// "not iotrace"; its all_armed flag (.bss) holds everything back until user
// space has seeded the epoll registrations of every process that exists,
// as add_target does for one: every process being added (its epoll_ctl and
// close followed), seed, arm, reconcile (src/tracer/epoll_seed.h).
// Without it, every epoll server already running would report its events
// as lost (unknown registration) until it was seeded.
//
// Processes are not listed in advance: a process appears at its first traced
// call, when it takes a counter slot (frame() finds it there and reads its
// name, parent and user from /proc), and its exit event (sent for every
// process the kernel side holds state of) hands its final counters over.
// A process that never makes a traced call costs nothing but a bit test per
// syscall. src/tracer/frame.cpp
#include <bpf/libbpf.h>

#include <utility>
#include <vector>

#include "iotrace.h"
#include "iotrace.skel.h"
#include "proc/proc_info.h"
#include "tracer/epoll_seed.h"
#include "tracer/tracer.h"
#include "util/failure.h"

namespace iotrace {

void Tracer::trace_all_processes() {
    if (!trace_all_) throw Failure("internal error: trace_all_processes() without TracerConfig::trace_all");
    const int self = getpid();
    const __u32 uid_filter = skel_->rodata->filter_uid;
    EpollMaps ep = epoll_maps();
    SeedingWindow window(skel_->bss->seeding_any);  // every process is being added
    std::vector<std::pair<int, std::vector<SeededReg>>> seeded;
    for (int pid : list_pids()) {
        if (pid == self) continue;
        if (uid_filter != IOT_NO_UID && read_uid(pid) != static_cast<int>(uid_filter)) continue;
        seeded.emplace_back(pid, seed_epoll_registrations(ep, pid));
    }
    __atomic_store_n(&skel_->bss->all_armed, 1, __ATOMIC_SEQ_CST);
    for (const auto& [pid, regs] : seeded) reconcile_epoll_registrations(ep, pid, regs);
}

}  // namespace iotrace
