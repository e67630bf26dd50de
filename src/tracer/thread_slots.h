// The per-thread figures the kernel side keeps in array slots
// (thread_stats in bpf/readiness.bpf.h), read through mmap: live threads'
// slots are read in place; an exited thread's slot is copied out, zeroed and
// handed back to the kernel's free-slot stack.
#pragma once

#include <linux/types.h>

#include <cstddef>
#include <map>
#include <set>
#include <vector>

#include "iotrace.h"

struct bpf_map;

namespace iotrace {

class ThreadSlots {
public:
    ThreadSlots() = default;
    ~ThreadSlots();
    ThreadSlots(const ThreadSlots&) = delete;
    ThreadSlots& operator=(const ThreadSlots&) = delete;

    // After the object is loaded: maps the n slots of `stats` and pushes
    // each onto `free_stack`. n = 0: no slot, every thread uses the hash.
    void open(bpf_map* stats, bpf_map* free_stack, __u32 n);

    // Keeps the figures of the slots whose thread has exited and frees them.
    void reap();

    // The records of process tgid: live slots and kept exited ones (tid in
    // each). With forget, the kept ones are dropped (the process is gone).
    std::vector<iot_thread> records(int tgid, bool forget);

    // Every process's records at once (one pass over the slots), by tgid.
    std::map<int, std::vector<iot_thread>> all_records() const;

    // records(tgid, true) for each of tgids, in one pass over the slots.
    std::map<int, std::vector<iot_thread>> take_records(const std::set<int>& tgids);

    // Slots a thread holds now (live, or exited and not yet reaped).
    size_t in_use() const;

    // Drops the kept records of exited threads (iotrace top has shown them).
    void forget_exited() { exited_.clear(); }

private:
    iot_thread* slot(__u32 i) const;

    unsigned char* mem_ = nullptr;
    size_t len_ = 0;
    size_t stride_ = 0;
    __u32 n_ = 0;
    bpf_map* free_ = nullptr;
    std::map<int, std::vector<iot_thread>> exited_;  // tgid -> records
};

}  // namespace iotrace
