// Files and commands for the flame tests: where the expected outputs live,
// comparing with (or re-recording) them, and running the checker scripts.
#pragma once

#include <string>

namespace iotrace::testing {

// tests/unit, found from this file's path as compiled (relative to the
// repository root, where `make unit` runs the tests).
std::string unit_test_dir();

std::string read_text_file(const std::string& path);
void write_text_file(const std::string& path, const std::string& text);

// A new empty directory under $TMPDIR (or /tmp), removed by the caller.
std::string make_temp_dir();

// Runs a shell command; its stdout, and the exit status in `status`.
std::string run_command(const std::string& command, int& status);

// Compares `actual` with tests/unit/flame_expected/NAME, reporting the first
// differing line; with IOTRACE_RECORD=1 in the environment, rewrites the
// file with `actual` instead (review the diff, then commit it).
void expect_same_as_recorded(const std::string& name, const std::string& actual);

}  // namespace iotrace::testing
