#include "cli/options.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <sstream>

#include "util/failure.h"

namespace iotrace {
namespace {

constexpr const char* kDescription =
    "iotrace: which IO model does a process use, and what does it cost?\n"
    "Counts select/pselect6, poll/ppoll, the epoll family, the receive and send\n"
    "syscalls, accept and close in the kernel (eBPF syscall tracepoints) and\n"
    "prints an exact per-process account when tracing stops.";

constexpr const char* kExamples =
    "Usage: iotrace [-p PID[,PID...]]... [-f] [-d SECONDS] [--per-process] [--json] [-o FILE] [-u USER] [-- CMD [ARGS...]]\n"
    "       iotrace top [-p PID[,PID...]] [-f] [-U USER] [-i SECONDS] [-n N] [-d SECONDS] [-b] [--json] [-- CMD...]\n"
    "       iotrace --check [--json] [-o FILE]\n"
    "       iotrace flame (-p PID[,PID...] [-f] | -- CMD) [-d SECONDS] -o FILE [--format F] [--weight W] [--stacks]\n"
    "       iotrace serve [--listen ADDR:PORT] [--path /metrics] [-p PID[,PID...] [-f] | -U USER] [--per-pid]\n"
    "\n"
    "Examples:\n"
    "  sudo iotrace -p 4242                 trace a running server until Ctrl-C\n"
    "  sudo iotrace -p 4242,4243 -d 10      two processes for 10 seconds\n"
    "  sudo iotrace -f -p $(pgrep -o nginx) a fork-per-connection or master/worker server\n"
    "  sudo iotrace --json -o out.json -p 4242\n"
    "  sudo iotrace -u nobody -- python3 server.py   launch a command (children followed)\n"
    "  sudo iotrace --check                 what this kernel lets iotrace load, and which figures\n"
    "  sudo iotrace top                     the live view of every process (iotrace top --help)\n"
    "  sudo iotrace serve                   a Prometheus exporter on 127.0.0.1:19435 (iotrace serve --help)\n"
    "\n"
    "Tracing ends on Ctrl-C, SIGTERM, after -d, or when every traced process has\n"
    "exited; the report is printed in every case. Exit status: 0 done, 1 runtime\n"
    "failure, 2 usage error (--check: 0 when every program loaded, else 1).\n"
    "Needs root or CAP_BPF+CAP_PERFMON.";

constexpr const char* kTopFooter =
    "Every process on the machine (iotrace excluded) unless -p, -f, -U or -- CMD\n"
    "narrow it; one row per process (H: per thread), refreshed every -i seconds.\n"
    "top's -d DELAY is -i here: -d stops after SECONDS, as in every iotrace command.\n"
    "Keys: arrows, PgUp/PgDn, Home/End move; < > (or F6) sort column, R reverse;\n"
    "/ filter, Esc clears; p or Space pause; H threads; Enter details; ? help; q quit.\n"
    "Batch mode (-b, or stdout not a terminal) prints each refresh as text; --json\n"
    "as one JSON object per line (docs/json.md). Stops on q, Ctrl-C, SIGTERM, -n, -d,\n"
    "or, with -p or -- CMD, when the last traced process has exited.\n"
    "Examples:\n"
    "  sudo iotrace top                     every process, refreshed every second\n"
    "  sudo iotrace top -U www-data         only www-data's processes\n"
    "  sudo iotrace top -f -p $(pgrep -o nginx)\n"
    "  sudo iotrace top -b -n 10 -i 0.5     ten refreshes as text\n"
    "  sudo iotrace top --json -d 60 > top.jsonl";

// A number above 0 ("-i 0" reads "must be a number above 0", not CLI11's
// range with its 300-digit upper bound).
CLI::Validator above_zero(bool integer) {
    return CLI::Validator(
        [integer](std::string& in) -> std::string {
            char* end = nullptr;
            double v = std::strtod(in.c_str(), &end);
            bool whole = end && *end == '\0' && !in.empty();
            if (!whole || !(v > 0) || (integer && v != static_cast<double>(static_cast<long>(v))))
                return std::string("must be ") + (integer ? "a whole number" : "a number") + " above 0, not '" + in + "'";
            return "";
        },
        "");
}

// The `top` subcommand's options, into the same Options.
CLI::App* add_top(CLI::App& app, Options& o) {
    CLI::App* top = app.add_subcommand(
        "top", "Live view: each process's IO model and what its waits cost, refreshed (iotrace top --help)");
    top->footer(kTopFooter);
    top->add_option("-p,--pid", o.pids, "Only these running processes (PID[,PID...], repeatable)")
        ->delimiter(',')
        ->check(CLI::PositiveNumber)
        ->type_name("PID");
    top->add_flag("-f,--follow", o.follow, "With -p: also their descendants, present and future");
    top->add_option("-U,--only-user", o.only_user, "Only the processes of USER (name or uid; real uid)")
        ->type_name("USER");
    top->add_option("-u,--user", o.user, "Run CMD as USER (with its groups), like strace -u")->type_name("USER");
    top->add_option("-i,--interval", o.interval_s, "Seconds between refreshes (default 1)")
        ->check(above_zero(false))
        ->type_name("SECONDS");
    top->add_option("-n,--iterations", o.refreshes, "Stop after N refreshes")
        ->check(above_zero(true))
        ->type_name("N");
    top->add_option("-d,--duration", o.duration_s, "Stop after SECONDS (the refresh interval is -i)")
        ->check(above_zero(false))
        ->type_name("SECONDS");
    top->add_flag("-b,--batch", o.batch, "Plain text, one block per refresh (the default when stdout is not a terminal)");
    top->add_flag("--json", o.json, "One JSON object per refresh, one per line (JSON lines, docs/json.md)");
    top->add_flag("-v,--verbose", o.verbose, "Show libbpf's messages while loading");
    // Not for users: the tests run out of per-process slots on purpose.
    top->add_option("--proc-slots", o.proc_slots, "Per-process counter slots")
        ->check(CLI::NonNegativeNumber)
        ->group("");
    top->add_option("--thread-slots", o.thread_slots, "Per-thread counter slots")
        ->check(CLI::NonNegativeNumber)
        ->group("");
    // Not for users: the tests take a degraded load's path.
    top->add_option("--fail-prog", o.fail_progs, "Treat these BPF programs as not loaded (NAME[,NAME...])")
        ->delimiter(',')
        ->type_name("NAME")
        ->group("");
    return top;
}

// Usage errors of `iotrace top`, or "".
std::string top_usage_error(const Options& o) {
    if (o.check) return "--check traces nothing: drop it (or drop top)";
    if (!o.user.empty() && o.command.empty()) return "-u USER applies to a launched command (-- CMD); -U USER shows only USER's processes";
    if (o.follow && o.pids.empty() && o.command.empty()) return "-f follows the descendants of -p PID (a launched command's are always followed)";
    if (!o.output.empty()) return "-o is not an option of top: its output goes to stdout";
    if (o.per_process) return "--per-process is not an option of top";
    return "";
}

}  // namespace

std::variant<Options, ParseExit> parse_options(int argc, const char* const argv[]) {
    Options o;
    // Everything after the first "--" is the command to launch, untouched by CLI11.
    std::vector<std::string> args;
    int i = 1;
    for (; i < argc; ++i) {
        if (std::strcmp(argv[i], "--") == 0) {
            for (++i; i < argc; ++i) o.command.emplace_back(argv[i]);
            break;
        }
        args.emplace_back(argv[i]);
    }

    CLI::App app{kDescription, "iotrace"};
    app.footer(kExamples);
    app.set_version_flag("--version", std::string("iotrace ") + IOTRACE_VERSION);
    app.add_option("-p,--pid", o.pids, "Trace these running processes (PID[,PID...], repeatable)")
        ->delimiter(',')
        ->check(CLI::PositiveNumber)
        ->type_name("PID");
    app.add_flag("-f,--follow", o.follow, "Also trace their descendants: those that exist now and those they fork later");
    app.add_option("-d,--duration", o.duration_s, "Stop after SECONDS")
        ->check(CLI::PositiveNumber)
        ->type_name("SECONDS");
    app.add_flag("--json", o.json, "Print the report as JSON (schema in docs/json.md)");
    app.add_option("-o,--output", o.output, "Write the report to FILE instead of stdout")->type_name("FILE");
    app.add_option("-u,--user", o.user, "Run CMD as USER (with its groups), like strace -u")->type_name("USER");
    app.add_flag("--per-process", o.per_process,
                 "One report entry per followed process (default: the children of one parent that run the same "
                 "command are one entry, their figures summed)");
    app.add_flag("-v,--verbose", o.verbose, "Show libbpf's messages while loading");
    app.add_flag("--check", o.check,
                 "Load every program, report the kernel, capabilities, each program's verification and which "
                 "figures are available, then exit");
    // Not for users: scripts/bench measures what the tracepoints alone cost.
    app.add_flag("--floor", o.floor_only, "Attach probes that return at once (benchmark floor)")->group("");
    // Not for users: the tests run out of per-process slots on purpose.
    app.add_option("--proc-slots", o.proc_slots, "Per-process counter slots (default: sized for the CPUs)")
        ->check(CLI::NonNegativeNumber)
        ->group("");
    app.add_option("--thread-slots", o.thread_slots, "Per-thread counter slots (default 4096)")
        ->check(CLI::NonNegativeNumber)
        ->group("");
    // Not for users: the tests hold iotrace flame's programs to the budget too.
    app.add_flag("--check-flame", o.check_flame, "With --check: load the programs as iotrace flame --stacks does")
        ->group("");
    // Not for users: the tests take each degraded path by naming the BPF
    // programs to treat as refused by the verifier.
    app.add_option("--fail-prog", o.fail_progs, "Treat these BPF programs as not loaded (NAME[,NAME...])")
        ->delimiter(',')
        ->type_name("NAME")
        ->group("");

    CLI::App* top = add_top(app, o);
    CLI::App* flame = add_flame_command(app, o);
    CLI::App* serve = add_serve_command(app, o);

    // CLI11 wants argv order reversed when given a vector.
    std::vector<std::string> rev(args.rbegin(), args.rend());
    const bool top_asked = std::find(args.begin(), args.end(), "top") != args.end();
    const bool serve_asked = std::find(args.begin(), args.end(), "serve") != args.end();
    try {
        app.parse(rev);
    } catch (const CLI::Success& e) {  // --help, --version
        std::ostringstream out, err;
        app.exit(e, out, err);
        return ParseExit{kExitOk, out.str()};
    } catch (const CLI::ParseError& e) {
        std::ostringstream out, err;
        app.exit(e, out, err);
        return ParseExit{kExitUsage, std::string("iotrace: ") + e.what() +
                                         (top_asked     ? "\nRun 'iotrace top --help' for usage.\n"
                                          : serve_asked ? "\nRun 'iotrace serve --help' for usage.\n"
                                                        : "\nRun 'iotrace --help' for usage.\n")};
    }

    if (top->parsed()) {
        o.top = true;
        std::string why = top_usage_error(o);
        if (!why.empty()) return ParseExit{kExitUsage, "iotrace top: " + why + "\nRun 'iotrace top --help' for usage.\n"};
        return o;
    }

    if (serve->parsed()) {
        if (auto error = check_serve_options(o))
            return ParseExit{kExitUsage, *error + "\nRun 'iotrace serve --help' for usage.\n"};
        return o;
    }
    if (flame->parsed()) {
        if (o.check) return ParseExit{kExitUsage, "iotrace: --check and flame do not go together\n"};
        if (auto error = check_flame_options(o))
            return ParseExit{kExitUsage, *error + "\nRun 'iotrace flame --help' for usage.\n"};
        return o;
    }
    if (o.check_flame && !o.check)
        return ParseExit{kExitUsage, "iotrace: --check-flame goes with --check\n"};
    if (o.check) {
        // --check looks at this machine only: a target would be ignored,
        // so it is refused rather than silently dropped.
        if (!o.pids.empty() || !o.command.empty() || !o.user.empty() || o.follow || o.duration_s > 0)
            return ParseExit{kExitUsage,
                             "iotrace: --check traces nothing: drop -p, -f, -d, -u and -- CMD (or drop --check)\n"
                             "Run 'iotrace --help' for usage.\n"};
        return o;
    }
    if (o.pids.empty() && o.command.empty())
        return ParseExit{kExitUsage,
                         "iotrace: nothing to trace: give -p PID or -- CMD\nRun 'iotrace --help' for usage.\n"};
    if (!o.user.empty() && o.command.empty())
        return ParseExit{kExitUsage, "iotrace: -u USER applies to a launched command (-- CMD)\n"};
    return o;
}

}  // namespace iotrace
