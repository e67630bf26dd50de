#include "analysis/findings.h"

#include <fmt/format.h>

#include <algorithm>

#include "analysis/findings_internal.h"
#include "analysis/model.h"
#include "analysis/thresholds.h"
#include "report/format.h"

namespace iotrace {
namespace detail {

std::string Ctx::main_family() const {
    if (f.epoll_waits >= f.poll_waits && f.epoll_waits >= f.select_waits) return "epoll";
    return f.poll_waits >= f.select_waits ? "poll" : "select";
}

const char* severity_by(double v, double high, double medium, double low) {
    if (v >= high) return "high";
    if (v >= medium) return "medium";
    if (v >= low) return "low";
    return "info";
}

Finding make_finding(const char* id, const char* severity, std::string text, Figs figures) {
    return Finding{id, severity, std::move(text), std::move(figures)};
}

std::string zero_timeout_words(const Figures& f) {
    return fmt::format("{} of {} zero-timeout waits came back empty", group_digits(f.zero_timeout_empty),
                       group_digits(f.zero_timeout));
}

std::string eagain_words(const Figures& f, const char* calls) {
    if (!f.readiness)
        return fmt::format("{} EAGAIN {} (readiness not counted: none set aside as drains)",
                           group_digits(f.io_eagain()), calls);
    return fmt::format("{} of {} EAGAIN {} beyond the {} that drained a reported fd", group_digits(f.futile_eagain()),
                       group_digits(f.io_eagain()), calls, group_digits(f.eagain_drains));
}

const FdStats* worst_fd(const ProcessStats& p, uint64_t FdStats::*member) {
    const FdStats* best = nullptr;
    for (const FdStats& f : p.fds)  // p.fds is sorted by fd: ">" keeps the lower fd on ties
        if (f.*member > 0 && (!best || f.*member > best->*member)) best = &f;
    return best;
}

}  // namespace detail

namespace {

using namespace detail;
using namespace thresholds;

int severity_rank(const std::string& s) {
    if (s == "high") return 0;
    if (s == "medium") return 1;
    if (s == "low") return 2;
    return 3;
}

// A thread that busy-polls on its own: the same figures as the process
// finding, without the CPU estimate (time is not counted per thread).
MaybeFinding thread_busy_poll(const ThreadStats& t, const ProcessStats& owner, double seconds, const Counted& c) {
    if (classify_thread(t, owner, c).name != "busy-poll") return std::nullopt;
    Figures f = figures_of(t, owner, c);
    uint64_t futile = f.zero_timeout_empty + f.futile_eagain(), slept = f.wakeups + f.io_sleeps();
    double per_s = per_second(static_cast<double>(futile), seconds);
    std::string text = fmt::format(
        "thread {} ({}) made {} calls that came back with nothing to do ({} per second: {}, {}) and {} slept — "
        "block in the wait (epoll_wait with a timeout) instead of polling",
        t.tid, t.comm, group_digits(futile), fixed_grouped(per_s, 1), zero_timeout_words(f),
        eagain_words(f, "receives"), group_digits(slept));
    return make_finding("busy_poll", severity_by(per_s, kBusyHighPerS, kBusyMediumPerS, kBusyLowPerS), text,
                        {{"futile_calls", static_cast<double>(futile)},
                         {"futile_per_s", per_s},
                         {"zero_timeout_waits", static_cast<double>(f.zero_timeout)},
                         {"zero_timeout_empty", static_cast<double>(f.zero_timeout_empty)},
                         {"eagain_calls", static_cast<double>(f.recv_eagain)},
                         {"eagain_drains", static_cast<double>(f.eagain_drains)},
                         {"futile_eagain", static_cast<double>(f.futile_eagain())},
                         {"slept", static_cast<double>(slept)}});
}

// One of the threads racing for connections: its part of the process's
// thundering_herd finding, with the same severity.
MaybeFinding thread_herd(const ThreadStats& t, const ProcessStats& owner, double seconds, const Counted& counted) {
    if (t.accepts == 0) return std::nullopt;
    Ctx c{owner, figures_of(owner, counted), classify(owner, counted), seconds};
    MaybeFinding herd = thundering_herd(c);
    if (!herd) return std::nullopt;
    std::string text = fmt::format(
        "thread {} ({}) made {} of the process's {} accepts ({}), racing {} other threads for each connection — "
        "EPOLLEXCLUSIVE on the listener, or one listener per thread (SO_REUSEPORT)",
        t.tid, t.comm, group_digits(t.accepts), group_digits(owner.accept.calls),
        percent(t.accepts, owner.accept.calls), accepting_threads(owner) - 1);
    return make_finding("thundering_herd", herd->severity.c_str(), text,
                        {{"accepts", static_cast<double>(t.accepts)},
                         {"accepts_share", share(t.accepts, owner.accept.calls)},
                         {"accepting_threads", static_cast<double>(accepting_threads(owner))}});
}

// What each rule reads, by the figures that can be unavailable
// (src/model/unavailable.h): the rule is skipped when any is.
bool needs_readiness(const UnavailableFigures& u) { return u.readiness || u.waits; }
bool needs_scan(const UnavailableFigures& u) { return u.waits || u.waits_cpu_ns || u.waits_watched; }
bool needs_waits(const UnavailableFigures& u) { return u.waits; }
// the zero-timeout waits' CPU and the EAGAIN calls' time
bool needs_busy(const UnavailableFigures& u) {
    return u.waits || u.waits_cpu_ns || u.recv || u.send || u.accept || u.any_syscall();
}
bool needs_accepts(const UnavailableFigures& u) { return u.accept || u.thread_accepts; }
bool needs_sleeps(const UnavailableFigures& u) { return u.recv || u.accept || u.thread_recv || u.thread_accepts; }
bool needs_all_calls(const UnavailableFigures& u) { return u.any_syscall() || u.waits || u.recv || u.send; }
bool needs_reads(const UnavailableFigures& u) { return u.recv || u.readiness; }
bool needs_copy(const UnavailableFigures& u) { return u.copy_any(); }

struct Rule {
    MaybeFinding (*find)(const Ctx&);
    bool (*unavailable)(const UnavailableFigures&);
};

}  // namespace

void sort_worst_first(std::vector<Finding>& findings) {
    std::stable_sort(findings.begin(), findings.end(), [](const Finding& a, const Finding& b) {
        return severity_rank(a.severity) < severity_rank(b.severity);
    });
}

std::vector<Finding> find_issues(const ProcessStats& p, double duration_s, const UnavailableFigures& u) {
    Counted counts = counted(u);
    Ctx c{p, figures_of(p, counts), classify(p, counts), duration_s};
    // The order breaks ties between equal severities: risks to correctness
    // first, then CPU burnt, then wasted calls, then copies.
    const Rule rules[] = {
        {et_stall_risk, needs_readiness},      {busy_poll, needs_busy},
        {select_scan_cost, needs_scan},        {thundering_herd, needs_accepts},
        {shared_epoll_herd, needs_readiness},  {epollout_busy_loop, needs_readiness},
        {lt_rereports_unread, needs_readiness}, {lt_rereports_partial, needs_readiness},
        {empty_wakeups, needs_waits},          {blocking_switches, needs_sleeps},
        {syscalls_per_message, needs_all_calls}, {small_reads, needs_reads},
        {bookkeeping_copy, needs_copy},
    };
    std::vector<Finding> out;
    for (const Rule& rule : rules)
        if (!rule.unavailable(u))
            if (MaybeFinding f = rule.find(c)) out.push_back(std::move(*f));
    sort_worst_first(out);
    return out;
}

std::vector<Finding> find_thread_issues(const ThreadStats& t, const ProcessStats& owner, double duration_s,
                                        const UnavailableFigures& u) {
    std::vector<Finding> out;
    Counted c = counted(u);
    if (!u.thread_waits && !u.thread_recv && !u.thread_accepts)
        if (MaybeFinding f = thread_busy_poll(t, owner, duration_s, c)) out.push_back(*f);
    if (!needs_accepts(u))
        if (MaybeFinding f = thread_herd(t, owner, duration_s, c)) out.push_back(*f);
    sort_worst_first(out);
    return out;
}

}  // namespace iotrace
