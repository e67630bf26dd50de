// Checks made before loading anything, so the user hears what is missing
// ("needs root", "kernel has no BTF") rather than a libbpf errno.
#pragma once

namespace iotrace {

// Throws Failure naming the problem and the fix.
void check_can_trace();

}  // namespace iotrace
