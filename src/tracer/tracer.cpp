#include "tracer/tracer.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "iotrace.h"
#include "iotrace.skel.h"
#include "model/fold.h"
#include "proc/proc_info.h"
#include "tracer/libbpf_log.h"
#include "tracer/readiness_maps.h"
#include "tracer/syscall_numbers.h"
#include "util/failure.h"

namespace iotrace {
namespace {

std::string errstr(int err) { return std::strerror(err < 0 ? -err : err); }

std::string load_hint() {
    std::string hint;
    FILE* f = std::fopen("/sys/kernel/security/lockdown", "r");
    if (f) {
        char buf[128] = {};
        if (std::fgets(buf, sizeof(buf), f) &&
            (std::strstr(buf, "[integrity]") || std::strstr(buf, "[confidentiality]")))
            hint = "\nkernel lockdown is active (/sys/kernel/security/lockdown): BPF tracing is refused; "
                   "boot with lockdown=none or disable Secure Boot's lockdown";
        std::fclose(f);
    }
    return hint;
}

// "raw_tp/sys_enter" -> "sys_enter"
std::string tracepoint_of(const bpf_program* prog) {
    std::string sec = bpf_program__section_name(prog);
    auto slash = sec.find('/');
    return slash == std::string::npos ? sec : sec.substr(slash + 1);
}

}  // namespace

Tracer::Tracer(const TracerConfig& config) {
    libbpf_log_init(config.verbose);
    ncpus_ = libbpf_num_possible_cpus();
    if (ncpus_ <= 0) throw Failure("cannot count the possible CPUs (/sys/devices/system/cpu/possible)");

    skel_ = iotrace_bpf__open();
    if (!skel_) throw Failure("failed to open the BPF object: " + errstr(errno) + libbpf_log_tail());
    skel_->rodata->self_tgid = static_cast<__u32>(getpid());
    skel_->rodata->trace_all = config.trace_all;
    skel_->rodata->floor_only = config.floor_only;
    for (int sys = 0; sys < IOT_NR_SYS; ++sys)
        if (auto nr = syscall_number(sys)) skel_->rodata->sys_of_nr[*nr] = static_cast<__u8>(sys + 1);
    nslots_ = config.proc_slots < 0 ? proc_slot_count(ncpus_) : static_cast<__u32>(config.proc_slots);
    // a map needs one entry at least; with no slot pushed, none is used
    bpf_map__set_max_entries(skel_->maps.proc_stats, std::max<__u32>(nslots_, 1));
    bpf_map__set_max_entries(skel_->maps.free_slots, std::max<__u32>(nslots_, 1));
    ntslots_ = config.thread_slots < 0 ? kThreadSlots : static_cast<__u32>(config.thread_slots);
    bpf_map__set_max_entries(skel_->maps.thread_stats, std::max<__u32>(ntslots_, 1));
    bpf_map__set_max_entries(skel_->maps.free_tslots, std::max<__u32>(ntslots_, 1));

    if (int err = iotrace_bpf__load(skel_)) {
        std::string msg = "failed to load the BPF programs into the kernel: " + errstr(err);
        if (err == -EPERM || err == -EACCES)
            msg += "\niotrace needs root or CAP_BPF+CAP_PERFMON (and CAP_SYS_RESOURCE on some kernels): run it with sudo";
        msg += load_hint() + libbpf_log_tail();
        iotrace_bpf__destroy(skel_);
        skel_ = nullptr;
        throw Failure(msg);
    }
    try {
        for (__u32 slot = 0; slot < nslots_; ++slot)
            if (bpf_map__update_elem(skel_->maps.free_slots, nullptr, 0, &slot, sizeof(slot), 0))
                throw Failure("cannot fill the BPF map of free process slots: " + errstr(errno));
        thread_slots_.open(skel_->maps.thread_stats, skel_->maps.free_tslots, ntslots_);
        attach_all();
    } catch (...) {
        iotrace_bpf__destroy(skel_);
        skel_ = nullptr;
        throw;
    }
    ring_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), on_ring_event, this, nullptr);
    if (!ring_) {
        iotrace_bpf__destroy(skel_);
        skel_ = nullptr;
        throw Failure("failed to set up the BPF ring buffer: " + errstr(errno));
    }
}

// Attaches program by program, so a failure names its tracepoint.
void Tracer::attach_all() {
    bpf_program* prog;
    bpf_object__for_each_program(prog, skel_->obj) {
        bpf_link* link = bpf_program__attach(prog);
        if (!link)
            throw Failure("failed to attach the BPF program to " + tracepoint_of(prog) + ": " + errstr(errno) +
                          load_hint() + libbpf_log_tail());
        // the skeleton's destroy does not know these links: keep them in
        // the program's skeleton slot
        bool stored = false;
        for (int i = 0; i < skel_->skeleton->prog_cnt; ++i) {
            if (*skel_->skeleton->progs[i].prog == prog) {
                *skel_->skeleton->progs[i].link = link;
                stored = true;
                break;
            }
        }
        if (!stored) bpf_link__destroy(link);
    }
}

Tracer::~Tracer() {
    ring_buffer__free(ring_);
    if (skel_) iotrace_bpf__destroy(skel_);
}

// The kernel side tests this bitmap on every syscall; its fork and exit
// handlers flip bits in the same words, so both sides use atomic ops.
void Tracer::set_target_bit(int tgid, bool on) {
    if (tgid < 0 || static_cast<unsigned>(tgid) >= IOT_PID_LIMIT)
        throw Failure("pid " + std::to_string(tgid) + " is above the kernel's pid limit");
    __u64* word = &skel_->bss->target_bits[tgid / 64];
    __u64 bit = 1ULL << (tgid % 64);
    if (on)
        __atomic_fetch_or(word, bit, __ATOMIC_SEQ_CST);
    else
        __atomic_fetch_and(word, ~bit, __ATOMIC_SEQ_CST);
}

void Tracer::add_target(int tgid, const std::string& comm, bool follow) {
    __u32 key = static_cast<__u32>(tgid);
    __u32 flags = follow ? IOT_TARGET_FOLLOW : 0;
    if (bpf_map__update_elem(skel_->maps.targets, &key, sizeof(key), &flags, sizeof(flags), BPF_ANY))
        throw Failure("cannot add pid " + std::to_string(tgid) + " to the traced set: " + errstr(errno));
    assign_counters(tgid);
    set_target_bit(tgid, true);
    Record& r = records_[tgid];
    r.comm = comm;
    preload(tgid);
    // It may have died between the caller's check and now: its exit event is lost.
    if (!process_exists(tgid)) mark_exited(tgid);
}

// Registrations made before the probes saw them are only in /proc: an
// attached server's, or those a followed child inherited.
void Tracer::preload(int tgid) {
    preload_epoll_registrations({skel_->maps.ep_by_fd, skel_->maps.ep_by_data, skel_->maps.proc_epfds}, tgid);
}

int Tracer::on_ring_event(void* ctx, void* data, size_t size) {
    if (size >= sizeof(iot_event)) static_cast<Tracer*>(ctx)->handle(*static_cast<const iot_event*>(data));
    return 0;
}

void Tracer::handle(const iot_event& e) {
    int tgid = static_cast<int>(e.tgid);
    std::string comm(e.comm, strnlen(e.comm, sizeof(e.comm)));
    switch (e.type) {
    case IOT_EV_FORK: {
        Record& r = records_[tgid];
        r.ppid = static_cast<int>(e.ppid);
        r.comm = comm;
        r.exited = false;
        r.harvested = false;
        preload(tgid);
        break;
    }
    case IOT_EV_EXEC:
        records_[tgid].comm = comm;
        break;
    case IOT_EV_EXIT: {
        Record& r = records_[tgid];
        r.comm = comm;
        r.exited = true;
        harvest(tgid, r);
        break;
    }
    default:
        break;
    }
}

void Tracer::poll(int timeout_ms) {
    int n = ring_buffer__poll(ring_, timeout_ms);
    if (n < 0 && n != -EINTR) throw Failure("reading the BPF ring buffer failed: " + errstr(n));
    thread_slots_.reap();  // free exited threads' slots before they run out
}

void Tracer::mark_exited(int tgid) {
    Record& r = records_[tgid];
    if (r.exited) return;
    r.exited = true;
    __u32 key = static_cast<__u32>(tgid);
    bpf_map__delete_elem(skel_->maps.targets, &key, sizeof(key), 0);
    set_target_bit(tgid, false);
    harvest(tgid, r);
}

// Slots of the per-CPU proc_stats array: up to 1024, within 32 MiB of kernel
// memory across all CPUs (a slot is one iot_proc per CPU). Processes past the
// free slots are counted in the procs hash, exactly but more slowly.
__u32 Tracer::proc_slot_count(int ncpus) {
    constexpr size_t kBudget = 32u << 20;
    size_t n = kBudget / (static_cast<size_t>(ncpus) * sizeof(iot_proc));
    return static_cast<__u32>(std::clamp<size_t>(n, 8, 1024));
}

// An exited process's counters can no longer change: read them once and free
// its kernel entry, so fork-per-connection servers do not fill the map.
void Tracer::harvest(int tgid, Record& r) {
    if (r.harvested) return;
    read_counters(tgid, r.final_stats);
    r.final_stats.fds = read_fd_stats(skel_->maps.fds, tgid, true);
    thread_slots_.reap();
    r.final_stats.threads = read_thread_stats(skel_->maps.threads, thread_slots_.records(tgid, true), tgid, true);
    __u32 key = static_cast<__u32>(tgid);
    bpf_map__delete_elem(skel_->maps.procs, &key, sizeof(key), 0);
    free_proc_slot(tgid);
    bpf_map__delete_elem(skel_->maps.proc_epfds, &key, sizeof(key), 0);
    for (bpf_map* m : {skel_->maps.ep_by_fd, skel_->maps.ep_by_data, skel_->maps.waiters, skel_->maps.wstates})
        delete_process_entries(m, tgid);
    r.harvested = true;
}

// A process is counted in its proc_stats slot, and in the procs hash for
// any thread that found no free slot: the sum of both.
bool Tracer::read_counters(int tgid, ProcessStats& out) {
    size_t n = static_cast<size_t>(ncpus_);
    std::vector<iot_proc> per_cpu(2 * n);
    size_t used = 0;
    __u32 key = static_cast<__u32>(tgid);
    if (auto slot = proc_slot(tgid);
        slot && bpf_map__lookup_elem(skel_->maps.proc_stats, &*slot, sizeof(*slot), per_cpu.data(),
                                     n * sizeof(iot_proc), 0) == 0)
        used += n;
    if (bpf_map__lookup_elem(skel_->maps.procs, &key, sizeof(key), per_cpu.data() + used, n * sizeof(iot_proc),
                             0) == 0)
        used += n;
    if (!used) return false;  // no traced call yet
    fold_percpu(per_cpu.data(), used, out);
    return true;
}

std::optional<__u32> Tracer::proc_slot(int tgid) const {
    __u32 key = static_cast<__u32>(tgid), slot;
    if (bpf_map__lookup_elem(skel_->maps.proc_slots, &key, sizeof(key), &slot, sizeof(slot), 0)) return std::nullopt;
    return slot;
}

// A target's counters are set up before it is traced: a proc_stats slot if
// one is free, else its procs hash entry (made here, where allocating cannot
// fail as it can in the kernel side's hot path).
void Tracer::assign_counters(int tgid) {
    __u32 key = static_cast<__u32>(tgid), slot;
    if (proc_slot(tgid)) return;
    if (bpf_map_lookup_and_delete_elem(bpf_map__fd(skel_->maps.free_slots), nullptr, &slot) == 0) {
        if (bpf_map__update_elem(skel_->maps.proc_slots, &key, sizeof(key), &slot, sizeof(slot), BPF_NOEXIST) == 0)
            return;
        bpf_map__update_elem(skel_->maps.free_slots, nullptr, 0, &slot, sizeof(slot), 0);
    }
    std::vector<iot_proc> zero(static_cast<size_t>(ncpus_));
    bpf_map__update_elem(skel_->maps.procs, &key, sizeof(key), zero.data(), zero.size() * sizeof(iot_proc),
                         BPF_NOEXIST);
}

// Zeroed before it is pushed back: the kernel side adds to a slot it pops
// without clearing it.
void Tracer::free_proc_slot(int tgid) {
    auto slot = proc_slot(tgid);
    if (!slot) return;
    __u32 key = static_cast<__u32>(tgid);
    bpf_map__delete_elem(skel_->maps.proc_slots, &key, sizeof(key), 0);
    std::vector<iot_proc> zero(static_cast<size_t>(ncpus_));
    if (bpf_map__update_elem(skel_->maps.proc_stats, &*slot, sizeof(*slot), zero.data(),
                             zero.size() * sizeof(iot_proc), 0) == 0)
        bpf_map__update_elem(skel_->maps.free_slots, nullptr, 0, &*slot, sizeof(*slot), 0);
}

bool Tracer::all_exited() const {
    if (records_.empty()) return false;
    for (const auto& [tgid, r] : records_)
        if (!r.exited) return false;
    return true;
}

std::vector<int> Tracer::live_targets() const {
    std::vector<int> out;
    for (const auto& [tgid, r] : records_)
        if (!r.exited) out.push_back(tgid);
    return out;
}

Snapshot Tracer::snapshot(double duration_s) {
    Snapshot snap;
    snap.version = IOTRACE_VERSION;
    snap.duration_s = duration_s;

    std::vector<__u64> lost(static_cast<size_t>(ncpus_));
    for (__u32 reason = 0; reason < IOT_LOST_NR; ++reason) {
        if (bpf_map__lookup_elem(skel_->maps.lost, &reason, sizeof(reason), lost.data(),
                                 lost.size() * sizeof(__u64), 0) == 0)
            for (auto v : lost) snap.lost[reason] += v;
    }

    // Processes the kernel counted that user space has no record of (the
    // system-wide mode creates them on first use).
    std::set<int> in_kernel;
    for (bpf_map* m : {skel_->maps.proc_slots, skel_->maps.procs}) {
        __u32 key, next;
        __u32* prev = nullptr;
        while (bpf_map__get_next_key(m, prev, &next, sizeof(next)) == 0) {
            in_kernel.insert(static_cast<int>(next));
            key = next;
            prev = &key;
        }
    }
    for (int tgid : in_kernel)
        if (!records_.count(tgid)) records_[tgid].comm = read_comm(tgid).value_or("?");

    for (auto& [tgid, r] : records_) {
        ProcessStats p;
        if (r.harvested) {
            p = r.final_stats;
        } else {
            read_counters(tgid, p);
            p.fds = read_fd_stats(skel_->maps.fds, tgid, false);
            p.threads = read_thread_stats(skel_->maps.threads, thread_slots_.records(tgid, false), tgid, false);
        }
        p.pid = tgid;
        p.ppid = r.ppid;
        p.comm = r.comm;
        p.exited = r.exited;
        snap.processes.push_back(std::move(p));
    }
    return snap;
}

}  // namespace iotrace
