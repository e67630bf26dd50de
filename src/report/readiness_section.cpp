#include "report/readiness_section.h"

#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "report/diagnosis_section.h"
#include "report/format.h"

namespace iotrace {

std::vector<const FdStats*> busiest_fds(const ProcessStats& p, size_t max) {
    std::vector<const FdStats*> out;
    for (const auto& f : p.fds) out.push_back(&f);
    std::sort(out.begin(), out.end(), [](const FdStats* a, const FdStats* b) {
        return a->reported != b->reported ? a->reported > b->reported : a->fd < b->fd;
    });
    if (out.size() > max) out.resize(max);
    return out;
}

namespace {

std::string fd_table(const ProcessStats& p) {
    auto top = busiest_fds(p);
    if (top.empty()) return "";
    std::string out = fmt::format("busiest fds ({} of {} reported by waits):\n", top.size(), p.fds.size());
    out += fmt::format("  {:>6} {:<8} {:<7} {:>10} {:>10} {:>12} {:>8} {:>10} {:>10} {:>8} {:>8}  {}\n", "fd",
                       "kind", "trigger", "reported", "reads", "bytes", "eagain", "lt_rerep", "wr_rerep", "et_undr",
                       "et_stall", "peer");
    for (const FdStats* f : top) {
        std::string where = !f->peer.empty() ? f->peer : (!f->local.empty() ? "listening " + f->local : "");
        std::string row = fmt::format("  {:>6} {:<8} {:<7} {:>10} {:>10} {:>12} {:>8} {:>10} {:>10} {:>8} {:>8}  {}",
                                      f->fd, f->kind, f->trigger, group_digits(f->reported), group_digits(f->reads),
                                      group_digits(f->bytes), group_digits(f->eagain), group_digits(f->lt_rereports),
                                      group_digits(f->write_rereports), group_digits(f->et_undrained),
                                      group_digits(f->et_stalls), where);
        row.erase(row.find_last_not_of(' ') + 1);  // no trailing blanks when there is no address
        out += row + "\n";
    }
    return out;
}

// A model column only when some thread's model is not the process's: an
// accept thread that blocks beside epoll workers is worth a column, a
// repeat of the process's model on every row is not.
bool threads_differ(const ProcessStats& p) {
    for (const auto& t : p.threads)
        if (model_label(t.diagnosis.model) != model_label(p.diagnosis.model)) return true;
    return false;
}

std::string thread_table(const ProcessStats& p, const UnavailableFigures& u) {
    if (p.threads.size() < 2) return "";
    bool models = threads_differ(p);
    std::string out = "threads:\n";
    std::string head =
        fmt::format("  {:>8} {:<16} {:>10} {:>10} {:>10} {:>10}", "tid", "comm", "waits", "wakeups", "ready", "recv");
    out += head + (models ? "  model\n" : "\n");
    for (const auto& t : p.threads) {
        bool w = u.thread_waits;
        std::string row = fmt::format("  {:>8} {:<16} {:>10} {:>10} {:>10} {:>10}", t.tid, t.comm,
                                      or_na(w, group_digits(t.waits)), or_na(w, group_digits(t.wakeups)),
                                      or_na(w, group_digits(t.ready)), or_na(u.thread_recv, group_digits(t.recv)));
        if (models) row += "  " + model_label(t.diagnosis.model);
        out += row + "\n";
    }
    return out + thread_findings_section(p);
}

}  // namespace

std::string readiness_section(const ProcessStats& p, const UnavailableFigures& u) {
    const ReadinessStats& r = p.readiness;
    std::string out;
    if (u.readiness) {
        out += "readiness: n/a (re-reports, ET notifications and the fds reported)\n";
    } else if (p.waits.calls > 0) {
        out += fmt::format(
            "readiness: {} LT re-reports ({} unread, {} partially read), {} writable re-reports with nothing "
            "written\n"
            "  {} ET notifications, {} left undrained before the next wait, {} stalls (the previous one never drained)\n",
            group_digits(r.lt_rereports), group_digits(r.lt_rereports_unread), group_digits(r.lt_rereports_partial),
            group_digits(r.write_rereports_unwritten), group_digits(r.et_notifications),
            group_digits(r.et_undrained), group_digits(r.et_stalls));
        if (r.herd_rereports > 0)
            out += fmt::format("  {} herd re-reports: an fd handed to another thread before the last one read it\n",
                               group_digits(r.herd_rereports));
    }
    if (!u.readiness) out += fd_table(p);
    out += thread_table(p, u);
    return out;
}

}  // namespace iotrace
