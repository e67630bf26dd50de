// A failure to report to the user: a message that names the problem and the
// fix, and the exit code (1 runtime failure, 2 usage error). Thrown by the
// set-up code, caught once in main.
#pragma once

#include <stdexcept>
#include <string>

namespace iotrace {

enum ExitCode { kExitOk = 0, kExitFailure = 1, kExitUsage = 2 };

class Failure : public std::runtime_error {
public:
    explicit Failure(const std::string& message, int exit_code = kExitFailure)
        : std::runtime_error(message), exit_code_(exit_code) {}
    int exit_code() const { return exit_code_; }

private:
    int exit_code_;
};

}  // namespace iotrace
