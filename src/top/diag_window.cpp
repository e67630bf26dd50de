#include "top/diag_window.h"

#include <utility>

#include "analysis/diagnose.h"
#include "top/delta.h"

namespace iotrace {

DiagWindows::DiagWindows(double window_s, int keep_missing) : window_s_(window_s), keep_missing_(keep_missing) {}

void DiagWindows::advance(const TopFrame& f, double prev_t_s) {
    for (auto& [pid, e] : entries_) ++e.missing;
    for (const ProcessStats& p : f.snap.processes) {
        auto it = entries_.find(p.pid);
        if (it != entries_.end() && (it->second.exited || !continues(p, it->second.new_base))) {
            entries_.erase(it);  // a new process under a reused pid
            it = entries_.end();
        }
        if (it == entries_.end()) {
            // New: it was not counted at the previous frame, so its window
            // starts from zero counters then.
            Entry e;
            e.old_base.pid = e.new_base.pid = p.pid;
            e.old_t = e.new_t = prev_t_s;
            e.old_lost = e.new_lost = last_lost_;
            it = entries_.emplace(p.pid, std::move(e)).first;
        }
        Entry& e = it->second;
        e.missing = 0;
        e.exited = p.exited;
        if (f.t_s - e.new_t >= window_s_) {
            e.old_base = std::move(e.new_base);
            e.old_t = e.new_t;
            e.old_lost = e.new_lost;
            e.new_base = p;
            e.new_t = f.t_s;
            e.new_lost = f.snap.lost;
        }
        Snapshot w;
        w.version = f.snap.version;
        w.availability = f.snap.availability;
        w.duration_s = f.t_s - e.old_t;
        for (size_t i = 0; i < w.lost.size(); ++i)
            w.lost[i] = f.snap.lost[i] >= e.old_lost[i] ? f.snap.lost[i] - e.old_lost[i] : f.snap.lost[i];
        w.processes.push_back(counter_delta(p, e.old_base));
        diagnose(w);
        e.window = std::move(w.processes.front());
        e.span = w.duration_s;
    }
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.missing > keep_missing_; });
    last_lost_ = f.snap.lost;
}

const ProcessStats* DiagWindows::window_of(int pid) const {
    auto it = entries_.find(pid);
    return it == entries_.end() ? nullptr : &it->second.window;
}

double DiagWindows::span_s(int pid) const {
    auto it = entries_.find(pid);
    return it == entries_.end() ? 0 : it->second.span;
}

}  // namespace iotrace
