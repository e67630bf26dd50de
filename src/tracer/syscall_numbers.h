// The native syscall number of each syscall iotrace traces: the kernel side
// attaches once to every syscall's entry and exit (raw sys_enter/sys_exit)
// and picks its handler from a table indexed by these numbers.
#pragma once

#include <optional>

namespace iotrace {

// The number of enum iot_sys `sys` on this architecture, or nullopt when
// the architecture has no such syscall (select on arm64).
std::optional<long> syscall_number(int sys);

}  // namespace iotrace
