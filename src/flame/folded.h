// Folded stacks, the text format of flamegraph.pl (stackcollapse output):
// one line per stack, "frame;frame;...;frame N\n", root first, N an integer
// weight. Frames are sanitized (no ';', no newline, no leading space), so
// each line matches flamegraph.pl's rule ^(.*)\s+?(\d+(?:\.\d*)?)$ and
// inferno and speedscope read it too. No blank lines, nothing else.
#pragma once

#include <string>

#include "flame/stacks.h"

namespace iotrace::flame {

// Processes in the profile's order, each process's stacks in theirs.
std::string render_folded(const Profile& profile);

}  // namespace iotrace::flame
