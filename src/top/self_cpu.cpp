#include "top/self_cpu.h"

#include <sys/resource.h>

namespace iotrace {
namespace {

double cpu_seconds() {
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

}  // namespace

SelfCpu::SelfCpu() : cpu_s_(cpu_seconds()), at_(std::chrono::steady_clock::now()) {}

double SelfCpu::sample() {
    double cpu = cpu_seconds();
    auto now = std::chrono::steady_clock::now();
    double wall = std::chrono::duration<double>(now - at_).count();
    double pct = wall > 0 ? 100.0 * (cpu - cpu_s_) / wall : 0;
    cpu_s_ = cpu;
    at_ = now;
    return pct;
}

}  // namespace iotrace
