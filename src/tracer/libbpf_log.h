// Collects libbpf's messages so a failure can quote them instead of dumping
// them on every run; -v prints them as they come.
#pragma once

#include <string>

namespace iotrace {

void libbpf_log_init(bool verbose);
// The last lines libbpf printed (at most max_lines), for error messages.
std::string libbpf_log_tail(size_t max_lines = 8);

}  // namespace iotrace
