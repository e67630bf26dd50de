// iotrace's own CPU time over an interval, as % of one CPU (user + system,
// every thread: getrusage RUSAGE_SELF), for the header of iotrace top.
#pragma once

#include <chrono>

namespace iotrace {

class SelfCpu {
public:
    SelfCpu();
    // % of one CPU since the previous call (or since construction).
    double sample();

private:
    double cpu_s_ = 0;
    std::chrono::steady_clock::time_point at_;
};

}  // namespace iotrace
