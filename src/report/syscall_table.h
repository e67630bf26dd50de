// The strace -c style table of one process's syscalls.
#pragma once

#include <string>

#include "model/snapshot.h"
#include "model/unavailable.h"

namespace iotrace {

// Columns `% time  seconds  usecs/call  calls  errors  eagain  syscall`, laid
// out as strace -c lays its own (same widths, same dashes, blank errors when
// 0) plus an eagain column. Rows: syscalls with calls > 0, by time descending,
// then calls descending, then name; then a `total` row. Empty string when the
// process made none of the probed syscalls. Rows the kernel side could not
// count (u) come last, all "n/a"; then the total and every "% time" are
// "n/a" too, since what they divide by is unknown.
std::string render_syscall_table(const ProcessStats& p, const UnavailableFigures& u = {});

}  // namespace iotrace
