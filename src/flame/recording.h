// What the kernel side of `iotrace flame` recorded (bpf/flame.h), as the
// tracer hands it over at the end of a run: the cells, the user stacks by
// id, and what symbolizing them needs from /proc, read while each process
// lived (src/tracer/flame_maps.cpp). Plain data: no libbpf.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "flame.h"

namespace iotrace::flame {

struct RawCell {
    iot_flame_key key{};
    iot_flame_val val{};
};

struct Recording {
    bool stacks = false;  // recorded with --stacks
    std::vector<RawCell> cells;  // exited processes' (harvested) and live ones'
    // stack id -> instruction pointers, leaf (the syscall's site) first
    std::map<int64_t, std::vector<uint64_t>> stack_ips;
    // pid -> the text of /proc/PID/maps and of /tmp/perf-PID.map (JIT
    // symbols), as last read while the process lived
    std::map<int, std::string> maps;
    std::map<int, std::string> perf_maps;
    std::array<uint64_t, IOT_FLAME_LOST_NR> lost{};  // by enum iot_flame_lost
    uint64_t cells_max = 0;   // flame_cells' size
    uint64_t stacks_max = 0;  // flame_stacks' size
};

}  // namespace iotrace::flame
