// -f on a running process: its descendants that exist at attach are traced
// too. The kernel's fork hook follows forks from the moment a parent's
// follow flag is set, so walking /proc after setting it leaves no gap: a
// process forked before its parent was added is in the next walk.
#include <bpf/libbpf.h>

#include "iotrace.h"
#include "iotrace.skel.h"
#include "proc/descendants.h"
#include "proc/proc_info.h"
#include "tracer/tracer.h"

namespace iotrace {

// In the kernel's set (the fork hook adds there before user space hears of
// it) or known to user space and not exited.
bool Tracer::is_target(int tgid) const {
    __u32 key = static_cast<__u32>(tgid), flags;
    if (bpf_map__lookup_elem(skel_->maps.targets, &key, sizeof(key), &flags, sizeof(flags), 0) == 0) return true;
    auto it = records_.find(tgid);
    return it != records_.end() && !it->second.exited;
}

size_t Tracer::add_descendants(int root) {
    size_t added = 0;
    // Each walk adds what the previous one raced with (a child forked by a
    // process before it was followed); a walk that adds nothing ends it.
    constexpr int kMaxWalks = 8;
    for (int walk = 0; walk < kMaxWalks; ++walk) {
        size_t before = added;
        for (const ProcParent& p : read_descendants(root)) {
            if (is_target(p.pid)) continue;
            // gone since the walk: add_target marks it exited, no failure
            add_target(p.pid, read_comm(p.pid).value_or("?"), true);
            records_[p.pid].ppid = p.ppid;
            // found below a target, not asked for: grouped with its siblings
            // in the report like a child forked later
            records_[p.pid].target = false;
            ++added;
        }
        if (added == before) break;
    }
    return added;
}

}  // namespace iotrace
