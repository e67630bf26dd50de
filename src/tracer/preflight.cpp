#include "tracer/preflight.h"

#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "util/failure.h"

namespace iotrace {
namespace {

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif

constexpr const char* kBtf = "/sys/kernel/btf/vmlinux";
constexpr const char* kTracefs = "/sys/kernel/tracing";
constexpr const char* kDebugfs = "/sys/kernel/debug";
constexpr const char* kDebugTracing = "/sys/kernel/debug/tracing";
constexpr const char* kLockdown = "/sys/kernel/security/lockdown";
constexpr const char* kSecurityLsm = "/sys/kernel/security/lsm";

bool has_effective_cap(int cap) {
    __user_cap_header_struct hdr{_LINUX_CAPABILITY_VERSION_3, 0};
    __user_cap_data_struct data[2] = {};
    if (syscall(SYS_capget, &hdr, data) != 0) return false;
    return data[cap / 32].effective & (1u << (cap % 32));
}

bool exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

// The tracepoints iotrace attaches by name are sched/sched_process_exec and
// sched/sched_process_exit (the others are raw tracepoints, which need no
// tracefs): libbpf reads their ids under events/sched.
bool has_sched_events(const std::string& dir) { return exists(dir + "/events/sched"); }

// libbpf 1.1 uses /sys/kernel/debug/tracing whenever that path exists, and
// /sys/kernel/tracing otherwise (use_debugfs() in libbpf.c): whichever it
// will use must hold the events.
std::string libbpf_tracefs() { return exists(kDebugTracing) ? kDebugTracing : kTracefs; }

std::string mount_error(const char* what, const char* where) {
    return std::string("mount -t ") + what + " " + what + " " + where + ": " + std::strerror(errno);
}

// Finds tracefs, or mounts it where the kernel expects it (as perf does):
// at /sys/kernel/tracing, else through debugfs, mounting debugfs at
// /sys/kernel/debug if needed (its tracing directory mounts tracefs on
// first access). Never throws: error says what failed.
TracefsState find_or_mount_tracefs() {
    TracefsState st;
    if (has_sched_events(libbpf_tracefs())) {
        st.path = libbpf_tracefs();
        return st;
    }
    std::string tried;
    if (!exists(kDebugTracing)) {  // else libbpf would not look at /sys/kernel/tracing
        if (mount("tracefs", kTracefs, "tracefs", 0, nullptr) == 0 || errno == EBUSY) {
            if (has_sched_events(kTracefs)) {
                st.path = kTracefs;
                st.mounted_now = true;
                return st;
            }
            tried = std::string(kTracefs) + " has no events/sched";
        } else {
            tried = mount_error("tracefs", kTracefs);
        }
        if (mount("debugfs", kDebugfs, "debugfs", 0, nullptr) != 0 && errno != EBUSY)
            tried += "; " + mount_error("debugfs", kDebugfs);
    }
    if (has_sched_events(kDebugTracing)) {
        st.path = kDebugTracing;
        st.mounted_now = true;
        return st;
    }
    st.error = "tracefs is not mounted and could not be mounted (" + tried +
               "): run 'mount -t tracefs tracefs /sys/kernel/tracing' as root; if events/sched is still missing, "
               "the kernel lacks CONFIG_TRACEPOINTS";
    return st;
}

Capabilities read_capabilities() {
    return Capabilities{.root = geteuid() == 0,
                        .cap_bpf = has_effective_cap(CAP_BPF),
                        .cap_perfmon = has_effective_cap(CAP_PERFMON),
                        .cap_sys_admin = has_effective_cap(CAP_SYS_ADMIN)};
}

}  // namespace

void check_can_trace() {
    if (access(kBtf, R_OK) != 0)
        throw Failure(
            "kernel has no BTF (/sys/kernel/btf/vmlinux is missing): iotrace needs a kernel built with "
            "CONFIG_DEBUG_INFO_BTF=y (Debian, Ubuntu, Fedora and RHEL kernels have it)");
    Capabilities c = read_capabilities();
    if (!c.root && !c.cap_sys_admin && !(c.cap_bpf && c.cap_perfmon))
        throw Failure("iotrace needs root or CAP_BPF+CAP_PERFMON: run it with sudo");
    // Root too: a fresh machine may have no tracefs mounted, and attaching
    // sched_process_exec would then fail with ENOENT.
    TracefsState t = find_or_mount_tracefs();
    if (t.path.empty()) throw Failure(t.error);
}

MachineCheck read_machine() {
    MachineCheck m;
    utsname u{};
    m.kernel_release = uname(&u) == 0 ? u.release : "unknown";
    m.btf = access(kBtf, R_OK) == 0;
    m.caps = read_capabilities();
    m.tracefs = find_or_mount_tracefs();
    std::ifstream in(kLockdown);
    if (in) {
        std::stringstream text;
        text << in.rdbuf();
        m.lockdown = active_lockdown(text.str());
    } else {
        // securityfs mounted (it always has lsm) but no lockdown file: the
        // kernel has no lockdown LSM. Not mounted: nobody can tell.
        m.lockdown = exists(kSecurityLsm) ? "none (no lockdown LSM)" : "unknown (securityfs is not mounted)";
    }
    return m;
}

std::string active_lockdown(const std::string& text) {
    size_t open = text.find('['), close = text.find(']');
    if (open == std::string::npos || close == std::string::npos || close < open) return "unknown";
    return text.substr(open + 1, close - open - 1);
}

}  // namespace iotrace
