// Rows from frames: the previous frame's cumulative counters, kept by pid,
// against the current frame's, over the interval between the two
// (docs/top.md "Rates").
#pragma once

#include <cstdint>
#include <map>
#include <vector>

#include "model/unavailable.h"
#include "top/frame.h"
#include "top/row.h"

namespace iotrace {

// A process's row: its figures between prev and cur over interval_s. prev
// null: a process new in this frame, whose counters all fall in the
// interval (it was not traced at the previous frame), so cur itself is the
// interval's count. Identity, counts and figures only; user, model and
// finding are filled by the caller.
Row process_row(const ProcessStats& cur, const ProcessStats* prev, double interval_s, const UnavailableFigures& u);

// A thread's row, the same way; figures a thread does not have are "-".
Row thread_row(const ProcessStats& owner, const ThreadStats& cur, const ThreadStats* prev, double interval_s,
               const UnavailableFigures& u);

class RateTracker {
public:
    // Takes the next frame: the current one becomes the previous one.
    void advance(const TopFrame& f);

    bool has_previous() const { return frames_ > 1; }
    // Seconds between the last two frames; for the first frame, its t_s
    // (its counters run from the start of tracing).
    double interval_s() const { return interval_s_; }
    double previous_t_s() const { return prev_t_; }
    uint64_t lost_interval() const { return lost_interval_; }
    // pid's counters in the frame before the last one, nullptr if it was not
    // in it (or a different process had that pid).
    const ProcessStats* previous(int pid) const;

    // The rows of the last frame, by pid (then tid), unsorted otherwise.
    std::vector<Row> process_rows() const;
    std::vector<Row> thread_rows() const;

private:
    std::map<int, ProcessStats> prev_, cur_;  // live processes of the previous and the last frame
    double prev_t_ = 0, cur_t_ = 0, interval_s_ = 0;
    uint64_t prev_lost_ = 0, cur_lost_ = 0, lost_interval_ = 0;
    uint64_t frames_ = 0;
    Availability availability_;  // the last frame's
};

}  // namespace iotrace
