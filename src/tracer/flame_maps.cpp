// iotrace flame, the tracer's part: the kernel's cells (bpf/flame.bpf.h) of
// exited processes read before their entries are freed, everything read at
// the end, and the address maps its user stacks need, read while each
// process lives: at add, after an exec (the old maps are dropped at once: a
// launched command's are iotrace's own until it execs), inherited at fork,
// refreshed once a second (libraries loaded later) and at the end. A
// process's /proc/PID/maps is empty once it has exited, so an exited one
// keeps what was last read.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <set>
#include <vector>

#include "iotrace.h"
#include "iotrace.skel.h"
#include "proc/proc_file.h"
#include "tracer/tracer.h"

namespace iotrace {
namespace {

constexpr size_t kMapsRefreshesPerTurn = 256;

// Every cell of the map, with the keys of the processes in `only` (all when
// null) deleted when `remove`.
std::vector<flame::RawCell> read_cells(bpf_map* map, const std::set<int>* only, bool remove) {
    std::vector<flame::RawCell> out;
    iot_flame_key key{}, next{};
    const iot_flame_key* prev = nullptr;
    while (bpf_map__get_next_key(map, prev, &next, sizeof(next)) == 0) {
        key = next;
        prev = &key;
        if (only && !only->count(static_cast<int>(key.tgid))) continue;
        flame::RawCell c;
        c.key = key;
        if (bpf_map__lookup_elem(map, &key, sizeof(key), &c.val, sizeof(c.val), 0) == 0) out.push_back(c);
    }
    if (remove)
        for (const flame::RawCell& c : out) bpf_map__delete_elem(map, &c.key, sizeof(c.key), 0);
    return out;
}

// /tmp/perf-PID.map, the JIT's symbols: only a regular file (never through
// a symlink) that belongs to the process's owner or to root, as perf
// requires: anyone can create a file of that name in /tmp.
std::optional<std::string> read_perf_map(int pid) {
    struct stat proc{};
    if (stat(("/proc/" + std::to_string(pid)).c_str(), &proc) != 0) return std::nullopt;
    int fd = open(("/tmp/perf-" + std::to_string(pid) + ".map").c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return std::nullopt;
    struct stat st{};
    std::optional<std::string> text;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_uid == proc.st_uid || st.st_uid == 0)) {
        std::string buf;
        char chunk[65536];
        ssize_t n;
        while ((n = read(fd, chunk, sizeof(chunk))) > 0) buf.append(chunk, static_cast<size_t>(n));
        if (n == 0) text = std::move(buf);
    }
    close(fd);
    return text;
}

}  // namespace

void Tracer::flame_harvest(const std::set<int>& batch) {
    auto cells = read_cells(skel_->maps.flame_cells, &batch, true);
    flame_harvested_.insert(flame_harvested_.end(), cells.begin(), cells.end());
}

void Tracer::flame_read_maps(int tgid) {
    auto text = read_text_file("/proc/" + std::to_string(tgid) + "/maps");
    if (text && !text->empty()) flame_maps_[tgid] = std::move(*text);
    if (auto perf = read_perf_map(tgid)) flame_perf_maps_[tgid] = std::move(*perf);
}

// A forked child runs its parent's code at the parent's addresses.
void Tracer::flame_on_fork(int tgid, int ppid) {
    auto it = flame_maps_.find(ppid);
    if (it != flame_maps_.end()) flame_maps_[tgid] = it->second;
    auto perf = flame_perf_maps_.find(ppid);
    if (perf != flame_perf_maps_.end()) flame_perf_maps_[tgid] = perf->second;
}

// The old image is gone: never symbolize with it.
void Tracer::flame_on_exec(int tgid) {
    flame_maps_.erase(tgid);
    flame_perf_maps_.erase(tgid);
    flame_read_maps(tgid);
}

void Tracer::flame_refresh_maps() {
    auto now = std::chrono::steady_clock::now();
    if (now - flame_maps_at_ < std::chrono::seconds(1)) return;
    flame_maps_at_ = now;
    size_t n = 0;
    auto it = records_.upper_bound(flame_maps_next_);
    for (size_t seen = 0; seen < records_.size() && n < kMapsRefreshesPerTurn; ++seen, ++it) {
        if (it == records_.end()) it = records_.begin();
        if (it->second.exited) continue;
        flame_read_maps(it->first);
        flame_maps_next_ = it->first;
        ++n;
    }
}

flame::Recording Tracer::flame_recording() {
    flame::Recording rec;
    if (!flame_) return rec;
    rec.stacks = flame_stacks_;
    rec.cells_max = flame_cells_max_;
    rec.stacks_max = flame_stacks_max_;
    rec.cells = flame_harvested_;
    auto live = read_cells(skel_->maps.flame_cells, nullptr, false);
    rec.cells.insert(rec.cells.end(), live.begin(), live.end());

    std::vector<__u64> per_cpu(static_cast<size_t>(ncpus_));
    for (__u32 reason = 0; reason < IOT_FLAME_LOST_NR; ++reason)
        if (bpf_map__lookup_elem(skel_->maps.flame_lost, &reason, sizeof(reason), per_cpu.data(),
                                 per_cpu.size() * sizeof(__u64), 0) == 0)
            for (__u64 v : per_cpu) rec.lost[reason] += v;

    if (!flame_stacks_) return rec;
    std::set<int> pids;
    std::vector<__u64> ips(IOT_FLAME_STACK_DEPTH);
    for (const flame::RawCell& c : rec.cells) {
        pids.insert(static_cast<int>(c.key.tgid));
        if (c.key.stack_id < 0 || rec.stack_ips.count(c.key.stack_id)) continue;
        __u32 id = static_cast<__u32>(c.key.stack_id);
        std::fill(ips.begin(), ips.end(), 0);
        if (bpf_map__lookup_elem(skel_->maps.flame_stacks, &id, sizeof(id), ips.data(), ips.size() * sizeof(__u64),
                                 0))
            continue;
        auto end = std::find(ips.begin(), ips.end(), 0);
        rec.stack_ips[c.key.stack_id] = std::vector<uint64_t>(ips.begin(), end);
    }
    for (int pid : pids) {
        auto r = records_.find(pid);
        if (r == records_.end() || !r->second.exited) flame_read_maps(pid);
        auto m = flame_maps_.find(pid);
        if (m != flame_maps_.end()) rec.maps[pid] = m->second;
        auto perf = flame_perf_maps_.find(pid);
        if (perf != flame_perf_maps_.end()) rec.perf_maps[pid] = perf->second;
    }
    return rec;
}

}  // namespace iotrace
