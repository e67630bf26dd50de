// The text report's diagnosis: the IO model line and the findings that open
// each process's section, and the per-thread findings after the thread table.
#pragma once

#include <string>

#include "model/snapshot.h"

namespace iotrace {

// "IO model: epoll-et (high confidence) — 4,812 waits, ...", then
// "findings:" worst first. "" when no diagnosis was made (model name empty).
std::string diagnosis_section(const ProcessStats& p);

// "thread findings:" with one line per finding of each thread; "" if none.
std::string thread_findings_section(const ProcessStats& p);

// "  [high] busy_poll: text\n"
std::string finding_line(const Finding& f);

}  // namespace iotrace
