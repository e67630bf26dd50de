// `iotrace flame`: its options (a CLI11 subcommand, kept apart from the
// report's), parsed into Options (src/cli/options.h).
#pragma once

#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace iotrace {

struct Options;

struct FlameOptions {
    bool on = false;             // the flame subcommand was given
    std::string format;          // --format; "" : from -o's name
    std::string weight = "time"; // --weight time|cpu|count|bytes
    bool stacks = false;         // --stacks: user stacks at each call
    std::string report;          // --report FILE: the JSON report of the same run
    int cells = -1;              // --flame-cells (hidden): the kernel's cell table; -1 default
    int stack_slots = -1;        // --stack-slots (hidden): the kernel's stack table; -1 default
};

// Adds the subcommand to app, its options writing into o (o.flame, and the
// targets, duration, output, user and per_process the report uses too).
CLI::App* add_flame_command(CLI::App& app, Options& o);

// After parsing, when the subcommand was given: a usage error's text, or
// nullopt when the options make sense.
std::optional<std::string> check_flame_options(Options& o);

}  // namespace iotrace
