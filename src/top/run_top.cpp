#include "top/run_top.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "cli/startup.h"
#include "proc/proc_info.h"
#include "top/batch.h"
#include "top/frame.h"
#include "top/housekeeper.h"
#include "top/keys.h"
#include "top/paint.h"
#include "top/screen.h"
#include "top/self_cpu.h"
#include "top/top_state.h"
#include "tracer/launcher.h"
#include "tracer/preflight.h"
#include "tracer/tracer.h"
#include "util/failure.h"
#include "util/heap.h"

namespace iotrace {
namespace {

using Clock = std::chrono::steady_clock;

// Where the refreshes go.
enum class Output { Screen, Text, Json };

Output output_of(const Options& o) {
    if (o.json) return Output::Json;
    if (o.batch || !isatty(STDOUT_FILENO) || !isatty(STDIN_FILENO)) return Output::Text;
    return Output::Screen;
}

// Writes one refresh to stdout; false once stdout is gone (a closed pipe).
bool write_out(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
        if (errno == EPIPE) return false;
        throw Failure(std::string("cannot write to stdout: ") + std::strerror(errno));
    }
    return true;
}

// Everything the loop needs, set up in run_top.
struct Session {
    const Options& o;
    Tracer& tracer;
    Housekeeper& keeper;  // the tracer's polls between refreshes; its lock for every use of the tracer
    Launched* child;      // -- CMD, or null
    bool system_wide;
    Output out;
    TopState state;
    std::unique_ptr<Screen> screen{};
    SelfCpu cpu{};
    Clock::time_point start = Clock::now();
    Clock::time_point last_frame = start;
    Clock::time_point last_liveness = start;
    long frames = 0;
    bool targets_gone = false;  // with -p or -- CMD: the last one's exit has been shown

    // One refresh: a frame from the tracer into the view, shown. False when
    // the output is gone.
    bool refresh() {
        keeper.rethrow();
        TopFrame f;
        Clock::time_point now;
        {
            auto held = keeper.lock();
            // The kernel reports exits; this catches what it could not (a
            // process gone while it was being added, a lost event).
            if (Clock::now() - last_liveness >= std::chrono::seconds(1)) {
                for (int tgid : tracer.live_targets())
                    if (!process_exists(tgid)) tracer.mark_exited(tgid);
                last_liveness = Clock::now();
            }
            f.snap = tracer.frame();
            now = Clock::now();
            f.traced_processes = tracer.live_processes();
            targets_gone = !system_wide && tracer.all_exited();
        }
        f.t_s = std::chrono::duration<double>(now - start).count();
        f.snap.duration_s = f.t_s;
        f.self_cpu_pct = cpu.sample();
        state.update(f);
        last_frame = now;
        ++frames;
        bool ok = true;
        switch (out) {
        case Output::Screen:
            paint(state.render(screen->rows(), screen->cols()));
            break;
        case Output::Text:
            ok = write_out(batch_text(state));
            break;
        case Output::Json:
            ok = write_out(json_line(state));
            break;
        }
        // A fork storm's thousands of processes fill the frames, the rates
        // and the diagnosis windows, then leave them: once much is free,
        // give it back to the system.
        give_back_free_heap();
        return ok;
    }

    // A key from the terminal; false to quit.
    bool key(int k) {
        Action a = state.key(k);
        if (a == Action::Quit) return false;
        if (a == Action::Redraw || k == keys::kResize) paint(state.render(screen->rows(), screen->cols()));
        return true;
    }

    // Until the next refresh is due (at most wait_ms): keys. A signal ends
    // the wait. False to quit.
    bool wait(int wait_ms) {
        keeper.rethrow();
        if (screen) {
            int k = screen->key(wait_ms);
            while (k >= 0) {
                if (!key(k)) return false;
                k = screen->key(0);
            }
        } else {
            ::poll(nullptr, 0, wait_ms);
        }
        if (child) child->reap();
        return true;
    }

    void run() {
        const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.interval_s));
        const auto end = o.duration_s > 0
                             ? start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.duration_s))
                             : Clock::time_point::max();
        auto next = start + interval;
        while (!stop_requested()) {
            auto now = Clock::now();
            if (now >= end) {
                // -d: the time since the last refresh is counted too
                if (now - last_frame > std::chrono::milliseconds(10)) refresh();
                return;
            }
            if (now >= next) {
                if (!refresh()) return;
                if (o.refreshes && frames >= o.refreshes) return;
                // with -p or -- CMD: the frame that showed the last one exit was the last
                if (targets_gone) return;
                next += interval;
                if (next <= now) next = now + interval;  // a refresh took longer than -i
                continue;
            }
            auto until = std::min(next, end) - now;
            int ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(until).count()) + 1;
            if (!wait(std::clamp(ms, 0, 100))) return;
        }
    }
};

}  // namespace

int run_top(const Options& o) {
    use_one_heap();  // before the housekeeper's thread
    check_can_trace();
    const int only_uid = resolve_only_user(o.only_user);
    std::vector<Target> targets = resolve_pids(o.pids);
    const Output out = output_of(o);

    // Before anything is attached, and before ncurses (which then leaves
    // SIGINT and SIGTERM to us): a signal sets the flag, the loop ends,
    // destructors restore the terminal.
    install_stop_signals();

    std::unique_ptr<Launched> child;
    if (!o.command.empty()) child = std::make_unique<Launched>(o.command, o.user);
    const bool system_wide = targets.empty() && !child;

    Tracer tracer(TracerConfig{.trace_all = system_wide,
                               .uid_filter = only_uid,
                               .verbose = o.verbose,
                               .proc_slots = o.proc_slots,
                               .follow = o.follow || child,
                               .thread_slots = o.thread_slots,
                               .fail_progs = o.fail_progs});
    warn_about_load(tracer);
    std::string what = start_tracing(tracer, system_wide, targets, o.follow, only_uid, child ? child->pid() : 0,
                                     child ? basename_of(o.command[0]) : "");
    std::fprintf(stderr, "iotrace: tracing %s — %s to stop\n", what.c_str(),
                 out == Output::Screen ? "q or Ctrl-C" : "Ctrl-C");
    std::fflush(stderr);

    Housekeeper keeper(tracer);
    Session s{.o = o,
              .tracer = tracer,
              .keeper = keeper,
              .child = child.get(),
              .system_wide = system_wide,
              .out = out,
              .state = TopState{}};
    if (out == Output::Screen) s.screen = std::make_unique<Screen>();
    s.start = s.last_frame = s.last_liveness = Clock::now();
    s.cpu = SelfCpu{};
    if (child) child->release();
    if (s.screen) paint(s.state.render(s.screen->rows(), s.screen->cols()));
    s.run();
    s.screen.reset();  // the terminal back before anything else is said
    if (child) child->reap();
    return kExitOk;
}

}  // namespace iotrace
