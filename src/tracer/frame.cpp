// iotrace top's reading of the kernel side, once per refresh: one batched
// pass over each map, whatever the number of processes (tracer.h, frame()).
//
//   ring buffer   the lifecycle events since the last poll
//   exits         every exited process's final counters read and its
//                 entries freed (collect, then one sweep of the per-fd maps)
//   counters      proc_slots (tgid -> slot), then proc_stats from slot 0 up
//                 to the highest slot in use, then the procs hash: three
//                 batch reads (src/tracer/map_batch.h)
//   discovery     system-wide, a tgid in the counter maps with no record is a
//                 process that made its first traced call: name, parent and
//                 user from /proc, its inherited epoll registrations queued
//                 for seeding
//   fds, threads  one batch read of each map; the thread slots through mmap
//
// Exited processes are in the frame once and their records then dropped,
// with the kept records of exited threads: what user space holds is bounded
// by what is alive, not by how many processes came and went.
#include <bpf/libbpf.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <set>
#include <vector>

#include "iotrace.h"
#include "iotrace.skel.h"
#include "model/fold.h"
#include "proc/proc_info.h"
#include "tracer/map_batch.h"
#include "tracer/readiness_maps.h"
#include "tracer/tracer.h"

namespace iotrace {

// Every process the kernel side counts, folded over the CPUs (and over its
// slot and its hash entry, for a process some of whose threads found no
// free slot).
std::map<int, ProcessStats> Tracer::read_all_counters() {
    const size_t n = static_cast<size_t>(ncpus_);
    std::vector<int> tgid_of_slot;
    for_each_entry(skel_->maps.proc_slots, [&](const void* key, const void* value) {
        __u32 tgid, slot;
        std::memcpy(&tgid, key, sizeof(tgid));
        std::memcpy(&slot, value, sizeof(slot));
        if (slot < nslots_) {
            if (slot >= tgid_of_slot.size()) tgid_of_slot.resize(slot + 1, 0);
            tgid_of_slot[slot] = static_cast<int>(tgid);
        }
        return true;
    });
    // hash entries first (few: only when the slots ran out), so a slot's
    // process can be completed with its hash entry's counts
    std::map<int, iot_proc> hashed;
    for_each_entry(skel_->maps.procs, [&](const void* key, const void* value) {
        __u32 tgid;
        std::memcpy(&tgid, key, sizeof(tgid));
        sum_percpu(static_cast<const iot_proc*>(value), n, hashed[static_cast<int>(tgid)]);
        return true;
    });
    std::map<int, ProcessStats> out;
    if (!tgid_of_slot.empty()) {
        for_each_entry(skel_->maps.proc_stats, [&](const void* key, const void* value) {
            __u32 slot;
            std::memcpy(&slot, key, sizeof(slot));
            if (slot >= tgid_of_slot.size()) return false;
            int tgid = tgid_of_slot[slot];
            if (!tgid) return true;
            auto* per_cpu = static_cast<const iot_proc*>(value);
            auto h = hashed.find(tgid);
            if (h == hashed.end()) {
                fold_percpu(per_cpu, n, out[tgid]);
            } else {
                sum_percpu(per_cpu, n, h->second);
                derive_families(h->second, out[tgid]);
                hashed.erase(h);
            }
            return true;
        });
    }
    for (const auto& [tgid, sum] : hashed) derive_families(sum, out[tgid]);
    return out;
}

// Processes found in the counter maps that user space has no record of.
void Tracer::discover(const std::vector<int>& tgids) {
    std::set<int> still_unresolved;
    std::vector<int> gone;
    for (int tgid : tgids) {
        if (auto id = read_identity(tgid)) {
            Record& r = records_[tgid];
            r.comm = id->comm;
            r.ppid = id->ppid;
            r.uid = id->uid;
            r.counted = true;
            // what it inherited from its parent before it was seen
            to_preload_.push_back(tgid);
        } else if (unresolved_.count(tgid)) {
            // gone, and no exit event in a whole interval: it was lost
            Record& r = records_[tgid];
            r.comm = "?";
            r.counted = true;
            r.exited = true;
            gone.push_back(tgid);
        } else {
            still_unresolved.insert(tgid);  // its exit event is in the next poll
        }
    }
    unresolved_ = std::move(still_unresolved);
    harvest(gone);
}

Snapshot Tracer::frame() {
    framed_ = true;
    Snapshot snap;
    snap.version = IOTRACE_VERSION;
    snap.availability = load_report_.availability;

    // every event so far, and every exit fully harvested
    ring_events_ = 0;
    ring_buffer__consume(ring_);
    catch_up(kPreloadsPerPoll, to_harvest_.size(), true);
    read_lost(snap);

    std::map<int, ProcessStats> counted = read_all_counters();
    std::vector<int> unknown;
    for (const auto& [tgid, p] : counted) {
        auto it = records_.find(tgid);
        if (it == records_.end())
            unknown.push_back(tgid);
        else
            it->second.counted = true;
    }
    discover(unknown);

    // live: every record not exited (system-wide, those with counters)
    std::set<int> live;
    for (const auto& [tgid, r] : records_)
        if (!r.exited && (!trace_all_ || counted.count(tgid))) live.insert(tgid);
    std::map<int, std::vector<iot_thread>> slots = thread_slots_.all_records();
    for (auto it = slots.begin(); it != slots.end();) it = live.count(it->first) ? std::next(it) : slots.erase(it);
    auto fds = read_fd_stats(skel_->maps.fds, live, false);
    auto threads = read_thread_stats(skel_->maps.threads, slots, live, false, true);

    snap.processes.reserve(live.size() + static_cast<size_t>(std::count_if(
                                             records_.begin(), records_.end(),
                                             [](const auto& kv) { return kv.second.harvested; })));
    for (auto it = records_.begin(); it != records_.end();) {
        Record& r = it->second;
        const int tgid = it->first;
        ProcessStats* p = nullptr;
        if (r.harvested) {
            if (r.counted || !trace_all_) {
                snap.processes.push_back(std::move(*r.final_stats));
                p = &snap.processes.back();
            }
        } else if (live.count(tgid)) {
            auto c = counted.find(tgid);
            snap.processes.push_back(c == counted.end() ? ProcessStats{} : std::move(c->second));
            p = &snap.processes.back();
            p->fds = std::move(fds[tgid]);
            p->threads = std::move(threads[tgid]);
        }
        if (p) {
            p->pid = tgid;
            p->ppid = r.ppid;
            p->comm = r.comm;
            p->exited = r.exited;
            p->target = r.target;
            p->uid = r.uid;
        }
        if (r.harvested) {
            it = records_.erase(it);  // shown once
            forgot_any_ = true;
        } else {
            ++it;
        }
    }
    thread_slots_.forget_exited();
    // the exits that came meanwhile: their counter slots back to the kernel
    // side now, not after the view has drawn this frame
    ring_buffer__consume(ring_);
    catch_up(0, to_harvest_.size(), false);
    return snap;
}

}  // namespace iotrace
