// Counter differences: what happened between two readings of the same
// process's cumulative counters. Pure functions over the snapshot types.
#pragma once

#include "model/snapshot.h"

namespace iotrace {

// cur minus base, counter by counter; identity fields (pid, comm, uid,
// exited, ...) are cur's. fds are matched by fd number and threads by tid;
// an fd or thread base does not have is counted whole, one that did nothing
// in between (no change in any counter) is left out. A counter that went
// down (the entry was reused) counts from 0: cur's value, as new. When the
// process's own counters went down (a reused pid), the whole of cur is new.
ProcessStats counter_delta(const ProcessStats& cur, const ProcessStats& base);
ThreadStats counter_delta(const ThreadStats& cur, const ThreadStats& base);

// Whether cur can follow base (no total went down): false for a reused pid.
bool continues(const ProcessStats& cur, const ProcessStats& base);

}  // namespace iotrace
