// iotrace entry point: parse options, check we can trace, attach, wait for
// the end (Ctrl-C, SIGTERM, -d, or every target gone), print the report;
// or hand over to iotrace top (src/top/run_top.cpp).
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "analysis/diagnose.h"
#include "cli/flame_command.h"
#include "cli/options.h"
#include "cli/serve_command.h"
#include "cli/startup.h"
#include "model/group.h"
#include "model/unavailable.h"
#include "proc/proc_info.h"
#include "report/check_report.h"
#include "report/json_report.h"
#include "report/text_report.h"
#include "top/run_top.h"
#include "tracer/launcher.h"
#include "tracer/preflight.h"
#include "tracer/tracer.h"
#include "util/failure.h"

namespace iotrace {
namespace {

// To -o FILE, or stdout.
void write_output(const Options& o, const std::string& text) {
    if (o.output.empty()) {
        std::fwrite(text.data(), 1, text.size(), stdout);
        std::fflush(stdout);
        return;
    }
    std::ofstream out(o.output, std::ios::trunc);
    out << text;
    out.close();
    if (!out) throw Failure("cannot write the report to " + o.output + ": " + std::strerror(errno));
}

void write_report(const Options& o, const Snapshot& snap) { write_output(o, o.json ? render_json(snap) : render_text(snap)); }

// --check: load everything, attach nothing to any process, say what loaded.
// Exit 0 only when every program loaded and every figure is available.
int run_check(const Options& o) {
    MachineCheck m = read_machine();
    try {
        check_can_trace();
        Tracer tracer(TracerConfig{.verbose = o.verbose, .fail_progs = o.fail_progs, .check_only = true,
                                   .flame = o.check_flame, .flame_stacks = o.check_flame});
        m.load = tracer.load_report();
    } catch (const Failure& f) {
        m.load_error = f.what();
    }
    write_output(o, o.json ? render_check_json(m) : render_check_text(m));
    return m.ok() ? kExitOk : kExitFailure;
}

int run(const Options& o) {
    check_can_trace();
    std::vector<Target> targets = resolve_pids(o.pids);

    // Catch the signals before anything is attached: a Ctrl-C from now on
    // ends tracing and still prints the report.
    install_stop_signals();

    std::unique_ptr<Launched> child;
    if (!o.command.empty()) child = std::make_unique<Launched>(o.command, o.user);

    Tracer tracer(TracerConfig{.trace_all = false, .verbose = o.verbose, .floor_only = o.floor_only,
                                .proc_slots = o.proc_slots,
                                .follow = o.follow || child,
                                .thread_slots = o.thread_slots,
                                .fail_progs = o.fail_progs,
                                .flame = o.flame.on,
                                .flame_stacks = o.flame.stacks,
                                .flame_cells = o.flame.cells,
                                .flame_stack_slots = o.flame.stack_slots});
    warn_about_load(tracer);
    size_t descendants = add_targets(tracer, targets, o.follow);
    if (child) {
        targets.push_back({child->pid(), basename_of(o.command[0])});
        tracer.add_target(child->pid(), targets.back().comm, true);  // a launched command is always followed
    }

    std::fprintf(stderr, "iotrace: tracing %s — Ctrl-C to stop\n", target_names(targets, descendants).c_str());
    std::fflush(stderr);

    auto start = std::chrono::steady_clock::now();
    if (child) child->release();

    auto last_liveness = start;
    while (!stop_requested()) {
        tracer.poll(100);
        auto now = std::chrono::steady_clock::now();
        double elapsed = std::chrono::duration<double>(now - start).count();
        if (o.duration_s > 0 && elapsed >= o.duration_s) break;
        if (child) child->reap();
        // The kernel reports exits; this catches what it could not (a process
        // gone while it was being added, a lost event).
        if (now - last_liveness > std::chrono::seconds(1)) {
            for (int tgid : tracer.live_targets())
                if (!process_exists(tgid)) tracer.mark_exited(tgid);
            last_liveness = now;
        }
        if (tracer.all_exited()) break;
    }
    tracer.poll(0);  // exits that raced with the stop
    double duration = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    // grouped before the diagnosis: a group gets one model, from its sums
    Snapshot snap = tracer.snapshot(duration);
    if (o.flame.on)
        write_flame(o, tracer, std::move(snap));  // src/cli/flame_command.cpp
    else
        write_report(o, diagnosed(o.per_process ? std::move(snap) : group_processes(std::move(snap))));
    if (child) child->reap();
    return kExitOk;
}

}  // namespace
}  // namespace iotrace

int main(int argc, char** argv) {
    using namespace iotrace;
    auto parsed = parse_options(argc, argv);
    if (auto* e = std::get_if<ParseExit>(&parsed)) {
        std::fputs(e->text.c_str(), e->exit_code == kExitOk ? stdout : stderr);
        return e->exit_code;
    }
    try {
        const Options& o = std::get<Options>(parsed);
        if (o.top) return run_top(o);
        if (o.serve.on) return run_serve(o);  // src/cli/serve_command.cpp
        return o.check ? run_check(o) : run(o);
    } catch (const Failure& f) {
        std::fprintf(stderr, "iotrace: %s\n", f.what());
        return f.exit_code();
    } catch (const std::exception& e) {
        std::fprintf(stderr, "iotrace: %s\n", e.what());
        return kExitFailure;
    }
}
