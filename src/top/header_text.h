// The header of iotrace top, as text: the screen's first lines and the
// batch text's.
#pragma once

#include <string>
#include <vector>

#include "top/top_state.h"

namespace iotrace {

// "iotrace top - 14:02:03  up 1:02:03  interval 1.00 s  iotrace CPU 0.4%",
// "processes: 153 traced, 12 listed, 1 exited   lost events: 0 (0 in all)"
// (listed: in this frame; lost: in the interval, then since the start),
// "totals: waits 12.3k/s  wakeups 1.2k/s  recv 45.6k/s  1.23 MB/s".
std::vector<std::string> header_lines(const TopHeader& h);

// Local time of day "14:02:03" of a Unix time.
std::string clock_text(double unix_time);
// Elapsed seconds as "12.3 s" below a minute, then "4:05", "1:02:03".
std::string uptime_text(double s);

}  // namespace iotrace
