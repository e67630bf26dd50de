#include "tracer/readiness_maps.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "iotrace.h"
#include "model/fold.h"
#include "tracer/map_batch.h"

namespace iotrace {
namespace {

// Appends a key's bytes to a batch of keys to delete.
template <typename Key>
void push_key(std::vector<unsigned char>& keys, const Key& k) {
    const auto* b = reinterpret_cast<const unsigned char*>(&k);
    keys.insert(keys.end(), b, b + sizeof(k));
}

}  // namespace

std::map<int, std::vector<FdStats>> read_fd_stats(bpf_map* fds, const std::set<int>& tgids, bool remove) {
    std::map<int, std::vector<FdStats>> out;
    if (tgids.empty()) return out;
    std::vector<unsigned char> doomed;
    for_each_entry(fds, [&](const void* key, const void* value) {
        iot_fd_key k;
        std::memcpy(&k, key, sizeof(k));
        if (!tgids.count(static_cast<int>(k.tgid))) return true;
        iot_fd v;
        std::memcpy(&v, value, sizeof(v));
        out[static_cast<int>(k.tgid)].push_back(fd_from_raw(k.fd, v));
        if (remove) push_key(doomed, k);
        return true;
    });
    if (remove) delete_keys(fds, doomed);
    for (auto& [tgid, v] : out)
        std::sort(v.begin(), v.end(), [](const FdStats& a, const FdStats& b) { return a.fd < b.fd; });
    return out;
}

namespace {

void add_counts(iot_thread& to, const iot_thread& from) {
    to.waits += from.waits;
    to.wakeups += from.wakeups;
    to.recv += from.recv;
    to.select_waits += from.select_waits;
    to.poll_waits += from.poll_waits;
    to.epoll_waits += from.epoll_waits;
    to.zero_timeout += from.zero_timeout;
    to.zero_timeout_empty += from.zero_timeout_empty;
    to.recv_eagain += from.recv_eagain;
    to.recv_blocked += from.recv_blocked;
    to.accepts += from.accepts;
    to.accept_blocked += from.accept_blocked;
    to.uring_enters += from.uring_enters;
    to.ready += from.ready;
}

ThreadStats thread_from_raw(int tid, const iot_thread& v) {
    ThreadStats t;
    t.tid = tid;
    t.comm.assign(v.comm, strnlen(v.comm, sizeof(v.comm)));
    t.waits = v.waits;
    t.wakeups = v.wakeups;
    t.recv = v.recv;
    t.select_waits = v.select_waits;
    t.poll_waits = v.poll_waits;
    t.epoll_waits = v.epoll_waits;
    t.zero_timeout = v.zero_timeout;
    t.zero_timeout_empty = v.zero_timeout_empty;
    t.recv_eagain = v.recv_eagain;
    t.recv_blocked = v.recv_blocked;
    t.accepts = v.accepts;
    t.accept_blocked = v.accept_blocked;
    t.uring_enters = v.uring_enters;
    t.ready = v.ready;
    return t;
}

}  // namespace

std::map<int, std::vector<ThreadStats>> read_thread_stats(bpf_map* threads,
                                                          const std::map<int, std::vector<iot_thread>>& slots,
                                                          const std::set<int>& tgids, bool remove,
                                                          bool remove_exited) {
    std::map<int, std::map<__u32, iot_thread>> by_tid;  // tgid -> tid -> counts
    auto add = [&](int tgid, __u32 tid, const iot_thread& v) {
        auto [it, fresh] = by_tid[tgid].try_emplace(tid, v);
        if (!fresh) add_counts(it->second, v);
    };
    if (!tgids.empty()) {
        std::vector<unsigned char> doomed;
        for_each_entry(threads, [&](const void* key, const void* value) {
            __u32 tid;
            iot_thread v;
            std::memcpy(&tid, key, sizeof(tid));
            std::memcpy(&v, value, sizeof(v));
            if (!tgids.count(static_cast<int>(v.tgid))) return true;
            add(static_cast<int>(v.tgid), tid, v);
            if (remove || (remove_exited && v.exited)) push_key(doomed, tid);
            return true;
        });
        delete_keys(threads, doomed);
    }
    for (const auto& [tgid, records] : slots)
        for (const auto& v : records) add(tgid, v.tid, v);
    std::map<int, std::vector<ThreadStats>> out;  // by tid, from the ordered map
    for (const auto& [tgid, threads_of] : by_tid)
        for (const auto& [tid, v] : threads_of)
            // a slot is taken at a thread's first traced call, whatever it is;
            // the hash only ever held threads that waited, received or accepted
            if (v.waits || v.recv || v.accepts || v.uring_enters)
                out[tgid].push_back(thread_from_raw(static_cast<int>(tid), v));
    return out;
}

void delete_process_entries(bpf_map* map, const std::set<int>& tgids) {
    if (tgids.empty()) return;
    const size_t ksz = bpf_map__key_size(map);
    std::vector<unsigned char> doomed;
    for_each_entry(map, [&](const void* key, const void*) {
        __u32 owner;
        std::memcpy(&owner, key, sizeof(owner));
        if (tgids.count(static_cast<int>(owner))) {
            const auto* b = static_cast<const unsigned char*>(key);
            doomed.insert(doomed.end(), b, b + ksz);
        }
        return true;
    });
    delete_keys(map, doomed);
}

}  // namespace iotrace
