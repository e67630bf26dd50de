#include "model/group.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

namespace iotrace {
namespace {

void add(SyscallStats& to, const SyscallStats& from) {
    to.calls += from.calls;
    to.errors += from.errors;
    to.eagain += from.eagain;
    to.time_ns += from.time_ns;
    for (size_t b = 0; b < to.hist_log2_ns.size(); ++b) to.hist_log2_ns[b] += from.hist_log2_ns[b];
}

void add(FdStats& to, const FdStats& from) {
    if (to.peer != from.peer) to.peer.clear();
    if (to.local != from.local) to.local.clear();
    to.reported += from.reported;
    to.reads += from.reads;
    to.bytes += from.bytes;
    to.eagain += from.eagain;
    to.drains += from.drains;
    to.writes += from.writes;
    to.lt_rereports += from.lt_rereports;
    to.lt_rereports_unread += from.lt_rereports_unread;
    to.lt_rereports_partial += from.lt_rereports_partial;
    to.write_rereports += from.write_rereports;
    to.et_notifications += from.et_notifications;
    to.et_undrained += from.et_undrained;
    to.herd_rereports += from.herd_rereports;
    to.et_stalls += from.et_stalls;
    to.oneshot = to.oneshot || from.oneshot;
}

}  // namespace

void add_figures(ProcessStats& to, const ProcessStats& from) {
    for (size_t s = 0; s < to.syscalls.size(); ++s) add(to.syscalls[s], from.syscalls[s]);
    WaitStats& w = to.waits;
    w.calls += from.waits.calls;
    w.empty += from.waits.empty;
    w.ready += from.waits.ready;
    w.watched += from.waits.watched;
    w.scanned += from.waits.scanned;
    w.time_ns += from.waits.time_ns;
    w.wakeups += from.waits.wakeups;
    w.cpu_ns += from.waits.cpu_ns;
    w.zero_timeout += from.waits.zero_timeout;
    w.zero_timeout_empty += from.waits.zero_timeout_empty;
    to.recv.calls += from.recv.calls;
    to.recv.bytes += from.recv.bytes;
    to.recv.eagain += from.recv.eagain;
    to.recv.eof += from.recv.eof;
    to.recv.short_reads += from.recv.short_reads;
    to.recv.blocked += from.recv.blocked;
    to.send.calls += from.send.calls;
    to.send.bytes += from.send.bytes;
    to.send.eagain += from.send.eagain;
    to.accept.calls += from.accept.calls;
    to.accept.eagain += from.accept.eagain;
    to.accept.blocked += from.accept.blocked;
    to.copy.wait_in_bytes += from.copy.wait_in_bytes;
    to.copy.wait_out_bytes += from.copy.wait_out_bytes;
    to.copy.recv_bytes += from.copy.recv_bytes;
    to.copy.send_bytes += from.copy.send_bytes;
    ReadinessStats& r = to.readiness;
    r.lt_rereports += from.readiness.lt_rereports;
    r.lt_rereports_unread += from.readiness.lt_rereports_unread;
    r.lt_rereports_partial += from.readiness.lt_rereports_partial;
    r.write_rereports_unwritten += from.readiness.write_rereports_unwritten;
    r.et_notifications += from.readiness.et_notifications;
    r.et_undrained += from.readiness.et_undrained;
    r.herd_rereports += from.readiness.herd_rereports;
    r.et_stalls += from.readiness.et_stalls;
    for (const FdStats& f : from.fds) {
        auto it = std::find_if(to.fds.begin(), to.fds.end(), [&](const FdStats& g) { return g.fd == f.fd; });
        if (it == to.fds.end())
            to.fds.push_back(f);
        else
            add(*it, f);
    }
}

namespace {

ProcessStats merged(const std::vector<const ProcessStats*>& members) {
    ProcessStats g;
    g.pid = members.front()->pid;
    g.ppid = members.front()->ppid;
    g.comm = members.front()->comm;
    g.exited = true;
    std::vector<int> pids;
    for (const ProcessStats* m : members) {
        add_figures(g, *m);
        g.pid = std::min(g.pid, m->pid);
        g.exited = g.exited && m->exited;
        g.group.exited += m->exited ? 1 : 0;
        pids.push_back(m->pid);
    }
    std::sort(g.fds.begin(), g.fds.end(), [](const FdStats& a, const FdStats& b) { return a.fd < b.fd; });
    std::sort(pids.begin(), pids.end());
    pids.resize(std::min(pids.size(), kGroupPids));
    g.group.processes = members.size();
    g.group.pids = std::move(pids);
    return g;
}

}  // namespace

Snapshot group_processes(Snapshot snap) {
    using Key = std::pair<int, std::string>;  // (ppid, comm)
    auto groupable = [](const ProcessStats& p) { return !p.target && p.ppid != 0; };
    std::map<Key, std::vector<const ProcessStats*>> members;
    for (const ProcessStats& p : snap.processes)
        if (groupable(p)) members[{p.ppid, p.comm}].push_back(&p);

    std::vector<ProcessStats> out;
    std::map<Key, bool> emitted;
    for (ProcessStats& p : snap.processes) {
        if (!groupable(p)) {
            out.push_back(std::move(p));
            continue;
        }
        Key key{p.ppid, p.comm};
        const auto& m = members[key];
        if (m.size() < 2) {
            out.push_back(std::move(p));
        } else if (!emitted[key]) {
            emitted[key] = true;
            out.push_back(merged(m));
        }
    }
    snap.processes = std::move(out);
    return snap;
}

}  // namespace iotrace
