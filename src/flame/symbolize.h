// User stacks to frame names (iotrace flame --stacks): addresses are mapped
// through the process's /proc/PID/maps as the tracer last read it (libdw's
// dwfl, fed that text, so an exited process is symbolized too), named from
// the binaries' symbol tables (or their separate debug files), C++ names
// demangled, JIT code from /tmp/perf-PID.map, "[unknown]" for the rest.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "flame/recording.h"

namespace iotrace::flame {

struct SymbolFrame {
    std::string name;    // demangled symbol, or "[unknown]"
    std::string module;  // the mapped file ("/usr/sbin/nginx"), "[perf-map]", or "" when no mapping holds it
};

// A C++ symbol demangled (abi::__cxa_demangle); any other name as it is.
std::string demangle(const std::string& name);

// The functions a thread starts in (_start, __libc_start_call_main,
// start_thread, clone3, ...): frames() drops what a walk found beyond them.
bool is_thread_entry(const std::string& name);

// "START SIZE NAME" lines of a perf map (hex START and SIZE): the symbol
// holding addr, or "".
std::string perf_map_lookup(const std::string& perf_map, uint64_t addr);

class Symbolizer {
public:
    explicit Symbolizer(const Recording& rec);
    ~Symbolizer();
    Symbolizer(const Symbolizer&) = delete;
    Symbolizer& operator=(const Symbolizer&) = delete;

    // The frames of stack `stack_id` in process pid, root (outermost
    // caller) first, from the innermost thread entry function on (see
    // is_thread_entry); empty when the stack is not known.
    std::vector<SymbolFrame> frames(int pid, int64_t stack_id);

    // The process's executable: the first file its maps list ("" unknown).
    std::string executable(int pid) const;

private:
    struct Process;
    Process& process(int pid);
    SymbolFrame symbolize(Process& p, uint64_t addr);

    const Recording& rec_;
    std::map<int, std::unique_ptr<Process>> processes_;
    std::map<std::pair<int, int64_t>, std::vector<SymbolFrame>> cache_;
};

}  // namespace iotrace::flame
