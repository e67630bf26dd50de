// The diagnosis of iotrace top: per process, diagnose() on the counters of
// a sliding window of the last window_s to 2 * window_s seconds, so the
// model follows what the process does now and does not flicker with one
// interval's few calls (docs/top.md "Diagnosis window").
#pragma once

#include <array>
#include <cstdint>
#include <map>

#include "top/frame.h"

namespace iotrace {

class DiagWindows {
public:
    // keep_missing: frames an entry is kept after its process left the
    // frames (an exited process's row lingers, and its detail pane with it).
    explicit DiagWindows(double window_s = 5, int keep_missing = 3);

    // Moves every process's window on to this frame and diagnoses it.
    // prev_t_s: the previous frame's t_s (0 for the first frame): a process
    // new in this frame was not counted before it.
    void advance(const TopFrame& f, double prev_t_s);

    // pid's window: counter differences over span_s(pid) seconds, diagnosed
    // (diagnosis filled); nullptr when pid has none.
    const ProcessStats* window_of(int pid) const;
    double span_s(int pid) const;
    size_t size() const { return entries_.size(); }
    double window_s() const { return window_s_; }

private:
    struct Entry {
        ProcessStats old_base, new_base;  // cumulative counters at old_t, new_t
        double old_t = 0, new_t = 0;
        std::array<uint64_t, IOT_LOST_NR> old_lost{}, new_lost{};  // snap.lost then
        ProcessStats window;                  // last frame minus old_base, diagnosed
        double span = 0;
        int missing = 0;  // frames since the process was last in one
        bool exited = false;
    };
    double window_s_;
    int keep_missing_;
    std::map<int, Entry> entries_;
    std::array<uint64_t, IOT_LOST_NR> last_lost_{};  // the previous frame's snap.lost
};

}  // namespace iotrace
