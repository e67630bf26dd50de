#include "tracer/preflight.h"

#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "util/failure.h"

namespace iotrace {
namespace {

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

bool has_effective_cap(int cap) {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &hdr, data) != 0) return false;
    return data[cap / 32].effective & (1u << (cap % 32));
}

// libbpf finds tracepoint ids in tracefs, which a minimal system may not
// have mounted; mount it where the kernel expects it, as perf does.
void ensure_tracefs() {
    if (access("/sys/kernel/tracing/events/syscalls", F_OK) == 0 ||
        access("/sys/kernel/debug/tracing/events/syscalls", F_OK) == 0)
        return;
    if (mount("tracefs", "/sys/kernel/tracing", "tracefs", 0, nullptr) == 0 &&
        access("/sys/kernel/tracing/events/syscalls", F_OK) == 0)
        return;
    throw Failure(
        "tracefs is not mounted and could not be mounted (needed to find the tracepoints): "
        "run 'mount -t tracefs tracefs /sys/kernel/tracing'; if events/syscalls is still missing, "
        "the kernel lacks CONFIG_FTRACE_SYSCALLS");
}

}  // namespace

void check_can_trace() {
    if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
        throw Failure(
            "kernel has no BTF (/sys/kernel/btf/vmlinux is missing): iotrace needs a kernel built with "
            "CONFIG_DEBUG_INFO_BTF=y (Debian, Ubuntu, Fedora and RHEL kernels have it)");
    if (geteuid() != 0) {
        bool admin = has_effective_cap(CAP_SYS_ADMIN);
        if (!admin && !(has_effective_cap(CAP_BPF) && has_effective_cap(CAP_PERFMON)))
            throw Failure("iotrace needs root or CAP_BPF+CAP_PERFMON: run it with sudo");
    }
    // Root too: the sched tracepoints are attached by their tracefs ids.
    ensure_tracefs();
}

}  // namespace iotrace
