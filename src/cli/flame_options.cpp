#include "cli/flame_options.h"

#include <CLI/CLI.hpp>

#include "cli/options.h"
#include "flame/format.h"
#include "util/failure.h"

namespace iotrace {

CLI::App* add_flame_command(CLI::App& app, Options& o) {
    CLI::App* f = app.add_subcommand(
        "flame",
        "Record where the traced processes spend their syscalls, per thread, IO model, syscall and fd kind "
        "(and user stack with --stacks), and write it as a flame graph: folded stacks, an interactive SVG or a "
        "speedscope file (docs/flame.md)");
    f->footer(
        "Usage: iotrace flame (-p PID[,PID...] [-f] | [-u USER] -- CMD [ARGS...]) [-d SECONDS] -o FILE\n"
        "                     [--format folded|svg|speedscope] [--weight time|cpu|count|bytes] [--stacks]\n"
        "                     [--per-process] [--report FILE]\n"
        "\n"
        "Examples:\n"
        "  sudo iotrace flame -p 4242 -d 10 -o nginx.svg\n"
        "  sudo iotrace flame -p 4242 --stacks --weight cpu -o out.speedscope.json\n"
        "  sudo iotrace flame -o - -- ./server | flamegraph.pl > server.svg\n"
        "\n"
        "The format follows the file name (.folded or .collapsedstack.txt, .svg, .speedscope.json; - is\n"
        "folded text on stdout) unless --format is given. Tracing ends as for the report: Ctrl-C, SIGTERM,\n"
        "-d, or when every traced process has exited; the file is written in every case.");
    f->add_option("-p,--pid", o.pids, "Trace these running processes (PID[,PID...], repeatable)")
        ->delimiter(',')
        ->check(CLI::PositiveNumber)
        ->type_name("PID");
    f->add_flag("-f,--follow", o.follow, "Also trace their descendants: those that exist now and those they fork later");
    f->add_option("-d,--duration", o.duration_s, "Stop after SECONDS")->check(CLI::PositiveNumber)->type_name("SECONDS");
    f->add_option("-o,--output", o.output, "Write the flame graph to FILE (required; - : folded text on stdout)")
        ->type_name("FILE");
    f->add_option("--format", o.flame.format, "folded, svg or speedscope (default: from FILE's name)")
        ->check(CLI::IsMember({"folded", "svg", "speedscope"}))
        ->type_name("FORMAT");
    f->add_option("--weight", o.flame.weight,
                  "What a frame's width counts: time (ns inside the syscalls), cpu (ns on CPU inside them), count "
                  "(calls), bytes (data bytes received and sent); default time")
        ->check(CLI::IsMember({"time", "cpu", "count", "bytes"}))
        ->type_name("WEIGHT");
    f->add_flag("--stacks", o.flame.stacks,
                "Insert each call's user-space stack (frame-pointer walk at the syscall) between the thread and the "
                "syscall");
    f->add_option("--report", o.flame.report, "Also write the JSON report of the same run to FILE")->type_name("FILE");
    f->add_option("-u,--user", o.user, "Run CMD as USER (with its groups), like strace -u")->type_name("USER");
    f->add_flag("--per-process", o.per_process,
                "One process frame per followed process (default: children of one parent running the same command "
                "are one frame, like the report)");
    f->add_flag("-v,--verbose", o.verbose, "Show libbpf's messages while loading");
    // Not for users: the tests fill the kernel's tables on purpose.
    f->add_option("--flame-cells", o.flame.cells, "Cells the kernel keeps")->check(CLI::NonNegativeNumber)->group("");
    f->add_option("--stack-slots", o.flame.stack_slots, "User stacks the kernel keeps")
        ->check(CLI::NonNegativeNumber)
        ->group("");
    return f;
}

std::optional<std::string> check_flame_options(Options& o) {
    o.flame.on = true;
    if (o.pids.empty() && o.command.empty()) return "iotrace flame: nothing to trace: give -p PID or -- CMD";
    if (!o.user.empty() && o.command.empty()) return "iotrace flame: -u USER applies to a launched command (-- CMD)";
    if (o.output.empty())
        return "iotrace flame: -o FILE is required: the flame graph's file (.folded, .svg, .speedscope.json), or - "
               "for folded text on stdout";
    try {
        std::optional<flame::Format> requested;
        if (!o.flame.format.empty()) requested = flame::format_from_name(o.flame.format);
        flame::choose_format(o.output, requested);
    } catch (const Failure& f) {
        return std::string("iotrace flame: ") + f.what();
    }
    if (!o.flame.report.empty() && o.flame.report == o.output)
        return "iotrace flame: --report and -o name the same file";
    return std::nullopt;
}

}  // namespace iotrace
