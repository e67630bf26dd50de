// `iotrace serve`: its options (a CLI11 subcommand), parsed into Options
// (src/cli/options.h). The driver is src/cli/serve_command.cpp.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

namespace CLI {
class App;
}

namespace iotrace {

struct Options;

struct ServeOptions {
    bool on = false;                     // the serve subcommand was given
    std::string listen = "127.0.0.1:19435";  // --listen HOST:PORT or [IPV6]:PORT
    std::string path = "/metrics";       // --path
    bool per_pid = false;                // --per-pid: a label set per process
    size_t max_label_sets = 2000;        // --max-label-sets
    double grace_s = 300;                // --series-grace (hidden): seconds a label set outlives its processes
};

// Adds the subcommand to app, its options writing into o (o.serve, and the
// targets, duration, -U user and the hidden slots the others use too).
CLI::App* add_serve_command(CLI::App& app, Options& o);

// After parsing, when the subcommand was given: a usage error's text, or
// nullopt when the options make sense.
std::optional<std::string> check_serve_options(Options& o);

}  // namespace iotrace
