// Process-level cells from today's Snapshot, until the tracer records the
// per-thread, per-syscall, per-fd-kind cells the flame outputs are made for.
// A Snapshot has per syscall only calls and time; the rest is per family or
// per process, so a cell gets what can be attributed to its syscall exactly
// and no more (see cells_from_snapshot).
#pragma once

#include <vector>

#include "flame/cell.h"
#include "model/snapshot.h"

namespace iotrace::flame {

// One cell per process (or grouped entry) and syscall with calls > 0 whose
// row is available (src/model/unavailable.h), with that row's calls and
// time_ns, and:
// * the thread frame only when the process lists exactly one thread (all its
//   calls are that thread's), with that thread's model when it has one;
//   otherwise no thread frame and the process's model;
// * cpu_ns only for a wait syscall that is the process's only wait syscall
//   with calls (waits.cpu_ns is per process), else not known;
// * bytes: 0 for waits, epoll_ctl, accept, close and io_uring_enter (they
//   move no counted data); recv.bytes (send.bytes) for the process's only
//   receiving (sending) syscall with calls; else not known;
// * no fd kind (per-fd figures are not per syscall).
std::vector<FlameCell> cells_from_snapshot(const Snapshot& snap);

}  // namespace iotrace::flame
