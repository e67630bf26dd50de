#include "cli/options.h"

#include <CLI/CLI.hpp>

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
    "       iotrace --check [--json] [-o FILE]\n"
    "       iotrace flame (-p PID[,PID...] [-f] | -- CMD) [-d SECONDS] -o FILE [--format F] [--weight W] [--stacks]\n"
    "\n"
    "Examples:\n"
    "  sudo iotrace -p 4242                 trace a running server until Ctrl-C\n"
    "  sudo iotrace -p 4242,4243 -d 10      two processes for 10 seconds\n"
    "  sudo iotrace -f -p $(pgrep -o nginx) a fork-per-connection or master/worker server\n"
    "  sudo iotrace --json -o out.json -p 4242\n"
    "  sudo iotrace -u nobody -- python3 server.py   launch a command (children followed)\n"
    "  sudo iotrace --check                 what this kernel lets iotrace load, and which figures\n"
    "\n"
    "Tracing ends on Ctrl-C, SIGTERM, after -d, or when every traced process has\n"
    "exited; the report is printed in every case. Exit status: 0 done, 1 runtime\n"
    "failure, 2 usage error (--check: 0 when every program loaded, else 1).\n"
    "Needs root or CAP_BPF+CAP_PERFMON.";

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

    CLI::App* flame = add_flame_command(app, o);

    // CLI11 wants argv order reversed when given a vector.
    std::vector<std::string> rev(args.rbegin(), args.rend());
    try {
        app.parse(rev);
    } catch (const CLI::Success& e) {  // --help, --version
        std::ostringstream out, err;
        app.exit(e, out, err);
        return ParseExit{kExitOk, out.str()};
    } catch (const CLI::ParseError& e) {
        std::ostringstream out, err;
        app.exit(e, out, err);
        return ParseExit{kExitUsage, std::string("iotrace: ") + e.what() + std::string("\nRun 'iotrace --help' for usage.\n")};
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
