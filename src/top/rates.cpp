#include "top/rates.h"

#include "top/delta.h"

namespace iotrace {
namespace {

Figure per_s(uint64_t n, double dt) { return dt > 0 ? Figure::of(static_cast<double>(n) / dt) : Figure{}; }

Figure per(uint64_t n, uint64_t d, double scale = 1) {
    return d > 0 ? Figure::of(scale * static_cast<double>(n) / static_cast<double>(d)) : Figure{};
}

// The figure, or "n/a" when its counter is unavailable; the count likewise.
Figure unless(bool unavailable, Figure f) { return unavailable ? Figure::na() : f; }
std::optional<uint64_t> count_unless(bool unavailable, uint64_t n) {
    return unavailable ? std::nullopt : std::optional<uint64_t>(n);
}

}  // namespace

Row process_row(const ProcessStats& cur, const ProcessStats* prev, double dt, const UnavailableFigures& u) {
    bool fresh = prev == nullptr || !continues(cur, *prev);
    ProcessStats d = fresh ? cur : counter_delta(cur, *prev);
    Row r;
    r.pid = cur.pid;
    r.uid = cur.uid;
    r.comm = cur.comm;
    r.exited = cur.exited;
    r.first = fresh;
    r.interval_s = dt;
    const WaitStats& w = d.waits;
    r[Col::Waits] = unless(u.waits, per_s(w.calls, dt));
    r[Col::ReadyPerWait] = unless(u.waits, per(w.ready, w.calls));
    r[Col::WatchedPerWait] = unless(u.waits_watched, per(w.watched, w.calls));
    r[Col::EmptyPct] = unless(u.waits, per(w.empty, w.calls, 100));
    r[Col::Wakeups] = unless(u.waits, per_s(w.wakeups, dt));
    r[Col::LtRereports] = unless(u.readiness, per_s(d.readiness.lt_rereports, dt));
    r[Col::EtUndrained] = unless(u.readiness, per_s(d.readiness.et_undrained, dt));
    r[Col::Recv] = unless(u.recv, per_s(d.recv.calls, dt));
    r[Col::RecvMB] = unless(u.recv, per_s(d.recv.bytes, dt));
    if (r[Col::RecvMB].kind == Figure::Value) r[Col::RecvMB].v /= 1e6;
    r[Col::EagainPct] = unless(u.recv, per(d.recv.eagain, d.recv.calls, 100));
    r[Col::CpuPct] = unless(u.waits_cpu_ns, per(w.cpu_ns, w.time_ns, 100));

    IntervalCounts& c = r.counts;
    c.waits = count_unless(u.waits, w.calls);
    c.ready = count_unless(u.waits, w.ready);
    c.watched = count_unless(u.waits_watched, w.watched);
    c.empty = count_unless(u.waits, w.empty);
    c.wakeups = count_unless(u.waits, w.wakeups);
    c.lt_rereports = count_unless(u.readiness, d.readiness.lt_rereports);
    c.et_undrained = count_unless(u.readiness, d.readiness.et_undrained);
    c.recv = count_unless(u.recv, d.recv.calls);
    c.recv_bytes = count_unless(u.recv, d.recv.bytes);
    c.recv_eagain = count_unless(u.recv, d.recv.eagain);
    c.wait_ns = count_unless(u.waits, w.time_ns);
    c.wait_cpu_ns = count_unless(u.waits_cpu_ns, w.cpu_ns);
    return r;
}

Row thread_row(const ProcessStats& owner, const ThreadStats& cur, const ThreadStats* prev, double dt,
               const UnavailableFigures& u) {
    ThreadStats d = prev == nullptr ? cur : counter_delta(cur, *prev);
    Row r;
    r.pid = owner.pid;
    r.tid = cur.tid;
    r.uid = owner.uid;
    r.comm = cur.comm;
    r.exited = owner.exited;
    r.first = prev == nullptr;
    r.interval_s = dt;
    // A thread has no watched, empty, readiness, bytes or wait-time figures
    // (docs/json.md "threads"): those stay "-".
    r[Col::Waits] = unless(u.thread_waits, per_s(d.waits, dt));
    r[Col::ReadyPerWait] = unless(u.thread_waits, per(d.ready, d.waits));
    r[Col::Wakeups] = unless(u.thread_waits, per_s(d.wakeups, dt));
    r[Col::Recv] = unless(u.thread_recv, per_s(d.recv, dt));
    r[Col::EagainPct] = unless(u.thread_recv, per(d.recv_eagain, d.recv, 100));
    r.counts.waits = count_unless(u.thread_waits, d.waits);
    r.counts.ready = count_unless(u.thread_waits, d.ready);
    r.counts.wakeups = count_unless(u.thread_waits, d.wakeups);
    r.counts.recv = count_unless(u.thread_recv, d.recv);
    r.counts.recv_eagain = count_unless(u.thread_recv, d.recv_eagain);
    return r;
}

void RateTracker::advance(const TopFrame& f) {
    ++frames_;
    prev_ = std::move(cur_);
    prev_t_ = cur_t_;
    prev_lost_ = cur_lost_;
    cur_.clear();
    for (const ProcessStats& p : f.snap.processes) cur_[p.pid] = p;
    cur_t_ = f.t_s;
    availability_ = f.snap.availability;
    cur_lost_ = f.snap.lost_events();
    // The first frame's counters run from the start of tracing (t = 0).
    interval_s_ = frames_ == 1 ? f.t_s : f.t_s - prev_t_;
    lost_interval_ = cur_lost_ >= prev_lost_ ? cur_lost_ - prev_lost_ : cur_lost_;
}

const ProcessStats* RateTracker::previous(int pid) const {
    auto it = prev_.find(pid);
    // An exited process's pid that shows up again is a new process.
    if (it == prev_.end() || it->second.exited) return nullptr;
    return &it->second;
}

std::vector<Row> RateTracker::process_rows() const {
    std::vector<Row> rows;
    rows.reserve(cur_.size());
    for (const auto& [pid, p] : cur_)
        rows.push_back(process_row(p, previous(pid), interval_s_, unavailable_figures(p, availability_)));
    return rows;
}

std::vector<Row> RateTracker::thread_rows() const {
    std::vector<Row> rows;
    for (const auto& [pid, p] : cur_) {
        UnavailableFigures u = unavailable_figures(p, availability_);
        const ProcessStats* prev = previous(pid);
        if (prev != nullptr && !continues(p, *prev)) prev = nullptr;
        std::map<int, const ThreadStats*> before;
        if (prev != nullptr)
            for (const ThreadStats& t : prev->threads) before[t.tid] = &t;
        for (const ThreadStats& t : p.threads) {
            auto it = before.find(t.tid);
            rows.push_back(thread_row(p, t, it == before.end() ? nullptr : it->second, interval_s_, u));
        }
    }
    return rows;
}

}  // namespace iotrace
