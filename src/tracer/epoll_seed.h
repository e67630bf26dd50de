// The epoll registrations a process made before the probes could see them
// (/proc/PID/fdinfo), copied into the maps the probes use to name the fd of
// an epoll event (ep_by_fd, ep_by_data, proc_epfds in bpf/maps.bpf.h).
//
// Attaching to a process is two passes around setting its target bit:
//   seed       before the bit: the first wait the probes count already finds
//              every registration (seeding after the bit left the waits that
//              ended in between with unknown registrations);
//   reconcile  after the bit: a second read catches what changed between
//              the first read and the bit (an unseen ADD, MOD or DEL). An
//              entry the probes changed since the first pass differs from
//              what it seeded: the probes saw it, so they win.
// Still unseen: an epoll_ctl that entered before the bit and returns after
// the second read (its exit is dropped, as every call in flight at attach).
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

// Second pass, once tgid is traced: see above.
void reconcile_epoll_registrations(const EpollMaps& maps, int tgid, const std::vector<SeededReg>& seeded);

}  // namespace iotrace
