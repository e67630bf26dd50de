#include "cli/serve_options.h"

#include <CLI/CLI.hpp>

#include "cli/options.h"
#include "serve/listen_address.h"
#include "serve/routes.h"

namespace iotrace {

CLI::App* add_serve_command(CLI::App& app, Options& o) {
    CLI::App* s = app.add_subcommand(
        "serve",
        "Run as a Prometheus exporter: trace every process (or -p, -U) and serve the cumulative figures, "
        "IO model and findings of each process name on every scrape (docs/prometheus.md)");
    s->footer(
        "Usage: iotrace serve [--listen ADDR:PORT] [--path /metrics] [-p PID[,PID...] [-f] | -U USER]\n"
        "                     [--per-pid] [--max-label-sets N] [-d SECONDS]\n"
        "\n"
        "Examples:\n"
        "  sudo iotrace serve                          every process, on http://127.0.0.1:19435/metrics\n"
        "  sudo iotrace serve --listen 0.0.0.0:19435   for a Prometheus on another host\n"
        "  sudo iotrace serve -U www-data --per-pid    www-data's processes, one label set each\n"
        "  curl -s http://127.0.0.1:19435/metrics | grep iotrace_io_model\n"
        "\n"
        "Series are labelled by comm (process name), summed over the processes that share it; a name's\n"
        "series go 5 minutes after its last process exited. Runs until SIGTERM, Ctrl-C or -d.");
    s->add_option("--listen", o.serve.listen, "Address to serve on, HOST:PORT or [IPV6]:PORT (default 127.0.0.1:19435)")
        ->type_name("ADDR:PORT");
    s->add_option("--path", o.serve.path, "The metrics path (default /metrics; / is the landing page)")
        ->type_name("PATH");
    s->add_option("-p,--pid", o.pids, "Only these running processes (PID[,PID...], repeatable)")
        ->delimiter(',')
        ->check(CLI::PositiveNumber)
        ->type_name("PID");
    s->add_flag("-f,--follow", o.follow, "With -p: also their descendants, present and future");
    s->add_option("-U,--only-user", o.only_user, "Only the processes of USER (name or uid; real uid)")
        ->type_name("USER");
    s->add_flag("--per-pid", o.serve.per_pid, "A label set per process (labels comm and pid), not per comm");
    s->add_option("--max-label-sets", o.serve.max_label_sets,
                  "At most N label sets per scrape, the busiest (default 2000; the rest counted as dropped)")
        ->check(CLI::PositiveNumber)
        ->type_name("N");
    s->add_option("-d,--duration", o.duration_s, "Stop after SECONDS")->check(CLI::PositiveNumber)->type_name("SECONDS");
    s->add_flag("-v,--verbose", o.verbose, "Show libbpf's messages while loading");
    // Not for users: the churn test shortens the grace period.
    s->add_option("--series-grace", o.serve.grace_s, "Seconds a label set outlives its last process")
        ->check(CLI::NonNegativeNumber)
        ->group("");
    s->add_option("--proc-slots", o.proc_slots, "Per-process counter slots")->check(CLI::NonNegativeNumber)->group("");
    s->add_option("--thread-slots", o.thread_slots, "Per-thread counter slots")
        ->check(CLI::NonNegativeNumber)
        ->group("");
    return s;
}

std::optional<std::string> check_serve_options(Options& o) {
    o.serve.on = true;
    if (o.check) return "iotrace serve: --check traces nothing: drop it (or drop serve)";
    if (!o.command.empty()) return "iotrace serve: it traces running processes: -p PID, -U USER or every process, not -- CMD";
    if (o.follow && o.pids.empty()) return "iotrace serve: -f follows the descendants of -p PID";
    if (!o.pids.empty() && !o.only_user.empty()) return "iotrace serve: -p and -U do not go together";
    if (!parse_listen_address(o.serve.listen))
        return "iotrace serve: --listen " + o.serve.listen + ": expected HOST:PORT or [IPV6]:PORT (e.g. 127.0.0.1:19435)";
    if (!valid_metrics_path(o.serve.path))
        return "iotrace serve: --path " + o.serve.path + ": a path starting with / other than / itself, no query or space";
    return std::nullopt;
}

}  // namespace iotrace
