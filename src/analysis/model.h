// Names the IO model of a process or a thread from its figures. The rules,
// their order and thresholds (src/analysis/thresholds.h) are documented in
// docs/diagnosis.md; each Model carries the evidence its rule used.
#pragma once

#include <string>

#include "model/diagnosis.h"
#include "model/snapshot.h"

namespace iotrace {

// readiness: whether the readiness figures were counted (a degraded load
// may lack them, src/model/unavailable.h); without them no EAGAIN is set
// aside as the drain of a reported fd.
Model classify(const ProcessStats& p, bool readiness = true);

// A thread's own calls decide (its ready events included); the epoll trigger
// figures are the owner's (fds are shared by the process's threads).
Model classify_thread(const ThreadStats& t, const ProcessStats& owner, bool readiness = true);

}  // namespace iotrace
