#include "top/header_text.h"

#include <ctime>
#include <fmt/format.h>

#include "report/format.h"
#include "top/columns.h"

namespace iotrace {

std::string clock_text(double unix_time) {
    std::time_t t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    localtime_r(&t, &tm);
    return fmt::format("{:02}:{:02}:{:02}", tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string uptime_text(double s) {
    if (s < 60) return fmt::format("{:.1f} s", s);
    auto total = static_cast<uint64_t>(s);
    uint64_t h = total / 3600, m = total / 60 % 60, sec = total % 60;
    return h > 0 ? fmt::format("{}:{:02}:{:02}", h, m, sec) : fmt::format("{}:{:02}", m, sec);
}

std::vector<std::string> header_lines(const TopHeader& h) {
    return {
        fmt::format("iotrace top - {}  up {}  interval {:.2f} s  iotrace CPU {:.1f}%", clock_text(h.wall_time),
                    uptime_text(h.t_s), h.interval_s, h.self_cpu_pct),
        fmt::format("processes: {} traced, {} listed, {} exited   lost events: {} ({} in all)",
                    group_digits(h.traced_processes), group_digits(h.processes), group_digits(h.exited),
                    group_digits(h.lost_interval), group_digits(h.lost_total)),
        fmt::format("totals: waits {}/s  wakeups {}/s  recv {}/s  {} MB/s", compact_number(h.waits_per_s),
                    compact_number(h.wakeups_per_s), compact_number(h.recv_per_s), compact_number(h.recv_mb_per_s)),
    };
}

}  // namespace iotrace
