// The end of an `iotrace flame` run: the tracer's recording to the flame
// graph file (and, with --report, the JSON report of the same snapshot).
#pragma once

#include "cli/options.h"
#include "model/snapshot.h"

namespace iotrace {

class Tracer;

// raw: the tracer's snapshot (ungrouped, not diagnosed). Notes (what was
// lost, truncated stacks) go to stderr and into the output.
void write_flame(const Options& o, Tracer& tracer, Snapshot raw);

}  // namespace iotrace
