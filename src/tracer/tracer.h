// Owns the kernel side: loads and attaches the BPF programs, tells the kernel
// which processes to trace, follows their lifecycle through the ring buffer
// and reads the counters back into a Snapshot. The only code that uses libbpf.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "flame/recording.h"
#include "model/availability.h"
#include "model/map_occupancy.h"
#include "model/snapshot.h"
#include "tracer/thread_slots.h"

struct iotrace_bpf;
struct ring_buffer;
struct iot_event;

namespace iotrace {

struct EpollMaps;

struct TracerConfig {
    bool trace_all = false;  // every process on the system (but iotrace), once trace_all_processes() is called
    int uid_filter = -1;     // only the processes of this real uid (iotrace top -U); -1: every uid
    bool verbose = false;    // libbpf's messages on stderr
    bool floor_only = false; // programs return at once: the benchmark floor
    int proc_slots = -1;     // proc_stats slots; -1: proc_slot_count(); 0: every process in the procs hash
    // Some target is followed (-f, a launched command): its children may
    // come in storms, so the counter slots and the ring buffer are sized as
    // system-wide (proc_slot_count).
    bool follow = false;
    int thread_slots = -1;   // thread_stats slots; -1: kThreadSlots; 0: every thread in the threads hash
    // Programs to treat as if the kernel refused them (--fail-prog, for the
    // tests of each degraded path).
    std::vector<std::string> fail_progs;
    // Load and attach, then nothing else (--check): a core failure is
    // recorded in load_report() instead of thrown.
    bool check_only = false;
    // iotrace flame (bpf/flame.bpf.h): cells per thread, syscall, fd kind
    // [and user stack]; off, the kernel side pays nothing for them.
    bool flame = false;
    bool flame_stacks = false;  // --stacks
    int flame_cells = -1;       // cells the kernel keeps; -1: kFlameCells
    int flame_stack_slots = -1; // stacks it keeps; -1: kFlameStacks
};

class Tracer {
public:
    // Opens, configures, loads and attaches; throws Failure with a message
    // that says what failed and what to do about it.
    explicit Tracer(const TracerConfig& config);
    ~Tracer();
    Tracer(const Tracer&) = delete;
    Tracer& operator=(const Tracer&) = delete;

    // Starts counting the process tgid (all its threads); with follow, also
    // the processes it forks from now on.
    void add_target(int tgid, const std::string& comm, bool follow);

    // With -f: adds the descendants of target root that exist now (a
    // prefork master's workers) as followed targets; call it once root is
    // followed, so what forks meanwhile is caught by the kernel. Returns how
    // many were added (not those already traced). src/tracer/descendants.cpp
    size_t add_descendants(int root);

    // System-wide (trace_all): reads every process's epoll registrations
    // (as add_target does for one), then starts tracing every process but
    // iotrace. Nothing is traced before. src/tracer/system_wide.cpp
    void trace_all_processes();

    // Handles lifecycle events for up to timeout_ms, then a bounded share of
    // the work they queued (so a fork storm cannot keep it from returning).
    // With sweep false (iotrace top between refreshes), exited processes'
    // counters are read and their counter slots freed, but the walk of the
    // per-fd maps that frees the rest of their entries waits for frame().
    void poll(int timeout_ms, bool sweep = true);

    // The ring buffer's epoll fd: readable when lifecycle events wait for poll().
    int ring_fd() const;

    // Marks a target whose exit the kernel could not report (it was already
    // gone when it was added).
    void mark_exited(int tgid);

    // True once every target has exited (false while there are none); once
    // frame() is in use, once the last one's exit has been in a frame.
    bool all_exited() const;
    std::vector<int> live_targets() const;

    // Everything counted so far, exited processes included.
    Snapshot snapshot(double duration_s);

    // iotrace top's reading, once per refresh (src/tracer/frame.cpp): every
    // live process (system-wide: every one that made a traced call), with
    // cumulative counters, plus each process that exited since the last
    // frame, with its final counters, this once: its record is then
    // forgotten, as are the figures of threads that exited (a top left
    // running for days holds only what is alive). Counters are read with
    // batch map reads.
    Snapshot frame();

    // Processes being traced now: live records (system-wide: those that
    // made a traced call; they appear at the first frame after it).
    size_t live_processes() const;

    // How full each bounded kernel map is now (src/tracer/map_occupancy.cpp):
    // a walk of each hash map, so once per scrape, not per frame.
    std::vector<MapOccupancy> map_occupancy();

    // Warnings gathered while attaching (tracepoints this kernel lacks).
    const std::vector<std::string>& warnings() const { return warnings_; }

    // Every program: loaded or not, verified instructions, load time, and
    // which figures are therefore unavailable.
    const LoadReport& load_report() const { return load_report_; }

    // iotrace flame, after snapshot(): every cell (exited processes' too),
    // the user stacks they name, the maps to symbolize them, what was lost.
    // src/tracer/flame_maps.cpp
    flame::Recording flame_recording();

private:
    struct Record {
        int ppid = 0;
        int uid = -1;
        std::string comm;
        bool exited = false;
        bool collected = false;  // final counters read, counter slot freed
        bool harvested = false;  // and its per-fd entries read and deleted
        bool counted = false;    // has had counters (system-wide: only those are shown)
        std::unique_ptr<ProcessStats> final_stats;  // once collected
        bool target = false;  // added by add_target (-p, the launched command), not followed
    };

    static int on_ring_event(void* ctx, void* data, size_t size);
    void handle(const iot_event& e);
    bool read_counters(int tgid, ProcessStats& out);
    void harvest(const std::vector<int>& tgids);
    void collect(const std::vector<int>& tgids);
    void sweep();
    void catch_up(size_t max_preloads, size_t max_harvests, bool sweep = true);
    void discover(const std::vector<int>& tgids);
    void read_lost(Snapshot& snap) const;
    std::map<int, ProcessStats> read_all_counters();
    void preload(int tgid);
    EpollMaps epoll_maps() const;
    bool is_target(int tgid) const;
    bool load(const TracerConfig& config);
    void open_configured(const TracerConfig& config);
    void check_program_names(const std::vector<std::string>& names);
    bool core_failed(const TracerConfig& config, const std::string& program, const std::string& verdict,
                     const std::string& verifier_log, const std::vector<ProgramLoad>& refused);
    std::string save_verifier_log(const TracerConfig& config, const std::string& program, const std::string& log);
    void record_programs(const std::set<std::string>& failed,
                         const std::map<std::string, std::string>& why, const std::set<std::string>& forced);
    void fill_prog_arrays(bool epoll_watched);
    void attach_all(const TracerConfig& config);
    void set_target_bit(int tgid, bool on);
    static __u32 proc_slot_count(int ncpus, bool storms);
    std::optional<__u32> proc_slot(int tgid) const;
    void free_proc_slot(int tgid);
    void assign_counters(int tgid);

    // iotrace flame (src/tracer/flame_maps.cpp)
    void flame_harvest(const std::set<int>& batch);
    void flame_read_maps(int tgid);
    void flame_on_fork(int tgid, int ppid);
    void flame_on_exec(int tgid);
    void flame_refresh_maps();
    bool flame_ = false, flame_stacks_ = false;
    __u32 flame_cells_max_ = 0, flame_stacks_max_ = 0;
    static constexpr __u32 kFlameCells = 65536;   // ~100 bytes each, preallocated
    static constexpr __u32 kFlameStacks = 16384;  // ~1 KiB each
    std::vector<flame::RawCell> flame_harvested_;  // exited processes' cells
    std::map<int, std::string> flame_maps_;        // tgid -> /proc/PID/maps, as last read
    std::map<int, std::string> flame_perf_maps_;   // tgid -> /tmp/perf-PID.map, as last read
    std::chrono::steady_clock::time_point flame_maps_at_{};
    int flame_maps_next_ = 0;  // where the next refresh starts (round robin)

    iotrace_bpf* skel_ = nullptr;
    ring_buffer* ring_ = nullptr;
    int ncpus_ = 0;
    __u32 nslots_ = 0;  // slots in proc_stats
    __u32 ntslots_ = 0;  // slots in thread_stats
    ThreadSlots thread_slots_;
    // live threads at once before the rest go to the threads hash (~170 bytes each)
    static constexpr __u32 kThreadSlots = 4096;
    std::map<int, Record> records_;  // by tgid
    // Work the ring buffer's events queue, done a bounded amount per poll
    // (catch_up): the callback only records, so one poll cannot run for as
    // long as events keep coming.
    std::vector<int> to_preload_;  // forked: epoll registrations to seed
    std::vector<int> to_harvest_;  // exited: counters to read, kernel entries to free
    std::vector<int> to_sweep_;    // collected: per-fd entries still to read and free
    bool trace_all_ = false;
    // frame(): processes seen in the counter maps with no record and no
    // /proc entry left (their exit event is on its way; if it never comes,
    // the next frame takes them as exited)
    std::set<int> unresolved_;
    bool framed_ = false;      // frame() has been called: exited records go once shown
    bool forgot_any_ = false;  // frame() has dropped an exited process's record
    size_t ring_events_ = 0;       // handled in the current poll
    static constexpr size_t kEventsPerPoll = 16384;
    static constexpr __u32 kAllEventsRing = 2u << 20;  // system-wide: ~37,000 events (256 KiB otherwise)
    static constexpr size_t kPreloadsPerPoll = 256;   // each reads /proc
    static constexpr size_t kHarvestsPerPoll = 4096;  // one walk per map per batch
    std::vector<std::string> warnings_;
    LoadReport load_report_;
    std::set<std::string> loaded_;            // programs loaded (and, for hooks, attached)
    std::map<std::string, std::string> why_;  // program -> why it is not running
};

}  // namespace iotrace
