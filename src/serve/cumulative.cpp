#include "serve/cumulative.h"

#include <algorithm>
#include <set>
#include <vector>

#include "model/group.h"
#include "top/delta.h"

namespace iotrace {

ProcessStats CumulativeSeries::Live::counted() const {
    if (!has_base) return last;
    return counter_delta(last, base);
}

void CumulativeSeries::retire(const Key& key, int pid, const ProcessStats& counted) {
    auto [it, fresh] = retired_.try_emplace(key);
    ProcessStats& sum = it->second.sum;
    if (fresh) {
        sum.comm = key.first;
        sum.pid = pid;
        sum.ppid = 0;
        sum.exited = true;
        sum.uid = counted.uid;
    } else if (pid < sum.pid) {
        sum.pid = pid;
    }
    add_figures(sum, counted);
    sum.threads.clear();  // an exited process's threads are not exported, nor kept
}

void CumulativeSeries::update(const Snapshot& frame, double now_s) {
    last_.version = frame.version;
    last_.duration_s = frame.duration_s;
    last_.lost = frame.lost;
    last_.availability = frame.availability;

    for (const ProcessStats& p : frame.processes) {
        auto it = live_.find(p.pid);
        if (it != live_.end()) {
            Live& l = it->second;
            if (!continues(p, l.last)) {
                // a reused pid whose predecessor's exit was never in a frame
                retire(key_of(l.last.comm, p.pid), p.pid, l.counted());
                live_.erase(it);
                it = live_.end();
            } else if (p.comm != l.last.comm) {
                // renamed: what it counted so far stays with the old name
                retire(key_of(l.last.comm, p.pid), p.pid, l.counted());
                l.base = l.last;
                l.has_base = true;
            }
        }
        if (it == live_.end()) it = live_.emplace(p.pid, Live{}).first;
        Live& l = it->second;
        l.last = p;
        l.last.diagnosis = {};
        if (p.exited) {
            retire(key_of(p.comm, p.pid), p.pid, l.counted());
            live_.erase(it);
        }
    }

    expire(now_s);
}

// Label sets with no live process: the grace period runs, then they go;
// over max_retired, those gone longest go at once.
void CumulativeSeries::expire(double now_s) {
    std::set<Key> live_keys;
    for (const auto& [pid, l] : live_) live_keys.insert(key_of(l.last.comm, pid));
    std::vector<std::pair<double, Key>> empty;
    for (auto it = retired_.begin(); it != retired_.end();) {
        Retired& r = it->second;
        if (live_keys.count(it->first)) {
            r.empty_since = -1;
        } else if (r.empty_since < 0) {
            r.empty_since = now_s;
        }
        if (r.empty_since >= 0 && now_s - r.empty_since >= opt_.grace_s) {
            it = retired_.erase(it);
            continue;
        }
        if (r.empty_since >= 0) empty.emplace_back(r.empty_since, it->first);
        ++it;
    }
    if (empty.size() <= opt_.max_retired) return;
    size_t over = empty.size() - opt_.max_retired;
    std::nth_element(empty.begin(), empty.begin() + static_cast<long>(over), empty.end());
    for (size_t i = 0; i < over; ++i) retired_.erase(empty[i].second);
    dropped_early_ += over;
}

Snapshot CumulativeSeries::snapshot() const {
    Snapshot s = last_;
    s.processes.reserve(live_.size() + retired_.size());
    for (const auto& [pid, l] : live_) s.processes.push_back(l.counted());
    for (const auto& [key, r] : retired_) s.processes.push_back(r.sum);
    return s;
}

}  // namespace iotrace
