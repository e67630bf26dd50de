// The builder's input: one cell per (thread, syscall, fd kind, user stack)
// with its figures. The tracer will fill cells from the kernel's per-thread,
// per-syscall aggregates; until then cells_from_snapshot
// (src/flame/from_snapshot.h) makes process-level ones from a Snapshot.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace iotrace::flame {

struct FlameCell {
    // The process frame: "comm-pid", or for a grouped entry (group > 0,
    // src/model/group.h) "comm ×group (children of PID ppid)".
    int pid = 0;
    int ppid = 0;
    std::string comm;
    uint64_t group = 0;  // processes the entry stands for; 0 for one process
    // The thread frame "thread_comm-tid"; tid 0 when the figures are not
    // per thread (no thread frame).
    int tid = 0;
    std::string thread_comm;
    std::string model;    // model_label() of the thread's (else the process's) diagnosis; "" leaves the frame out
    int sys = 0;          // enum iot_sys
    std::string fd_kind;  // tcp, unix, pipe, ... ; "" when the call has no fd (no frame)
    int64_t user_stack_id = -1;  // the kernel's stack id; -1 without --stacks
    uint64_t time_ns = 0;
    std::optional<uint64_t> cpu_ns;  // nullopt: not known for this cell
    uint64_t calls = 0;
    std::optional<uint64_t> bytes;   // data bytes received and sent; nullopt: not known for this cell
};

}  // namespace iotrace::flame
