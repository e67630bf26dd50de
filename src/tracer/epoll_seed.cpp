#include "tracer/epoll_seed.h"

#include <bpf/libbpf.h>

#include <algorithm>
#include <map>
#include <utility>

#include "proc/epoll_fdinfo.h"

namespace iotrace {
namespace {

using FdKey = std::pair<__s32, __s32>;  // (epfd, fd)

// What /proc shows now, and the epoll fds it was read from.
struct Reading {
    std::map<FdKey, iot_ep_reg> regs;
    std::vector<__s32> epfds;
};

Reading read_now(int tgid) {
    Reading out;
    for (int epfd : epoll_fds(tgid)) {
        auto regs = read_epoll_registrations(tgid, epfd);
        if (!regs) continue;  // closed since the listing
        out.epfds.push_back(epfd);
        for (const auto& r : *regs) out.regs[{epfd, r.fd}] = iot_ep_reg{r.fd, r.events, r.data, 0, 1};
    }
    return out;
}

iot_ep_fd_key fd_key(int tgid, __s32 epfd, __s32 fd) { return {static_cast<__u32>(tgid), epfd, fd, 0}; }

iot_ep_data_key data_key(int tgid, __s32 epfd, __u64 data) { return {static_cast<__u32>(tgid), epfd, data}; }

bool same(const iot_ep_reg& a, const iot_ep_reg& b) {
    return a.fd == b.fd && a.events == b.events && a.data == b.data;
}

bool insert(const EpollMaps& m, int tgid, __s32 epfd, const iot_ep_reg& reg, __u64 flags) {
    auto fk = fd_key(tgid, epfd, reg.fd);
    auto dk = data_key(tgid, epfd, reg.data);
    return bpf_map__update_elem(m.by_fd, &fk, sizeof(fk), &reg, sizeof(reg), flags) == 0 &&
           bpf_map__update_elem(m.by_data, &dk, sizeof(dk), &reg, sizeof(reg), flags) == 0;
}

// Deletes key's entry if it is still `reg` as seeded, not since written by
// the probes. The check and the deletion are two calls: the entry taken out
// is checked again, and put back if the probes wrote it in between.
void delete_if_seeded(bpf_map* map, const void* key, size_t key_size, const iot_ep_reg& reg) {
    iot_ep_reg cur{};
    auto ours = [&] { return cur.seeded && same(cur, reg); };
    if (bpf_map__lookup_elem(map, key, key_size, &cur, sizeof(cur), 0) != 0 || !ours()) return;
    if (bpf_map__lookup_and_delete_elem(map, key, key_size, &cur, sizeof(cur), 0) == 0 && !ours())
        bpf_map__update_elem(map, key, key_size, &cur, sizeof(cur), BPF_NOEXIST);
}

// close(fd) finds a process's registrations through its epoll fds: merge
// ours with those the probes may have noted.
void note_epfds(const EpollMaps& m, int tgid, const std::vector<__s32>& epfds) {
    if (epfds.empty()) return;
    __u32 key = static_cast<__u32>(tgid);
    iot_proc_epfds slots;
    if (bpf_map__lookup_elem(m.proc_epfds, &key, sizeof(key), &slots, sizeof(slots), 0) != 0)
        for (auto& s : slots.epfd) s = -1;
    auto* end = slots.epfd + IOT_MAX_EPFDS;
    for (__s32 epfd : epfds) {
        if (std::find(slots.epfd, end, epfd) != end) continue;
        auto* free_slot = std::find(slots.epfd, end, -1);
        if (free_slot != end) *free_slot = epfd;
    }
    bpf_map__update_elem(m.proc_epfds, &key, sizeof(key), &slots, sizeof(slots), BPF_ANY);
}

}  // namespace

std::vector<SeededReg> seed_epoll_registrations(const EpollMaps& maps, int tgid) {
    std::vector<SeededReg> seeded;
    Reading now = read_now(tgid);
    for (const auto& [k, reg] : now.regs)
        // BPF_NOEXIST: a registration the probes saw is newer
        if (insert(maps, tgid, k.first, reg, BPF_NOEXIST)) seeded.push_back({k.first, reg});
    note_epfds(maps, tgid, now.epfds);
    return seeded;
}

void reconcile_epoll_registrations(const EpollMaps& maps, int tgid, const std::vector<SeededReg>& seeded) {
    // The probes follow every change the process makes from before the
    // first read on (src/tracer/epoll_seed.h), so the only entries that can
    // be wrong are ours: a registration the first read saw, whose removal
    // the probes applied before the first pass put it in. /proc no longer
    // has it: it goes, unless the probes have written it since (made again).
    // One that /proc shows otherwise than seeded was changed by a call the
    // probes follow, done or still under way: their entry wins.
    Reading now = read_now(tgid);
    for (const auto& s : seeded) {
        if (now.regs.count({s.epfd, s.reg.fd})) continue;
        auto fk = fd_key(tgid, s.epfd, s.reg.fd);
        auto dk = data_key(tgid, s.epfd, s.reg.data);
        delete_if_seeded(maps.by_data, &dk, sizeof(dk), s.reg);
        delete_if_seeded(maps.by_fd, &fk, sizeof(fk), s.reg);
    }
    note_epfds(maps, tgid, now.epfds);
}

}  // namespace iotrace
