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
        for (const auto& r : *regs) out.regs[{epfd, r.fd}] = iot_ep_reg{r.fd, r.events, r.data, 0, 0};
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

// As the probes' ep_unregister: the data key may since name another fd's
// registration, which stays.
void remove(const EpollMaps& m, int tgid, __s32 epfd, const iot_ep_reg& reg) {
    auto fk = fd_key(tgid, epfd, reg.fd);
    auto dk = data_key(tgid, epfd, reg.data);
    iot_ep_reg cur{};
    if (bpf_map__lookup_elem(m.by_data, &dk, sizeof(dk), &cur, sizeof(cur), 0) == 0 && cur.fd == reg.fd)
        bpf_map__delete_elem(m.by_data, &dk, sizeof(dk), 0);
    bpf_map__delete_elem(m.by_fd, &fk, sizeof(fk), 0);
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
    std::map<FdKey, iot_ep_reg> first;
    for (const auto& s : seeded) first[{s.epfd, s.reg.fd}] = s.reg;
    // The map's entry is still what the first pass put there: the probes
    // have not touched it.
    auto untouched = [&](const FdKey& k, const iot_ep_reg& in_map) {
        auto it = first.find(k);
        return it != first.end() && same(it->second, in_map);
    };
    Reading now = read_now(tgid);
    for (const auto& [k, reg] : now.regs) {
        auto fk = fd_key(tgid, k.first, k.second);
        iot_ep_reg cur{};
        if (bpf_map__lookup_elem(maps.by_fd, &fk, sizeof(fk), &cur, sizeof(cur), 0) != 0) {
            insert(maps, tgid, k.first, reg, BPF_NOEXIST);  // added before the bit, unseen
        } else if (!same(cur, reg) && untouched(k, cur)) {
            remove(maps, tgid, k.first, cur);  // modified before the bit, unseen
            insert(maps, tgid, k.first, reg, BPF_ANY);
        }
    }
    for (const auto& [k, reg] : first) {
        if (now.regs.count(k)) continue;
        auto fk = fd_key(tgid, k.first, k.second);
        iot_ep_reg cur{};
        if (bpf_map__lookup_elem(maps.by_fd, &fk, sizeof(fk), &cur, sizeof(cur), 0) == 0 && untouched(k, cur))
            remove(maps, tgid, k.first, cur);  // deleted before the bit, unseen
    }
    note_epfds(maps, tgid, now.epfds);
}

}  // namespace iotrace
