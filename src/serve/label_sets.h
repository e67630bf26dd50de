// The processes of a snapshot as the label sets `iotrace serve` exports:
// one per comm (processes with the same comm summed), or one per process
// with --per-pid; at most max_label_sets of them, the busiest kept. Labels
// must be unique within a scrape, and comm is what survives restarts and
// forks (docs/prometheus.md "Label sets").
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/snapshot.h"

namespace iotrace {

struct LabelSetOptions {
    bool per_pid = false;         // one label set per process (labels comm and pid)
    size_t max_label_sets = 2000; // the rest is dropped (and counted)
};

struct LabelSets {
    // Sorted by comm (then pid); comm made valid UTF-8 (src/util/utf8.h).
    // Without per_pid, comms are unique: an entry that stands for several
    // processes has their figures summed (add_figures, src/model/group.h),
    // pid their lowest, group.processes their number, and a diagnosis of the
    // sums; one that stands for one process is that process, its diagnosis
    // kept. With per_pid, (comm, pid) pairs are unique the same way.
    Snapshot snap;
    uint64_t dropped = 0;  // label sets over max_label_sets, left out
};

// snap is diagnosed (src/analysis/diagnose.h). Kept when over the cap: the
// label sets with the most syscalls (ties: by comm, then pid).
LabelSets label_sets(const Snapshot& snap, const LabelSetOptions& opt);

}  // namespace iotrace
