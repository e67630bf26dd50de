#include "cli/serve_command.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "analysis/diagnose.h"
#include "cli/options.h"
#include "cli/startup.h"
#include "proc/proc_info.h"
#include "serve/cumulative.h"
#include "serve/exposition.h"
#include "serve/http_server.h"
#include "serve/listen_address.h"
#include "top/housekeeper.h"
#include "tracer/preflight.h"
#include "tracer/tracer.h"
#include "util/failure.h"
#include "util/heap.h"

namespace iotrace {
namespace {

using Clock = std::chrono::steady_clock;

// The standard process_* metrics, from /proc/self and getrusage.
void read_self(SelfMetrics& self) {
    rusage ru{};
    if (getrusage(RUSAGE_SELF, &ru) == 0) {
        auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
        self.cpu_seconds = s(ru.ru_utime) + s(ru.ru_stime);
    }
    std::ifstream statm("/proc/self/statm");
    uint64_t size = 0, resident = 0;
    if (statm >> size >> resident) self.resident_bytes = resident * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

// process_start_time_seconds: the process's start (clock ticks after boot,
// field 22 of /proc/self/stat) plus the boot time (btime in /proc/stat).
std::optional<double> start_time_seconds() {
    std::ifstream stat("/proc/self/stat");
    std::string line;
    if (!std::getline(stat, line)) return std::nullopt;
    size_t paren = line.rfind(')');
    if (paren == std::string::npos) return std::nullopt;
    std::istringstream fields(line.substr(paren + 2));  // from field 3 (state)
    std::string f;
    unsigned long long start_ticks = 0;
    for (int i = 3; i <= 22 && fields >> f; ++i)
        if (i == 22) start_ticks = std::stoull(f);
    std::ifstream procstat("/proc/stat");
    unsigned long long btime = 0;
    for (std::string key; procstat >> key;) {
        if (key == "btime") {
            procstat >> btime;
            break;
        }
        std::getline(procstat, key);
    }
    if (!btime || !start_ticks) return std::nullopt;
    return static_cast<double>(btime) + static_cast<double>(start_ticks) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// Everything the loop and the scrape handler share. One thread: the HTTP
// server's serve_once runs on the driver's thread between frames, so the
// series need no lock; the tracer is shared with the Housekeeper's polls
// and used under its lock.
struct Session {
    const Options& o;
    Tracer& tracer;
    Housekeeper& keeper;
    bool system_wide;
    CumulativeSeries series;
    Clock::time_point start = Clock::now();
    Clock::time_point last_frame = start;
    Clock::time_point last_liveness = start;
    uint64_t traced = 0;
    std::optional<double> started_at = start_time_seconds();

    double now_s() const { return std::chrono::duration<double>(Clock::now() - start).count(); }

    // The tracer's frame into the series: on every scrape, and every second
    // without one (a frame is what lets the tracer forget exited processes).
    void take_frame() {
        keeper.rethrow();
        Snapshot f;
        {
            auto held = keeper.lock();
            if (!system_wide && Clock::now() - last_liveness >= std::chrono::seconds(1)) {
                for (int tgid : tracer.live_targets())
                    if (!process_exists(tgid)) tracer.mark_exited(tgid);
                last_liveness = Clock::now();
            }
            f = tracer.frame();
            traced = tracer.live_processes();
        }
        last_frame = Clock::now();
        series.update(f, now_s());
        // a fork storm's processes fill the frames, then leave them: give it back
        give_back_free_heap();
    }

    std::string scrape(ExpositionFormat format) {
        auto t0 = Clock::now();
        take_frame();
        Snapshot snap = series.snapshot();
        snap.duration_s = now_s();
        snap = diagnosed(std::move(snap));
        SelfMetrics self;
        {
            auto held = keeper.lock();
            self.maps = tracer.map_occupancy();
        }
        self.traced_processes = traced;
        self.label_sets_expired_early = series.dropped_early();
        self.start_time_s = started_at;
        read_self(self);
        self.scrape_duration_s = std::chrono::duration<double>(Clock::now() - t0).count();
        return render_metrics(snap, LabelSetOptions{.per_pid = o.serve.per_pid, .max_label_sets = o.serve.max_label_sets},
                              self, format);
    }
};

}  // namespace

int run_serve(const Options& o) {
    use_one_heap();  // before the housekeeper's thread
    check_can_trace();
    const int only_uid = resolve_only_user(o.only_user);
    std::vector<Target> targets = resolve_pids(o.pids);
    const bool system_wide = targets.empty();
    install_stop_signals();

    // Listen first: a port in use is an error before anything is loaded.
    Session* session = nullptr;
    HttpServer server(*parse_listen_address(o.serve.listen), o.serve.path,
                      [&session](ExpositionFormat f) { return session->scrape(f); });

    Tracer tracer(TracerConfig{.trace_all = system_wide,
                               .uid_filter = only_uid,
                               .verbose = o.verbose,
                               .proc_slots = o.proc_slots,
                               .follow = o.follow,
                               .thread_slots = o.thread_slots,
                               .fail_progs = {}});
    warn_about_load(tracer);
    std::string what = start_tracing(tracer, system_wide, targets, o.follow, only_uid);

    Housekeeper keeper(tracer);
    Session s{.o = o,
              .tracer = tracer,
              .keeper = keeper,
              .system_wide = system_wide,
              .series = CumulativeSeries({.per_pid = o.serve.per_pid,
                                                 .grace_s = o.serve.grace_s,
                                                 .max_retired = o.serve.max_label_sets})};
    session = &s;
    ListenAddress bound = *parse_listen_address(o.serve.listen);
    bound.port = server.port();
    std::fprintf(stderr, "iotrace: tracing %s, metrics on http://%s%s — Ctrl-C to stop\n", what.c_str(),
                 bound.text().c_str(), o.serve.path.c_str());
    std::fflush(stderr);

    const auto end = o.duration_s > 0 ? s.start + std::chrono::duration_cast<Clock::duration>(
                                                      std::chrono::duration<double>(o.duration_s))
                                      : Clock::time_point::max();
    while (!stop_requested() && Clock::now() < end) {
        server.serve_once(100);
        if (Clock::now() - s.last_frame >= std::chrono::seconds(1)) s.take_frame();
    }
    session = nullptr;
    return kExitOk;
}

}  // namespace iotrace
