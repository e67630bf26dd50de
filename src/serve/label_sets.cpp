#include "serve/label_sets.h"

#include <algorithm>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "analysis/diagnose.h"
#include "model/group.h"
#include "util/utf8.h"

namespace iotrace {
namespace {

uint64_t total_calls(const ProcessStats& p) {
    uint64_t n = 0;
    for (const SyscallStats& s : p.syscalls) n += s.calls;
    return n;
}

// The processes that share a label set as one entry, diagnosed on the sums.
// The key is the comm as exported (valid UTF-8: two names that differ only
// in bytes replaced by U+FFFD are one label value), and the pid with per_pid
// (a pid reused within one snapshot is one label set too).
std::vector<ProcessStats> merge_by_labels(const Snapshot& snap, bool per_pid) {
    using Key = std::pair<std::string, int>;
    std::map<Key, std::vector<const ProcessStats*>> members;
    for (const ProcessStats& p : snap.processes) members[{valid_utf8(p.comm), per_pid ? p.pid : 0}].push_back(&p);

    std::vector<ProcessStats> out;
    Snapshot sums;  // the entries of several processes, diagnosed together
    sums.duration_s = snap.duration_s;
    sums.lost = snap.lost;
    sums.availability = snap.availability;
    std::vector<size_t> sum_at;  // where each of sums.processes goes in out
    for (const auto& [key, ms] : members) {
        if (ms.size() == 1) {
            out.push_back(*ms.front());
            out.back().comm = key.first;
            continue;
        }
        ProcessStats s;
        s.comm = key.first;
        s.pid = ms.front()->pid;
        s.uid = ms.front()->uid;
        s.exited = true;
        for (const ProcessStats* m : ms) {
            add_figures(s, *m);
            s.pid = std::min(s.pid, m->pid);
            s.exited = s.exited && m->exited;
            if (s.uid != m->uid) s.uid = -1;
            // A member that is itself a group of followed children counts as its processes.
            s.group.processes += m->group.processes > 0 ? m->group.processes : 1;
            s.group.exited += m->group.processes > 0 ? m->group.exited : (m->exited ? 1 : 0);
        }
        std::sort(s.fds.begin(), s.fds.end(), [](const FdStats& a, const FdStats& b) { return a.fd < b.fd; });
        sum_at.push_back(out.size());
        out.emplace_back();
        sums.processes.push_back(std::move(s));
    }
    diagnose(sums);
    for (size_t i = 0; i < sum_at.size(); ++i) out[sum_at[i]] = std::move(sums.processes[i]);
    return out;
}

}  // namespace

LabelSets label_sets(const Snapshot& snap, const LabelSetOptions& opt) {
    LabelSets ls;
    ls.snap.version = snap.version;
    ls.snap.duration_s = snap.duration_s;
    ls.snap.lost = snap.lost;
    ls.snap.availability = snap.availability;
    std::vector<ProcessStats> entries = merge_by_labels(snap, opt.per_pid);

    if (entries.size() > opt.max_label_sets) {
        auto busier = [](const ProcessStats& a, const ProcessStats& b) {
            uint64_t ca = total_calls(a), cb = total_calls(b);
            return std::tie(cb, a.comm, a.pid) < std::tie(ca, b.comm, b.pid);
        };
        std::stable_sort(entries.begin(), entries.end(), busier);
        ls.dropped = entries.size() - opt.max_label_sets;
        entries.resize(opt.max_label_sets);
    }
    std::sort(entries.begin(), entries.end(),
              [](const ProcessStats& a, const ProcessStats& b) { return std::tie(a.comm, a.pid) < std::tie(b.comm, b.pid); });
    ls.snap.processes = std::move(entries);
    return ls;
}

}  // namespace iotrace
