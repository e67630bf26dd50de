#include "tracer/thread_slots.h"

#include <bpf/libbpf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "util/failure.h"

namespace iotrace {

ThreadSlots::~ThreadSlots() {
    if (mem_) munmap(mem_, len_);
}

void ThreadSlots::open(bpf_map* stats, bpf_map* free_stack, __u32 n) {
    free_ = free_stack;
    n_ = n;
    if (!n) return;
    // an array map's values are 8-byte aligned, one after the other
    stride_ = (sizeof(iot_thread) + 7) & ~size_t{7};
    size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    len_ = (stride_ * n + page - 1) / page * page;
    void* m = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_SHARED, bpf_map__fd(stats), 0);
    if (m == MAP_FAILED) throw Failure(std::string("cannot map the per-thread figures: ") + std::strerror(errno));
    mem_ = static_cast<unsigned char*>(m);
    for (__u32 i = 0; i < n; ++i)
        if (bpf_map__update_elem(free_, nullptr, 0, &i, sizeof(i), 0))
            throw Failure(std::string("cannot fill the BPF map of free thread slots: ") + std::strerror(errno));
}

iot_thread* ThreadSlots::slot(__u32 i) const { return reinterpret_cast<iot_thread*>(mem_ + stride_ * i); }

// An exited thread no longer writes its slot, so it can be copied and
// zeroed here before the kernel can hand it to another thread.
void ThreadSlots::reap() {
    for (__u32 i = 0; i < n_; ++i) {
        iot_thread* t = slot(i);
        if (!__atomic_load_n(&t->exited, __ATOMIC_ACQUIRE)) continue;
        exited_[static_cast<int>(t->tgid)].push_back(*t);
        std::memset(t, 0, sizeof(*t));
        bpf_map__update_elem(free_, nullptr, 0, &i, sizeof(i), 0);
    }
}

std::vector<iot_thread> ThreadSlots::records(int tgid, bool forget) {
    std::vector<iot_thread> out;
    for (__u32 i = 0; i < n_; ++i) {
        const iot_thread* t = slot(i);
        if (static_cast<int>(__atomic_load_n(&t->tgid, __ATOMIC_ACQUIRE)) == tgid) out.push_back(*t);
    }
    auto it = exited_.find(tgid);
    if (it != exited_.end()) {
        out.insert(out.end(), it->second.begin(), it->second.end());
        if (forget) exited_.erase(it);
    }
    return out;
}

std::map<int, std::vector<iot_thread>> ThreadSlots::take_records(const std::set<int>& tgids) {
    std::map<int, std::vector<iot_thread>> out;
    for (__u32 i = 0; i < n_; ++i) {
        const iot_thread* t = slot(i);
        int tgid = static_cast<int>(__atomic_load_n(&t->tgid, __ATOMIC_ACQUIRE));
        if (tgid && tgids.count(tgid)) out[tgid].push_back(*t);
    }
    for (int tgid : tgids) {
        auto it = exited_.find(tgid);
        if (it == exited_.end()) continue;
        auto& v = out[tgid];
        v.insert(v.end(), it->second.begin(), it->second.end());
        exited_.erase(it);
    }
    return out;
}

size_t ThreadSlots::in_use() const {
    size_t n = 0;
    for (__u32 i = 0; i < n_; ++i) n += __atomic_load_n(&slot(i)->tgid, __ATOMIC_ACQUIRE) != 0;
    return n;
}

std::map<int, std::vector<iot_thread>> ThreadSlots::all_records() const {
    std::map<int, std::vector<iot_thread>> out = exited_;
    for (__u32 i = 0; i < n_; ++i) {
        const iot_thread* t = slot(i);
        int tgid = static_cast<int>(__atomic_load_n(&t->tgid, __ATOMIC_ACQUIRE));
        if (tgid) out[tgid].push_back(*t);
    }
    return out;
}

}  // namespace iotrace
