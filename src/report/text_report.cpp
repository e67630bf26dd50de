#include "text_report.h"

#include <fmt/format.h>

#include "model/syscalls.h"
#include "model/unavailable.h"
#include "report/diagnosis_section.h"
#include "report/format.h"
#include "report/readiness_section.h"
#include "report/syscall_table.h"

namespace iotrace {
namespace {

// Sections with no calls become a one-liner rather than vanishing, so the
// reader can tell "traced, none happened" from "not reported".

std::string waits_section(const WaitStats& w, const UnavailableFigures& u) {
    if (u.waits) return "waits: n/a\n";
    if (w.calls == 0) return "waits: no waits observed\n";
    bool wt = u.waits_watched, cpu = u.waits_cpu_ns;
    return fmt::format(
        "waits: {} calls, {} empty ({}), {} ready, {} watched, {} scanned, {} in total\n"
        "  per wait: {} ready, {} watched, {} scanned, {} mean\n"
        "  {} wakeups ({} of waits slept), {} on CPU inside waits ({} per wait)\n",
        group_digits(w.calls), group_digits(w.empty), percent(w.empty, w.calls), group_digits(w.ready),
        or_na(wt, group_digits(w.watched)), group_digits(w.scanned), human_duration_ns(static_cast<double>(w.time_ns)),
        ratio(w.ready, w.calls), or_na(wt, ratio(w.watched, w.calls)), ratio(w.scanned, w.calls),
        human_duration_ns(static_cast<double>(w.time_ns) / static_cast<double>(w.calls)),  // calls > 0 here
        group_digits(w.wakeups), percent(w.wakeups, w.calls), or_na(cpu, human_duration_ns(static_cast<double>(w.cpu_ns))),
        or_na(cpu, human_duration_ns(static_cast<double>(w.cpu_ns) / static_cast<double>(w.calls))));
}

std::string recv_section(const RecvStats& r, bool unavailable) {
    if (unavailable) return "recv: n/a\n";
    if (r.calls == 0) return "recv: no receives observed\n";
    return fmt::format("recv: {} calls, {} bytes ({} bytes/call), {} eagain, {} eof, {} short\n",
                       group_digits(r.calls), group_digits(r.bytes), ratio(r.bytes, r.calls, 1),
                       group_digits(r.eagain), group_digits(r.eof), group_digits(r.short_reads));
}

std::string send_section(const SendStats& s, bool unavailable) {
    if (unavailable) return "send: n/a\n";
    if (s.calls == 0) return "send: no sends observed\n";
    return fmt::format("send: {} calls, {} bytes ({} bytes/call), {} eagain\n", group_digits(s.calls),
                       group_digits(s.bytes), ratio(s.bytes, s.calls, 1), group_digits(s.eagain));
}

// Always printed: copy has no call count of its own, and an all-zero line
// (share "-") still says something about a process that only accepted/closed.
std::string copy_section(const CopyStats& c, const UnavailableFigures& u) {
    uint64_t bookkeeping = c.wait_in_bytes + c.wait_out_bytes;
    uint64_t all = bookkeeping + c.recv_bytes + c.send_bytes;
    return fmt::format(
        "copy: {} wait_in, {} wait_out, {} recv, {} send bytes\n"
        "  bookkeeping share (wait_in + wait_out) / all: {}\n",
        or_na(u.copy_wait_in, group_digits(c.wait_in_bytes)), or_na(u.copy_wait_out, group_digits(c.wait_out_bytes)),
        or_na(u.copy_recv, group_digits(c.recv_bytes)), or_na(u.copy_send, group_digits(c.send_bytes)),
        or_na(u.copy_any(), percent(bookkeeping, all)));
}

// "nginx ×412 (children of PID 100), 410 exited; pids 101, 102, ... (--per-process lists each)"
std::string group_heading(const ProcessStats& p) {
    std::string pids;
    for (int pid : p.group.pids) pids += (pids.empty() ? "" : ", ") + std::to_string(pid);
    if (p.group.pids.size() < p.group.processes) pids += ", ...";
    return fmt::format("{} \u00d7{} (children of PID {}), {} exited; pids {} (--per-process lists each)\n", p.comm,
                       group_digits(p.group.processes), p.ppid, group_digits(p.group.exited), pids);
}

std::string process_section(const ProcessStats& p, double duration_s, const UnavailableFigures& u) {
    std::string out = p.group.processes == 0
                          ? fmt::format("PID {} ({}){}\n", p.pid, p.comm, p.exited ? " exited" : "")
                          : group_heading(p);
    out += fmt::format("traced for {} s\n", fixed_grouped(duration_s, 3));
    out += diagnosis_section(p);  // the conclusion first, the figures behind it after
    out += "\n";
    std::string table = render_syscall_table(p, u);
    out += table.empty() ? "no probed syscall observed\n" : table;
    out += "\n";
    out += waits_section(p.waits, u);
    out += recv_section(p.recv, u.recv);
    out += send_section(p.send, u.send);
    out += copy_section(p.copy, u);
    out += readiness_section(p, u);
    return out;
}

std::string lost_line(const Snapshot& snap) {
    uint64_t n = snap.lost_events();
    if (n == 0)
        return snap.availability.complete() ? "lost events: 0 (every figure is exact)\n"
                                            : "lost events: 0 (every figure but the n/a ones is exact)\n";
    std::string reasons;
    for (int r = 0; r < IOT_LOST_NR; ++r) {
        uint64_t v = snap.lost[static_cast<size_t>(r)];
        if (v == 0) continue;
        if (!reasons.empty()) reasons += ", ";
        reasons += fmt::format("{} {}", lost_reason_name(r), group_digits(v));
    }
    return fmt::format("warning: lost events: {} ({}); the figures above are lower bounds\n", group_digits(n),
                       reasons);
}

// First, so nobody reads the figures below without knowing some are "n/a".
std::string unavailable_line(const Availability& a) {
    if (a.complete()) return "";
    std::string parts;
    for (const auto& [part, why] : a.missing)
        parts += fmt::format("{}{} ({})", parts.empty() ? "" : "; ", part_label(part), why);
    return "warning: unavailable on this kernel, shown as n/a: " + parts + "\n";
}

}  // namespace

std::string render_text(const Snapshot& snap) {
    std::string out = unavailable_line(snap.availability);
    if (snap.processes.empty()) out += "no process was traced\n";
    for (size_t i = 0; i < snap.processes.size(); ++i) {
        if (i > 0) out += "\n";
        const ProcessStats& p = snap.processes[i];
        out += process_section(p, snap.duration_s, unavailable_figures(p, snap.availability));
    }
    out += "\n";
    out += lost_line(snap);
    return out;
}

}  // namespace iotrace
