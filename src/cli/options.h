// Command-line options: what to trace, for how long, and where the report goes.
#pragma once

#include <string>
#include <variant>
#include <vector>

#include "cli/flame_options.h"
#include "cli/serve_options.h"

namespace iotrace {

struct Options {
    std::vector<int> pids;             // -p: running processes (all their threads)
    bool follow = false;               // -f: also the children they fork from now on
    double duration_s = 0;             // -d: stop after this long; 0 = until Ctrl-C / exit
    bool json = false;                 // --json
    std::string output;                // -o: write the report here instead of stdout
    std::string user;                  // -u: run CMD as this user
    std::vector<std::string> command;  // after --: launch and trace (always followed)
    bool verbose = false;              // -v: libbpf's messages
    bool floor_only = false;           // --floor (hidden): probes that return at once, for scripts/bench
    int proc_slots = -1;               // --proc-slots (hidden): -1 sizes them for the CPUs
    int thread_slots = -1;             // --thread-slots (hidden): -1 is the default count
    bool check = false;                // --check: what this machine lets iotrace load, then exit
    std::vector<std::string> fail_progs;  // --fail-prog (hidden): BPF programs to treat as refused (tests)
    bool per_process = false;          // --per-process: one entry per followed process, never grouped

    // iotrace top (src/top/run_top.cpp, docs/top.md): the live view
    bool top = false;                  // the `top` subcommand
    std::string only_user;             // -U: only this user's processes (name or uid; resolved at run)
    double interval_s = 1;             // -i: seconds between refreshes
    long refreshes = 0;                // -n: stop after this many refreshes; 0 = no limit
    bool batch = false;                // -b: plain text per refresh (also when stdout is not a terminal)
    FlameOptions flame;                // iotrace flame (src/cli/flame_options.h)
    ServeOptions serve;                // iotrace serve (src/cli/serve_options.h)
    bool check_flame = false;          // --check-flame (hidden): --check with iotrace flame's code on (--stacks)
};

// What parsing decided: run with these options, or exit now with this code
// after printing `text` (help, version, or a usage error) to stdout/stderr.
struct ParseExit {
    int exit_code;
    std::string text;
};

std::variant<Options, ParseExit> parse_options(int argc, const char* const argv[]);

}  // namespace iotrace
