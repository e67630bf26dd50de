#include "top/top_state.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <utility>

#include "top/columns.h"

namespace iotrace {
namespace {

bool contains_ci(const std::string& hay, const std::string& needle) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                          [&](char a, char b) { return lower(a) == lower(b); });
    return it != hay.end();
}

void fill_diagnosis(Row& r, const Diagnosis& d) {
    r.model = model_label(d.model);
    r.confidence = d.model.confidence;
    r.worst = d.findings.empty() ? "" : d.findings.front().id;
}

}  // namespace

double wall_clock_now() {
    using namespace std::chrono;
    return duration<double>(system_clock::now().time_since_epoch()).count();
}

TopState::TopState(TopOptions o)
    : opt_(std::move(o)),
      windows_(opt_.diag_window_s, opt_.linger_refreshes),
      users_(opt_.user_lookup),
      sort_(opt_.sort),
      reverse_(opt_.reverse),
      threads_(opt_.threads) {}

void TopState::update(const TopFrame& f, double wall_time) {
    rates_.advance(f);
    windows_.advance(f, rates_.previous_t_s());

    TopHeader h;
    h.t_s = f.t_s;
    h.interval_s = rates_.interval_s();
    h.wall_time = wall_time;
    h.traced_processes = f.traced_processes;
    h.self_cpu_pct = f.self_cpu_pct;
    h.lost_interval = rates_.lost_interval();
    h.lost_total = f.snap.lost_events();
    h.processes = f.snap.processes.size();
    h.refreshes = header_.refreshes + 1;

    // Exited rows of the last frame start lingering; lingering ones age.
    std::vector<Row> linger;
    for (Row& r : lingering_)
        if (++r.gone_for <= opt_.linger_refreshes) linger.push_back(std::move(r));
    for (Row& r : frame_rows_)
        if (r.exited && opt_.linger_refreshes > 0) {
            r.gone_for = 1;
            linger.push_back(std::move(r));
        }
    std::set<int> in_frame;
    for (const ProcessStats& p : f.snap.processes) in_frame.insert(p.pid);
    std::erase_if(linger, [&](const Row& r) { return in_frame.count(r.pid) > 0; });  // the pid was reused
    lingering_ = std::move(linger);

    rebuild_rows();
    std::vector<Row> procs = threads_ ? rates_.process_rows() : std::vector<Row>{};
    for (const Row& r : threads_ ? procs : frame_rows_) {
        h.exited += r.exited ? 1 : 0;
        auto add = [](double& to, const Figure& x) { to += x.kind == Figure::Value ? x.v : 0; };
        add(h.waits_per_s, r[Col::Waits]);
        add(h.wakeups_per_s, r[Col::Wakeups]);
        add(h.recv_per_s, r[Col::Recv]);
        add(h.recv_mb_per_s, r[Col::RecvMB]);
    }
    header_ = h;

    if (paused_) return;  // the rows shown stay as they were
    if (hold_ > 0) {
        --hold_;
        refresh_shown(false);
    } else {
        refresh_shown(true);
    }
}

void TopState::rebuild_rows() {
    frame_rows_ = threads_ ? rates_.thread_rows() : rates_.process_rows();
    for (Row& r : frame_rows_) {
        r.user = users_.name(r.uid);
        const ProcessStats* w = windows_.window_of(r.pid);
        if (w == nullptr) continue;
        if (!r.is_thread()) {
            fill_diagnosis(r, w->diagnosis);
            continue;
        }
        auto t = std::find_if(w->threads.begin(), w->threads.end(), [&](const ThreadStats& x) { return x.tid == r.tid; });
        if (t != w->threads.end())
            fill_diagnosis(r, t->diagnosis);
        else
            r.model = "idle";  // nothing in the window
    }
    sort_rows(frame_rows_);
}

void TopState::sort_rows(std::vector<Row>& rows) const {
    std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) { return row_before(a, b, sort_, reverse_); });
}

void TopState::set_paused(bool on) {
    paused_ = on;
    paused_rows_.clear();
    if (on) {
        paused_rows_ = frame_rows_;
        paused_rows_.insert(paused_rows_.end(), lingering_.begin(), lingering_.end());
    }
}

void TopState::refresh_shown(bool resort) {
    std::vector<Row> rows;
    auto take = [&](const std::vector<Row>& from) {
        for (const Row& r : from)
            if (filter_.empty() || contains_ci(r.comm, filter_)) rows.push_back(r);
    };
    if (paused_) {
        take(paused_rows_);
    } else {
        take(frame_rows_);
        take(lingering_);
    }
    if (resort) {
        sort_rows(rows);
    } else {
        // Deferred: rows keep the places they had; new ones go below them.
        std::map<std::pair<int, int>, size_t> place;
        for (size_t i = 0; i < shown_.size(); ++i) place[{shown_[i].pid, shown_[i].tid}] = i;
        auto where = [&](const Row& r) {
            auto it = place.find({r.pid, r.tid});
            return it == place.end() ? shown_.size() : it->second;
        };
        std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
            size_t x = where(a), y = where(b);
            if (x != y) return x < y;
            return row_before(a, b, sort_, reverse_);
        });
    }
    shown_ = std::move(rows);
    select_pid(sel_pid_, sel_tid_);
}

void TopState::select_pid(int pid, int tid) {
    if (shown_.empty()) {
        sel_ = 0;
        return;
    }
    auto exact = std::find_if(shown_.begin(), shown_.end(), [&](const Row& r) { return r.pid == pid && r.tid == tid; });
    auto same = exact != shown_.end() ? exact
                                      : std::find_if(shown_.begin(), shown_.end(), [&](const Row& r) { return r.pid == pid; });
    if (pid >= 0 && same != shown_.end()) {
        sel_ = static_cast<size_t>(same - shown_.begin());
    } else {
        sel_ = std::min(sel_, shown_.size() - 1);  // its process is gone: the row now in its place
    }
    sel_pid_ = shown_[sel_].pid;
    sel_tid_ = shown_[sel_].tid;
}

void TopState::move_selection(long delta) {
    if (shown_.empty()) return;
    long to = std::clamp(static_cast<long>(sel_) + delta, 0L, static_cast<long>(shown_.size()) - 1);
    sel_ = static_cast<size_t>(to);
    sel_pid_ = shown_[sel_].pid;
    sel_tid_ = shown_[sel_].tid;
    hold_ = opt_.resort_hold_refreshes;
}

int TopState::selected_pid() const { return shown_.empty() ? -1 : shown_[sel_].pid; }

int TopState::selected_tid() const { return shown_.empty() ? -1 : shown_[sel_].tid; }

const ProcessStats* TopState::window_of(int pid) const { return windows_.window_of(pid); }

int TopState::page_rows() const { return std::max(1, last_page_rows_); }

}  // namespace iotrace
