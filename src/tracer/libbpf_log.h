// Collects libbpf's messages so a failure can quote them instead of dumping
// them on every run; -v prints them as they come. A program the verifier
// refused is found here too: libbpf prints its name and the verifier's log.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace iotrace {

void libbpf_log_init(bool verbose);
// The last lines libbpf printed (at most max_lines), for error messages.
std::string libbpf_log_tail(size_t max_lines = 8);

// Forgets the program load failures seen so far (before a new load).
void libbpf_log_reset_failure();

struct ProgramFailure {
    std::string program;       // "sys_exit"
    std::string error;         // libbpf's errno text: "Argument list too long"
    std::string verifier_log;  // the whole log ("" when the kernel gave none)
    std::string last_line;     // the log's verdict: "BPF program is too large. Processed 1000001 insn"
};
// The first program load failure since the last reset, if any.
std::optional<ProgramFailure> libbpf_log_failure();

// The verifier's verdict in a log: its last line that is not a statistic.
std::string verifier_verdict(const std::string& log);

}  // namespace iotrace
