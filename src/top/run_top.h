// iotrace top's driver: checks and attaches as the report mode does, then
// every -i seconds reads a frame from the tracer, hands it to the view
// (TopState) and shows it: on the terminal (ncurses), as text (-b) or as
// JSON lines (--json). docs/top.md
#pragma once

#include "cli/options.h"

namespace iotrace {

// Returns the exit status; throws Failure (with the terminal restored).
int run_top(const Options& o);

}  // namespace iotrace
