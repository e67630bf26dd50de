// The text report's readiness part: re-reports, ET stall risk, the busiest
// fds and, for processes with several, the threads.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/snapshot.h"
#include "model/unavailable.h"

namespace iotrace {

std::string readiness_section(const ProcessStats& p, const UnavailableFigures& u = {});

// The fds the report lists: the 10 most reported, most first (ties by fd).
std::vector<const FdStats*> busiest_fds(const ProcessStats& p, size_t max = 10);

}  // namespace iotrace
