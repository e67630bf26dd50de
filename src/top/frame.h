// What the live view (iotrace top) receives on each refresh: the tracer's
// cumulative counters and a few facts about iotrace itself. The view turns
// consecutive frames into per-second rates (counters are never cleared).
#pragma once

#include <cstdint>

#include "model/snapshot.h"

namespace iotrace {

struct TopFrame {
    // Cumulative since tracing started: every live traced process, plus
    // those that exited since the previous frame (exited = true, final
    // counters). A process that exited is in exactly one frame; the view
    // lets it linger. snap.lost is cumulative too.
    Snapshot snap;
    double t_s = 0;              // seconds since tracing started (steady clock)
    double self_cpu_pct = 0;     // iotrace's own CPU (user+system) over the last interval, % of one CPU
    uint64_t traced_processes = 0;  // processes the kernel side is tracing now
};

}  // namespace iotrace
