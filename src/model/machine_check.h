// What `iotrace --check` found on this machine: the kernel, the privileges,
// and what the kernel let iotrace load. Plain types: src/tracer/preflight.cpp
// reads the machine, the Tracer fills `load`, src/report/check_report.cpp
// renders it, and tests build one by hand.
#pragma once

#include <string>

#include "model/availability.h"

namespace iotrace {

struct TracefsState {
    std::string path;         // where the tracepoints are found ("" when nowhere)
    bool mounted_now = false; // iotrace mounted it just now (it was not mounted)
    std::string error;        // why there is none: what failed to mount, and the fix
};

struct Capabilities {
    bool root = false;  // effective uid 0
    bool cap_bpf = false;
    bool cap_perfmon = false;
    bool cap_sys_admin = false;
};

struct MachineCheck {
    std::string kernel_release;  // uname -r
    bool btf = false;            // /sys/kernel/btf/vmlinux readable
    TracefsState tracefs;
    std::string lockdown;  // "none", "integrity", "confidentiality"; "unknown" when unreadable
    Capabilities caps;
    LoadReport load;         // every program, and the parts available
    std::string load_error;  // nothing could be loaded (no privilege, no BTF...): why

    // Everything loaded: iotrace runs here with every figure.
    bool ok() const {
        if (!load_error.empty() || load.programs.empty() || !load.availability.complete()) return false;
        for (const ProgramLoad& p : load.programs)
            if (!p.loaded) return false;
        return true;
    }
};

}  // namespace iotrace
