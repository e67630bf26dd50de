// Fills every process's and thread's Diagnosis in a snapshot: the one call
// the run loop makes between harvesting the maps and rendering a report.
#pragma once

#include "model/snapshot.h"

namespace iotrace {

void diagnose(Snapshot& snap);

// The same on a copy, for a call site that has a temporary:
// write_report(o, diagnosed(tracer.snapshot(duration))).
Snapshot diagnosed(Snapshot snap);

}  // namespace iotrace
