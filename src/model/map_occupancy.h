// How full the kernel side's bounded maps are: the tracer reads it
// (Tracer::map_occupancy, src/tracer/map_occupancy.cpp), `iotrace serve`
// exports it (iotrace_map_entries, iotrace_map_max_entries). A map that is
// full makes the kernel side drop what it cannot store, counted as lost
// (proc_map_full, fd_map_full, target_map_full): this says how close that is.
#pragma once

#include <cstdint>
#include <string>

namespace iotrace {

struct MapOccupancy {
    std::string name;          // the kernel map's name: "fds", "wstates", "proc_stats"...
    uint64_t entries = 0;      // entries now (slot arrays: slots in use)
    uint64_t max_entries = 0;  // its capacity
};

}  // namespace iotrace
