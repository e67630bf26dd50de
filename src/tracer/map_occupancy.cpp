// How full the kernel side's bounded maps are (tracer.h, map_occupancy()).
//
// Hash maps are counted with a batched walk (src/tracer/map_batch.h): the
// kernel keeps no count user space can read on 6.1 (and a map iterator is a
// tracing program, which this kernel refuses), so a walk it is; at the
// largest (131,072 entries) it is a few batch reads. The counter and thread
// slot arrays are full-size from the start: their occupancy is the slots in
// use, from the slot map and the mmap'ed slots.
//
// Not listed: the per-CPU arrays of fixed size (lost, scratch, offcpu), the
// stacks of free slots (their complement is listed), the task storage of
// in-flight calls (one per thread, no capacity) and the ring buffer (bytes,
// not entries; what did not fit is counted lost, ringbuf).
#include <bpf/libbpf.h>

#include <cstring>

#include "iotrace.h"
#include "iotrace.skel.h"
#include "tracer/map_batch.h"
#include "tracer/tracer.h"

namespace iotrace {

std::vector<MapOccupancy> Tracer::map_occupancy() {
    std::vector<MapOccupancy> out;
    auto hash = [&out](bpf_map* m) {
        out.push_back({bpf_map__name(m), count_entries(m), bpf_map__max_entries(m)});
    };
    // counter slots in use: the tgids proc_slots gives one
    uint64_t slots = 0;
    for_each_entry(skel_->maps.proc_slots, [&](const void*, const void* value) {
        __u32 slot;
        std::memcpy(&slot, value, sizeof(slot));
        slots += slot < nslots_;
        return true;
    });
    out.push_back({"proc_stats", slots, nslots_});
    hash(skel_->maps.procs);
    out.push_back({"thread_stats", thread_slots_.in_use(), ntslots_});
    hash(skel_->maps.threads);
    hash(skel_->maps.targets);  // -p and -f (system-wide: empty)
    hash(skel_->maps.fds);
    hash(skel_->maps.waiters);
    hash(skel_->maps.wstates);
    hash(skel_->maps.ep_by_data);
    hash(skel_->maps.ep_by_fd);
    hash(skel_->maps.proc_epfds);
    hash(skel_->maps.ep_making);
    hash(skel_->maps.ep_limbo);  // an LRU: full is its steady state
    if (flame_) hash(skel_->maps.flame_cells);
    return out;
}

}  // namespace iotrace
