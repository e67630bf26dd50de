#include "flame/from_snapshot.h"

#include <optional>

#include "model/syscalls.h"
#include "model/unavailable.h"

namespace iotrace::flame {
namespace {

// The syscalls of `family` the process made calls of.
int syscalls_used(const ProcessStats& p, SyscallFamily family) {
    int n = 0;
    for (int s = 0; s < IOT_NR_SYS; ++s) n += syscall_info(s).family == family && p.syscalls[s].calls > 0;
    return n;
}

std::optional<uint64_t> cpu_of(const ProcessStats& p, int sys, const UnavailableFigures& u) {
    if (syscall_info(sys).family != SyscallFamily::Wait || u.waits_cpu_ns) return std::nullopt;
    if (syscalls_used(p, SyscallFamily::Wait) != 1) return std::nullopt;
    return p.waits.cpu_ns;
}

std::optional<uint64_t> bytes_of(const ProcessStats& p, int sys, const UnavailableFigures& u) {
    switch (syscall_info(sys).family) {
        case SyscallFamily::Recv:
            if (u.recv || syscalls_used(p, SyscallFamily::Recv) != 1) return std::nullopt;
            return p.recv.bytes;
        case SyscallFamily::Send:
            if (u.send || syscalls_used(p, SyscallFamily::Send) != 1) return std::nullopt;
            return p.send.bytes;
        default: return 0;
    }
}

}  // namespace

std::vector<FlameCell> cells_from_snapshot(const Snapshot& snap) {
    std::vector<FlameCell> cells;
    for (const ProcessStats& p : snap.processes) {
        UnavailableFigures u = unavailable_figures(p, snap.availability);
        const ThreadStats* only = p.threads.size() == 1 ? &p.threads.front() : nullptr;
        std::string model = model_label(p.diagnosis.model);
        if (only && !only->diagnosis.model.name.empty()) model = model_label(only->diagnosis.model);
        for (int s = 0; s < IOT_NR_SYS; ++s) {
            const SyscallStats& row = p.syscalls[s];
            if (row.calls == 0 || u.syscalls[s]) continue;
            FlameCell c;
            c.pid = p.pid;
            c.ppid = p.ppid;
            c.comm = p.comm;
            c.group = p.group.processes;
            if (only) {
                c.tid = only->tid;
                c.thread_comm = only->comm;
            }
            c.model = model;
            c.sys = s;
            c.time_ns = row.time_ns;
            c.cpu_ns = cpu_of(p, s, u);
            c.calls = row.calls;
            c.bytes = bytes_of(p, s, u);
            cells.push_back(std::move(c));
        }
    }
    return cells;
}

}  // namespace iotrace::flame
