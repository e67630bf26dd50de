// What `iotrace serve` keeps between scrapes so that every counter it
// exports only grows: the tracer's frames (Tracer::frame(): live processes'
// cumulative counters, and each exited process once, with its final ones)
// folded into label sets that outlive the processes they sum. Pure: no
// clock (the caller passes the time), no kernel (docs/prometheus.md "Label
// sets").
//
// A label set's key is its comm, or (comm, pid) with --per-pid. Its figures
// are the sum of its live processes' counters and of what its processes
// counted before they exited ("retired" figures). A process that changes
// its comm (exec, prctl) leaves what it had counted with its old comm, as if
// it had exited, and counts only what it does from then on under the new
// one. A label set whose last process is gone is kept for the grace period
// (at most max_retired of them), then dropped: its series vanish from the
// next scrape.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "model/snapshot.h"

namespace iotrace {

struct CumulativeOptions {
    bool per_pid = false;   // a label set per process (comm, pid)
    double grace_s = 300;   // how long a label set with no live process stays
    // Label sets with no live process kept at most (a fork storm under
    // --per-pid retires thousands a second): past it, those gone longest
    // go first, before their grace period ends.
    size_t max_retired = 2000;
};

class CumulativeSeries {
public:
    explicit CumulativeSeries(CumulativeOptions opt) : opt_(opt) {}

    // One frame of the tracer, at now_s (any monotonic clock, in seconds).
    void update(const Snapshot& frame, double now_s);

    // Every label set's processes, undiagnosed: one entry per live process
    // (what it counted under its current comm) and one per retired key (the
    // sum of what its exited processes counted; exited = true). label_sets()
    // (src/serve/label_sets.h) sums those sharing a key. lost, availability
    // and version are the last frame's.
    Snapshot snapshot() const;

    size_t live_processes() const { return live_.size(); }
    size_t retired_keys() const { return retired_.size(); }
    uint64_t dropped_early() const { return dropped_early_; }  // label sets dropped by max_retired

private:
    using Key = std::pair<std::string, int>;  // (comm, pid); pid 0 without per_pid
    Key key_of(const std::string& comm, int pid) const { return {comm, opt_.per_pid ? pid : 0}; }
    void retire(const Key& key, int pid, const ProcessStats& counted);
    void expire(double now_s);

    struct Live {
        ProcessStats last;   // as last read: cumulative since the process was first traced
        ProcessStats base;   // what it had counted under earlier comms (subtracted)
        bool has_base = false;
        ProcessStats counted() const;  // last, minus base when there is one
    };
    struct Retired {
        ProcessStats sum;    // identity: comm, and the lowest pid retired into it
        double empty_since = -1;  // when its last live process went; -1 while it has one
    };

    CumulativeOptions opt_;
    std::map<int, Live> live_;         // by pid
    std::map<Key, Retired> retired_;
    Snapshot last_;                    // the last frame's lost, availability, version (no processes)
    uint64_t dropped_early_ = 0;
};

}  // namespace iotrace
