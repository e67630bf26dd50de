// What a process's IO model costs, as findings: each names a waste or a risk
// with its numbers and a concrete change. The formulas and thresholds are in
// docs/diagnosis.md (values in src/analysis/thresholds.h).
#pragma once

#include <vector>

#include "model/diagnosis.h"
#include "model/snapshot.h"
#include "model/unavailable.h"

namespace iotrace {

// The findings that apply to p, worst first (severity, then a fixed order
// of ids). duration_s turns counts into rates; <= 0 makes every rate 0.
// A finding that reads a figure in u (not counted on this kernel) is not
// drawn at all: its 0 is no evidence either way.
std::vector<Finding> find_issues(const ProcessStats& p, double duration_s, const UnavailableFigures& u = {});

// The findings that belong to one thread (a thread that busy-polls, threads
// racing for connections), worst first; u is the owner's, as above.
std::vector<Finding> find_thread_issues(const ThreadStats& t, const ProcessStats& owner, double duration_s,
                                        const UnavailableFigures& u = {});

// Stable: high, medium, low, info; equal severities keep their order.
void sort_worst_first(std::vector<Finding>& findings);

}  // namespace iotrace
