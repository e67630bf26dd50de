#include "tracer/tracer.h"

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <malloc.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "iotrace.h"
#include "iotrace.skel.h"
#include "model/fold.h"
#include "proc/proc_info.h"
#include "tracer/epoll_seed.h"
#include "tracer/libbpf_log.h"
#include "tracer/preflight.h"
#include "tracer/programs.h"
#include "tracer/readiness_maps.h"
#include "tracer/syscall_numbers.h"
#include "util/failure.h"

namespace iotrace {
namespace {

std::string errstr(int err) { return std::strerror(err < 0 ? -err : err); }


std::string privilege_hint() {
    return "\niotrace needs root or CAP_BPF+CAP_PERFMON (and CAP_SYS_RESOURCE on some kernels): run it with sudo";
}

// "verified_insns: N" in the program fd's fdinfo (Linux 5.16+; 0 before).
__u64 verified_insns(int prog_fd) {
    std::ifstream in("/proc/self/fdinfo/" + std::to_string(prog_fd));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("verified_insns:", 0) == 0) return std::strtoull(line.c_str() + 15, nullptr, 10);
    return 0;
}

// eventpoll.refcount counts the registrations since Linux 6.4; the kernel
// side reads it only where the kernel's BTF has it.
bool epoll_interest_size_readable() {
    // A fixed mmap threshold: freeing the parse's 5 MB buffer would raise
    // glibc's dynamic one, and libbpf's own parse of the same BTF would then
    // come from the heap and stay there (5.7 MB more peak RSS).
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    btf* vmlinux = btf__load_vmlinux_btf();
    if (!vmlinux) return false;
    bool found = false;
    int id = btf__find_by_name_kind(vmlinux, "eventpoll", BTF_KIND_STRUCT);
    if (id > 0) {
        const btf_type* t = btf__type_by_id(vmlinux, id);
        const btf_member* m = btf_members(t);
        for (int i = 0; i < btf_vlen(t); ++i, ++m)
            if (std::strcmp(btf__name_by_offset(vmlinux, m->name_off), "refcount") == 0) found = true;
    }
    btf__free(vmlinux);
    return found;
}

std::string load_hint() {
    std::ifstream in("/sys/kernel/security/lockdown");
    std::stringstream text;
    text << in.rdbuf();
    std::string mode = in ? active_lockdown(text.str()) : "";
    if (mode != "integrity" && mode != "confidentiality") return "";
    return "\nkernel lockdown is active (/sys/kernel/security/lockdown: " + mode +
           "): BPF tracing is refused; boot with lockdown=none or disable Secure Boot's lockdown";
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
    trace_all_ = config.trace_all;
    nslots_ = config.proc_slots < 0 ? proc_slot_count(ncpus_, config.trace_all || config.follow)
                                    : static_cast<__u32>(config.proc_slots);
    ntslots_ = config.thread_slots < 0 ? kThreadSlots : static_cast<__u32>(config.thread_slots);

    // Whether the kernel lets the epoll interest-list size be read (BTF).
    bool epoll_watched = epoll_interest_size_readable();
    if (!load(config)) return;  // --check: the core did not load, the report says why
    try {
        // pushed last to first, so slot 0 is taken first: the slots in use
        // stay low, and a frame's batch read of them stops early
        for (__u32 slot = nslots_; slot-- > 0;)
            if (bpf_map__update_elem(skel_->maps.free_slots, nullptr, 0, &slot, sizeof(slot), 0))
                throw Failure("cannot fill the BPF map of free process slots: " + errstr(errno));
        thread_slots_.open(skel_->maps.thread_stats, skel_->maps.free_tslots, ntslots_);
        attach_all(config);
        fill_prog_arrays(epoll_watched);
        ring_ = ring_buffer__new(bpf_map__fd(skel_->maps.events), on_ring_event, this, nullptr);
        if (!ring_) throw Failure("failed to set up the BPF ring buffer: " + errstr(errno));
    } catch (...) {
        iotrace_bpf__destroy(skel_);
        skel_ = nullptr;
        throw;
    }
}

// Opens the object and sets what must be set before load: the rodata
// switches, the syscall table, the sizes of the slot arrays.
void Tracer::open_configured(const TracerConfig& config) {
    skel_ = iotrace_bpf__open();
    if (!skel_) throw Failure("failed to open the BPF object: " + errstr(errno) + libbpf_log_tail());
    skel_->rodata->self_tgid = static_cast<__u32>(getpid());
    skel_->rodata->trace_all = config.trace_all;
    skel_->rodata->filter_uid = config.uid_filter < 0 ? IOT_NO_UID : static_cast<__u32>(config.uid_filter);
    skel_->rodata->floor_only = config.floor_only;
    for (int sys = 0; sys < IOT_NR_SYS; ++sys)
        if (auto nr = syscall_number(sys)) skel_->rodata->sys_of_nr[*nr] = static_cast<__u8>(sys + 1);
    // a map needs one entry at least; with no slot pushed, none is used
    bpf_map__set_max_entries(skel_->maps.proc_stats, std::max<__u32>(nslots_, 1));
    bpf_map__set_max_entries(skel_->maps.free_slots, std::max<__u32>(nslots_, 1));
    bpf_map__set_max_entries(skel_->maps.thread_stats, std::max<__u32>(ntslots_, 1));
    // System-wide, every exit of a process that made a traced call is an
    // event, and following, every fork and exit: room for a fork storm's
    // while a refresh is being drawn.
    if (config.trace_all || config.follow) bpf_map__set_max_entries(skel_->maps.events, kAllEventsRing);
    bpf_map__set_max_entries(skel_->maps.free_tslots, std::max<__u32>(ntslots_, 1));
    // iotrace flame: off, its maps take one entry and its code is dropped by the verifier
    flame_ = config.flame;
    flame_stacks_ = config.flame && config.flame_stacks;
    flame_cells_max_ = !flame_ ? 1 : config.flame_cells < 0 ? kFlameCells : static_cast<__u32>(config.flame_cells);
    flame_stacks_max_ = !flame_stacks_ ? 1
                        : config.flame_stack_slots < 0 ? kFlameStacks
                                                       : static_cast<__u32>(config.flame_stack_slots);
    skel_->rodata->flame_on = flame_;
    skel_->rodata->flame_stacks_on = flame_stacks_;
    bpf_map__set_max_entries(skel_->maps.flame_cells, std::max<__u32>(flame_cells_max_, 1));
    bpf_map__set_max_entries(skel_->maps.flame_stacks, std::max<__u32>(flame_stacks_max_, 1));
}

// Loads every program the kernel takes. libbpf loads an object whole, so a
// refused program means: note it, reopen without it (and with its fallback),
// load again. Only the dispatchers are indispensable. Returns false when
// they failed in --check mode (the report has the error); throws otherwise.
bool Tracer::load(const TracerConfig& config) {
    std::set<std::string> failed;
    std::map<std::string, std::string> why;
    // --fail-prog: the named programs go to the kernel marked sleepable,
    // which its verifier refuses for tracepoint programs: a real refusal,
    // through the same path as any other (tests of each degraded path).
    const std::set<std::string> forced(config.fail_progs.begin(), config.fail_progs.end());
    std::vector<ProgramLoad> refused;  // in the order the kernel refused them
    for (int attempt = 0;; ++attempt) {
        open_configured(config);
        check_program_names(config.fail_progs);
        for (bpf_program* prog = bpf_object__next_program(skel_->obj, nullptr); prog;
             prog = bpf_object__next_program(skel_->obj, prog)) {
            std::string name = bpf_program__name(prog);
            bool on = !failed.count(name);
            // a fallback loads only in place of its program (or for --check,
            // which reports every program's verification)
            if (on && is_fallback(name) && !config.check_only) {
                on = false;
                for (const Family& f : families())
                    if (f.exit_basic && name == f.exit_basic) on = failed.count(f.exit) > 0;
            }
            bpf_program__set_autoload(prog, on);
            if (on && forced.count(name)) bpf_program__set_flags(prog, bpf_program__flags(prog) | BPF_F_SLEEPABLE);
        }

        libbpf_log_reset_failure();
        int err = iotrace_bpf__load(skel_);
        if (err == 0) {
            record_programs(failed, why, forced);
            return true;
        }
        auto fail = libbpf_log_failure();
        iotrace_bpf__destroy(skel_);
        skel_ = nullptr;
        if (!fail || failed.count(fail->program) || attempt > 64) {
            // not a program (a map the kernel lacks, memory...): nothing to drop
            std::string msg = "failed to load the BPF object into the kernel: " + errstr(err);
            if ((err == -EPERM || err == -EACCES) && !fail) msg += privilege_hint();
            throw Failure(msg + load_hint() + libbpf_log_tail());
        }
        std::string verdict = fail->last_line.empty() ? fail->error : fail->last_line;
        if (forced.count(fail->program)) verdict = "forced by --fail-prog (the kernel refused it: " + verdict + ")";
        failed.insert(fail->program);
        why[fail->program] = verdict;
        save_verifier_log(config, fail->program, fail->verifier_log);
        ProgramLoad pl;
        pl.name = fail->program;
        pl.forced = forced.count(fail->program) > 0;
        pl.error = verdict;
        refused.push_back(pl);
        if (is_core(fail->program)) return core_failed(config, fail->program, verdict, fail->verifier_log, refused);
    }
}

// The dispatchers did not load: nothing can be counted.
bool Tracer::core_failed(const TracerConfig& config, const std::string& program, const std::string& verdict,
                         const std::string& verifier_log, const std::vector<ProgramLoad>& refused) {
    load_report_.programs = refused;
    for (Part p : all_parts()) load_report_.availability.missing[p] = program + ": " + verdict;
    if (skel_) {
        iotrace_bpf__destroy(skel_);
        skel_ = nullptr;
    }
    if (config.check_only) return false;
    std::string msg = (verifier_log.empty() ? "the BPF program " + program + " did not load: "
                                            : "the kernel's verifier refused the BPF program " + program + ": ") +
                      verdict;
    if (!verifier_log.empty())
        msg += load_report_.verifier_log_path.empty()
                   ? "\n(run with -v to save the full verifier log)"
                   : "\nfull verifier log: " + load_report_.verifier_log_path;
    msg += "\niotrace cannot count without " + program + "; please report this kernel (uname -r) to the iotrace developers";
    throw Failure(msg);
}

// -v: the full log of a refused program, in a file named in the report.
std::string Tracer::save_verifier_log(const TracerConfig& config, const std::string& program,
                                      const std::string& log) {
    if (!config.verbose || log.empty()) return "";
    const char* tmp = std::getenv("TMPDIR");
    std::string path = std::string(tmp && *tmp ? tmp : "/tmp") + "/iotrace-verifier." + std::to_string(getpid()) + ".log";
    FILE* f = std::fopen(path.c_str(), load_report_.verifier_log_path.empty() ? "w" : "a");
    if (!f) return "";
    std::fprintf(f, "=== %s ===\n%s\n", program.c_str(), log.c_str());
    std::fclose(f);
    load_report_.verifier_log_path = path;
    return path;
}

// --fail-prog names must be programs: a typo would test nothing.
void Tracer::check_program_names(const std::vector<std::string>& names) {
    for (const std::string& name : names) {
        if (bpf_object__find_program_by_name(skel_->obj, name.c_str())) continue;
        std::string all;
        for (bpf_program* prog = bpf_object__next_program(skel_->obj, nullptr); prog;
             prog = bpf_object__next_program(skel_->obj, prog))
            all += std::string(all.empty() ? "" : ", ") + bpf_program__name(prog);
        iotrace_bpf__destroy(skel_);
        skel_ = nullptr;
        throw Failure("--fail-prog: there is no BPF program named '" + name + "' (programs: " + all + ")", kExitUsage);
    }
}

// Each program's verified instructions (fdinfo) and load time: the kernel
// stamps every program when its load starts, and loads them one after the
// other, so a program's time runs to the next one's stamp.
void Tracer::record_programs(const std::set<std::string>& failed,
                             const std::map<std::string, std::string>& why, const std::set<std::string>& forced) {
    timespec after{};
    clock_gettime(CLOCK_BOOTTIME, &after);
    __u64 end_ns = static_cast<__u64>(after.tv_sec) * 1000000000ull + static_cast<__u64>(after.tv_nsec);
    std::vector<std::pair<__u64, size_t>> stamps;
    std::vector<ProgramLoad>& out = load_report_.programs;
    for (bpf_program* prog = bpf_object__next_program(skel_->obj, nullptr); prog;
         prog = bpf_object__next_program(skel_->obj, prog)) {
        ProgramLoad pl;
        pl.name = bpf_program__name(prog);
        int fd = bpf_program__fd(prog);
        pl.loaded = fd >= 0;
        if (pl.loaded) {
            pl.verified_insns = verified_insns(fd);
            bpf_prog_info info{};
            __u32 len = sizeof(info);
            if (bpf_obj_get_info_by_fd(fd, &info, &len) == 0) stamps.push_back({info.load_time, out.size()});
            loaded_.insert(pl.name);
        } else if (failed.count(pl.name)) {
            auto it = why.find(pl.name);
            pl.error = it == why.end() ? "not loaded" : it->second;
            pl.forced = forced.count(pl.name) > 0;
        } else {
            continue;  // a fallback that was not needed
        }
        out.push_back(pl);
    }
    std::sort(stamps.begin(), stamps.end());
    for (size_t i = 0; i < stamps.size(); ++i) {
        __u64 next = i + 1 < stamps.size() ? stamps[i + 1].first : end_ns;
        if (next > stamps[i].first) out[stamps[i].second].load_ms = static_cast<double>(next - stamps[i].first) / 1e6;
    }
    why_ = why;
}

// The dispatchers tail-call the family programs through two arrays indexed
// by syscall number; a family is entered only if its exit loaded too.
void Tracer::fill_prog_arrays(bool epoll_watched) {
    for (const Family& f : families()) {
        std::string exit = family_exit(f, loaded_);
        if (exit.empty()) continue;
        int enter_fd = bpf_program__fd(bpf_object__find_program_by_name(skel_->obj, f.enter));
        int exit_fd = bpf_program__fd(bpf_object__find_program_by_name(skel_->obj, exit.c_str()));
        for (int sys : syscalls_of(f.counts)) {
            auto nr = syscall_number(sys);
            if (!nr) continue;
            __u32 key = static_cast<__u32>(*nr);
            if (bpf_map__update_elem(skel_->maps.exit_progs, &key, sizeof(key), &exit_fd, sizeof(exit_fd), 0) ||
                bpf_map__update_elem(skel_->maps.enter_progs, &key, sizeof(key), &enter_fd, sizeof(enter_fd), 0))
                throw Failure("cannot fill the BPF program arrays for " + std::string(f.name) + ": " + errstr(errno));
        }
    }
    // the exit of an epoll_ctl or close entered before the probes followed
    // its process (dispatch.bpf.c)
    if (loaded_.count("exit_unseen")) {
        __u32 key = 0;
        int fd = bpf_program__fd(skel_->progs.exit_unseen);
        if (bpf_map__update_elem(skel_->maps.unseen_progs, &key, sizeof(key), &fd, sizeof(fd), 0))
            throw Failure("cannot fill the BPF program array for exit_unseen: " + errstr(errno));
    } else {
        auto it = why_.find("exit_unseen");
        warnings_.push_back("exit_unseen did not load (" + (it == why_.end() ? std::string("not loaded") : it->second) +
                            "): an epoll_ctl or close in flight while iotrace attaches is not followed (events "
                            "of such a registration count under lost.unknown_epoll_registration)");
    }
    load_report_.availability = availability_of(loaded_, why_);
    if (!epoll_watched)
        load_report_.availability.missing[Part::EpollWatched] =
            "this kernel's struct eventpoll has no refcount (Linux < 6.4): the epoll interest-list size cannot be read";
}

// Attaches the hooks, dispatchers first. A hook that does not attach (a
// tracepoint this kernel lacks) costs what it provides, not the run.
void Tracer::attach_all(const TracerConfig& config) {
    (void)config;
    for (const Hook& h : hooks()) {
        if (!loaded_.count(h.name)) {
            if (!h.has_part) {
                auto it = why_.find(h.name);
                warnings_.push_back(std::string(h.name) + " did not load (" +
                                    (it == why_.end() ? std::string("not loaded") : it->second) + "): " + h.without);
            }
            continue;
        }
        bpf_program* prog = bpf_object__find_program_by_name(skel_->obj, h.name);
        bpf_link* link = bpf_program__attach(prog);
        if (!link) {
            std::string err = "cannot attach to " + tracepoint_of(prog) + ": " + errstr(errno);
            if (h.core) throw Failure("failed to attach the BPF program " + std::string(h.name) + " (" + err + ")" +
                                      load_hint() + libbpf_log_tail());
            loaded_.erase(h.name);
            why_[h.name] = err;
            for (ProgramLoad& pl : load_report_.programs)
                if (pl.name == h.name) pl.error = err;
            if (!h.has_part) warnings_.push_back(std::string(h.name) + ": " + err + ": " + h.without);
            continue;
        }
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
    // Its epoll_ctl and close calls followed from now on (the targets entry
    // above, no bit yet), its registrations in before the bit, so the first
    // counted wait knows them; read again after it for what the first read
    // put back after the probes deleted it (src/tracer/epoll_seed.h).
    {
        SeedingWindow window(skel_->bss->seeding_any);
        EpollMaps ep = epoll_maps();
        auto seeded = seed_epoll_registrations(ep, tgid);
        set_target_bit(tgid, true);
        reconcile_epoll_registrations(ep, tgid, seeded);
    }
    Record& r = records_[tgid];
    r.comm = comm;
    r.uid = read_uid(tgid).value_or(-1);
    r.target = true;
    if (flame_stacks_) flame_read_maps(tgid);
    // It may have died between the caller's check and now: its exit event is lost.
    if (!process_exists(tgid)) mark_exited(tgid);
}

EpollMaps Tracer::epoll_maps() const { return {skel_->maps.ep_by_fd, skel_->maps.ep_by_data, skel_->maps.proc_epfds}; }

// Registrations a followed child inherited are only in /proc (it is traced
// from its fork, before user space hears of it).
void Tracer::preload(int tgid) { seed_epoll_registrations(epoll_maps(), tgid); }

// Only records what happened: the work an event calls for is queued and done
// by catch_up. libbpf's poll consumes until the ring is empty, so a callback
// slower than the events (a fork storm's exits each reading and deleting map
// entries) kept it from ever returning. Past kEventsPerPoll it stops the
// consumption (the event is still consumed and handled).
int Tracer::on_ring_event(void* ctx, void* data, size_t size) {
    auto* self = static_cast<Tracer*>(ctx);
    if (size >= sizeof(iot_event)) self->handle(*static_cast<const iot_event*>(data));
    return ++self->ring_events_ >= kEventsPerPoll ? -ECANCELED : 0;
}

void Tracer::handle(const iot_event& e) {
    int tgid = static_cast<int>(e.tgid);
    std::string comm(e.comm, strnlen(e.comm, sizeof(e.comm)));
    switch (e.type) {
    case IOT_EV_FORK: {
        Record& r = records_[tgid];
        r.ppid = static_cast<int>(e.ppid);
        r.uid = static_cast<int>(e.uid);
        r.comm = comm;
        r.exited = false;
        r.collected = false;
        r.harvested = false;
        to_preload_.push_back(tgid);
        if (flame_stacks_) flame_on_fork(tgid, r.ppid);
        break;
    }
    case IOT_EV_EXEC: {
        Record& r = records_[tgid];
        r.comm = comm;
        r.uid = static_cast<int>(e.uid);
        if (flame_stacks_) flame_on_exec(tgid);
        break;
    }
    case IOT_EV_EXIT: {
        Record& r = records_[tgid];
        r.comm = comm;
        r.uid = static_cast<int>(e.uid);
        // a process met system-wide and gone before /proc told its parent
        // (a target's parent stays unknown: targets are never grouped)
        if (!r.ppid && !r.target) r.ppid = static_cast<int>(e.ppid);
        if (!r.exited) to_harvest_.push_back(tgid);
        r.exited = true;
        break;
    }
    default:
        break;
    }
}

int Tracer::ring_fd() const { return ring_buffer__epoll_fd(ring_); }

void Tracer::poll(int timeout_ms, bool sweep) {
    ring_events_ = 0;
    int n = ring_buffer__poll(ring_, timeout_ms);
    if (n < 0 && n != -EINTR && n != -ECANCELED) throw Failure("reading the BPF ring buffer failed: " + errstr(n));
    catch_up(kPreloadsPerPoll, kHarvestsPerPoll, sweep);
    if (flame_stacks_) flame_refresh_maps();
}

// Seeds the registrations of forked children still alive (an exited one has
// no /proc to read), then harvests exited processes in one batch, oldest
// first. Exits are harvested promptly: the kernel side hands their proc_stats
// slots to new children only once they are freed here.
void Tracer::catch_up(size_t max_preloads, size_t max_harvests, bool sweep) {
    size_t n = std::min(max_preloads, to_preload_.size());
    for (size_t i = 0; i < n; ++i) {
        auto it = records_.find(to_preload_[i]);
        if (it != records_.end() && !it->second.exited) preload(to_preload_[i]);
    }
    to_preload_.erase(to_preload_.begin(), to_preload_.begin() + static_cast<long>(n));
    // once per turn (it scans every slot): frees exited threads' slots
    // before they run out, and hands harvest their figures
    thread_slots_.reap();
    n = std::min(max_harvests, to_harvest_.size());
    std::vector<int> batch(to_harvest_.begin(), to_harvest_.begin() + static_cast<long>(n));
    to_harvest_.erase(to_harvest_.begin(), to_harvest_.begin() + static_cast<long>(n));
    collect(batch);
    if (sweep) this->sweep();
}

void Tracer::mark_exited(int tgid) {
    Record& r = records_[tgid];
    if (r.exited) return;
    r.exited = true;
    __u32 key = static_cast<__u32>(tgid);
    bpf_map__delete_elem(skel_->maps.targets, &key, sizeof(key), 0);
    set_target_bit(tgid, false);
    to_harvest_.push_back(tgid);
}

// Slots of the per-CPU proc_stats array: up to 1024, within 32 MiB of kernel
// memory across all CPUs (a slot is one iot_proc per CPU). Processes past the
// free slots are counted in the procs hash, exactly but more slowly, and its
// entries are allocated as processes come: under a fork storm an allocation
// can fail (counted lost, proc_map_full). System-wide or following children
// (storms), every process that makes a traced call takes one, and an exited
// one holds it until user space has read it: up to 4096, within 64 MiB. At
// 7,000 children a second, 1,024 slots are 150 ms of user space falling
// behind; 4,096 are 600 ms (BENCHMARKS.md, scripts/bench/fork_storm_slots).
__u32 Tracer::proc_slot_count(int ncpus, bool storms) {
    const size_t budget = storms ? 64u << 20 : 32u << 20;
    size_t n = budget / (static_cast<size_t>(ncpus) * sizeof(iot_proc));
    return static_cast<__u32>(std::clamp<size_t>(n, 8, storms ? 4096 : 1024));
}

// An exited process's counters can no longer change: read them once and free
// its kernel entries, so fork-per-connection servers do not fill the maps.
// In two steps: collect (its counters, its thread slots' records; its
// counter slot goes back to the kernel side for the next process) and sweep
// (its per-fd, per-thread and epoll entries, in one walk of each map for
// every process collected since the last sweep).
void Tracer::harvest(const std::vector<int>& tgids) {
    collect(tgids);
    sweep();
}

void Tracer::collect(const std::vector<int>& tgids) {
    for (int tgid : tgids) {
        Record& r = records_[tgid];
        if (r.collected) continue;
        r.final_stats = std::make_unique<ProcessStats>();
        r.counted |= read_counters(tgid, *r.final_stats);
        __u32 key = static_cast<__u32>(tgid);
        bpf_map__delete_elem(skel_->maps.procs, &key, sizeof(key), 0);
        free_proc_slot(tgid);
        r.collected = true;
        to_sweep_.push_back(tgid);
    }
}

void Tracer::sweep() {
    std::set<int> batch(to_sweep_.begin(), to_sweep_.end());
    to_sweep_.clear();
    if (batch.empty()) return;
    std::map<int, std::vector<iot_thread>> slots = thread_slots_.take_records(batch);
    if (flame_) flame_harvest(batch);
    auto fds = read_fd_stats(skel_->maps.fds, batch, true);
    auto threads = read_thread_stats(skel_->maps.threads, slots, batch, true);
    for (int tgid : batch) {
        Record& r = records_[tgid];
        r.final_stats->fds = std::move(fds[tgid]);
        r.final_stats->threads = std::move(threads[tgid]);
        __u32 key = static_cast<__u32>(tgid);
        bpf_map__delete_elem(skel_->maps.proc_epfds, &key, sizeof(key), 0);
        r.harvested = true;
    }
    for (bpf_map* m : {skel_->maps.ep_by_fd, skel_->maps.ep_by_data, skel_->maps.ep_making, skel_->maps.ep_limbo,
                       skel_->maps.waiters, skel_->maps.wstates})
        delete_process_entries(m, batch);
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
    // with frames: once the last one's exit has been in a frame
    if (framed_ || records_.empty()) return records_.empty() && forgot_any_;
    for (const auto& [tgid, r] : records_)
        if (!r.exited) return false;
    return true;
}

size_t Tracer::live_processes() const {
    size_t n = 0;
    for (const auto& [tgid, r] : records_) n += !r.exited && (r.counted || !trace_all_);
    return n;
}

std::vector<int> Tracer::live_targets() const {
    std::vector<int> out;
    for (const auto& [tgid, r] : records_)
        if (!r.exited) out.push_back(tgid);
    return out;
}

void Tracer::read_lost(Snapshot& snap) const {
    std::vector<__u64> lost(static_cast<size_t>(ncpus_));
    for (__u32 reason = 0; reason < IOT_LOST_NR; ++reason) {
        if (bpf_map__lookup_elem(skel_->maps.lost, &reason, sizeof(reason), lost.data(),
                                 lost.size() * sizeof(__u64), 0) == 0)
            for (auto v : lost) snap.lost[reason] += v;
    }
}

Snapshot Tracer::snapshot(double duration_s) {
    Snapshot snap;
    snap.version = IOTRACE_VERSION;
    snap.duration_s = duration_s;
    snap.availability = load_report_.availability;

    // the events since the last poll, and what is still queued, all of it:
    // the run is over
    ring_events_ = 0;
    ring_buffer__consume(ring_);
    catch_up(0, to_harvest_.size());

    read_lost(snap);

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
    // (and children forked since the last poll, whose events are still in
    // the ring: their parent from /proc, so they group with their siblings)
    for (int tgid : in_kernel)
        if (!records_.count(tgid)) {
            records_[tgid].comm = read_comm(tgid).value_or("?");
            records_[tgid].ppid = read_ppid(tgid).value_or(0);
            records_[tgid].uid = read_uid(tgid).value_or(-1);
        }

    to_preload_.clear();
    std::set<int> live;
    std::map<int, std::vector<iot_thread>> slots;
    for (const auto& [tgid, r] : records_)
        if (!r.harvested) {
            live.insert(tgid);
            slots[tgid] = thread_slots_.records(tgid, false);
        }
    auto fds = read_fd_stats(skel_->maps.fds, live, false);
    auto threads = read_thread_stats(skel_->maps.threads, slots, live, false);

    for (auto& [tgid, r] : records_) {
        ProcessStats p;
        if (r.harvested) {
            p = *r.final_stats;
        } else {
            read_counters(tgid, p);
            p.fds = std::move(fds[tgid]);
            p.threads = std::move(threads[tgid]);
        }
        p.pid = tgid;
        p.ppid = r.ppid;
        p.comm = r.comm;
        p.exited = r.exited;
        p.target = r.target;
        p.uid = r.uid;
        snap.processes.push_back(std::move(p));
    }
    return snap;
}

}  // namespace iotrace
