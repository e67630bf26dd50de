// Checks made before loading anything, so the user hears what is missing
// ("needs root", "kernel has no BTF") rather than a libbpf errno; and the
// same readings of the machine for --check.
#pragma once

#include <string>

#include "model/machine_check.h"

namespace iotrace {

// Throws Failure naming the problem and the fix. Mounts tracefs when it is
// missing (the lifecycle tracepoints are found through it).
void check_can_trace();

// The kernel, tracefs (mounted if missing and allowed), lockdown and
// capabilities, without throwing: MachineCheck minus `load`.
MachineCheck read_machine();

// The active mode in the text of /sys/kernel/security/lockdown
// ("none [integrity] confidentiality" -> "integrity"); "unknown" if none is
// marked.
std::string active_lockdown(const std::string& text);

}  // namespace iotrace
