// The human-readable report: per process, an strace -c style syscall table
// (users already know how to read it) followed by the wait / receive / send /
// copy figures strace cannot give.
#pragma once

#include <string>

#include "model/snapshot.h"

namespace iotrace {

std::string render_text(const Snapshot& snap);

}  // namespace iotrace
