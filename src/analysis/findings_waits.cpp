// Findings about the waits: what select/poll scanning costs, wakeups for
// nothing, re-reports the process did not act on, edge-triggered stalls.
#include <fmt/format.h>

#include <algorithm>

#include "analysis/findings_internal.h"
#include "analysis/thresholds.h"
#include "report/format.h"

namespace iotrace::detail {

using namespace thresholds;

namespace {

std::string n(uint64_t v) { return group_digits(v); }
std::string dec(double v, int d) { return fixed_grouped(v, d); }

// Severity by the share of waits a wasted report rode on.
const char* by_share_of_waits(uint64_t part, uint64_t waits) {
    if (at_least_pct(part, waits, kRereportHighPct)) return "high";
    if (at_least_pct(part, waits, kRereportMediumPct)) return "medium";
    return "low";
}

// The lower of the two: by share of the waits, and by rate.
const char* by_share_and_rate(uint64_t part, uint64_t waits, double per_s, double high, double medium) {
    std::string by_share = by_share_of_waits(part, waits);
    const char* by_rate = severity_by(per_s, high, medium, 0);
    if (by_share == "low" || std::string(by_rate) == "low") return "low";
    return by_share == "medium" ? "medium" : by_rate;
}

bool rereport_applies(uint64_t count, uint64_t waits) {
    return count >= kMinEvents && at_least_pct(count, waits, kRereportPct);
}

// Figures shared by the three re-report findings.
Figs rereport_figs(const Ctx& c, uint64_t count, const FdStats* fd, uint64_t FdStats::*member) {
    return {{"count", static_cast<double>(count)},
            {"per_wait", share(count, c.f.waits())},
            {"per_s", c.rate(static_cast<double>(count))},
            {"worst_fd", fd ? fd->fd : -1},
            {"worst_fd_count", fd ? static_cast<double>(fd->*member) : 0.0}};
}

std::string worst_fd_words(const FdStats* fd, uint64_t FdStats::*member) {
    return fd ? fmt::format(", most on fd {} ({})", fd->fd, n(fd->*member)) : "";
}

int epoll_threads(const ProcessStats& p) {
    return static_cast<int>(
        std::count_if(p.threads.begin(), p.threads.end(), [](const ThreadStats& t) { return t.epoll_waits > 0; }));
}

}  // namespace

// The reference article's argument on the live process: select and poll cost
// in proportion to the fds watched, epoll in proportion to those ready. The
// saving is an estimate: on-CPU time in the waits scaled by ready/watched,
// with at least 1 per call for epoll's fixed cost.
MaybeFinding select_scan_cost(const Ctx& c) {
    const Figures& f = c.f;
    uint64_t w = f.waits();
    if (!at_least_pct(f.select_waits + f.poll_waits, w, kScanFamilyPct)) return std::nullopt;
    double watched = share(c.p.waits.watched, w), ready = share(c.p.waits.ready, w);
    double epoll_units = std::max(ready, 1.0);
    if (watched < kScanMinWatched || watched < kScanMinGain * epoll_units) return std::nullopt;
    double cpu_ms = c.rate(static_cast<double>(c.p.waits.cpu_ns) / 1e6);
    double epoll_ms = cpu_ms * epoll_units / watched;
    double saving = cpu_ms - epoll_ms;
    const char* fam = f.select_waits >= f.poll_waits ? "select" : "poll";
    std::string text = fmt::format(
        "{}() watches {} fds to find {} ready per call: {} ms of CPU per second goes to the waits; epoll would "
        "cost ~{} per call instead of {} (estimated {} ms/s saved) — switch to epoll",
        fam, dec(watched, 1), dec(ready, 1), dec(cpu_ms, 1), dec(epoll_units, 1), dec(watched, 1), dec(saving, 1));
    return make_finding("select_scan_cost", severity_by(saving, kScanHighMsPerS, kScanMediumMsPerS, kScanLowMsPerS),
                        text,
                        {{"watched_per_wait", watched},
                         {"ready_per_wait", ready},
                         {"waits_per_s", c.rate(static_cast<double>(w))},
                         {"cpu_ms_per_s", cpu_ms},
                         {"epoll_estimate_ms_per_s", epoll_ms},
                         {"saving_ms_per_s", saving}});
}

// Waits that timed out with nothing ready. Empty zero-timeout waits are
// busy-poll's business, so they are taken out: what remains are the empty
// waits that had a timeout.
MaybeFinding empty_wakeups(const Ctx& c) {
    uint64_t w = c.f.waits(), e = c.p.waits.empty - std::min(c.p.waits.empty, c.p.waits.zero_timeout_empty);
    double per_s = c.rate(static_cast<double>(e));
    if (!at_least_pct(e, w, kEmptyPct) || per_s < kEmptyMinPerS) return std::nullopt;
    std::string text = fmt::format(
        "{} of {} waits ({}) timed out with nothing ready, {} per second: each is a wakeup with nothing to do — "
        "wait until the next timer deadline (or longer) rather than for a short fixed timeout",
        n(e), n(w), percent(e, w), dec(per_s, 1));
    return make_finding("empty_wakeups", severity_by(per_s, kEmptyHighPerS, kEmptyMediumPerS, 0), text,
                        {{"empty", static_cast<double>(e)}, {"empty_share", share(e, w)}, {"empty_per_s", per_s}});
}

MaybeFinding lt_rereports_unread(const Ctx& c) {
    uint64_t u = c.p.readiness.lt_rereports_unread, w = c.f.waits();
    if (!rereport_applies(u, w)) return std::nullopt;
    const FdStats* fd = worst_fd(c.p, &FdStats::lt_rereports_unread);
    bool epoll = c.main_family() == "epoll";
    std::string text = fmt::format(
        "{} level-triggered reports ({} per wait) named an fd not read since the previous wait reported it{}: "
        "read a reported fd before waiting again, or stop watching it while you defer it ({})",
        n(u), dec(share(u, w), 2), worst_fd_words(fd, &FdStats::lt_rereports_unread),
        epoll ? "EPOLL_CTL_DEL, or EPOLLET" : "take it out of the set");
    // Threads with an epoll fd each (memcached's workers) re-report only to
    // themselves. Herd re-reports, an unread fd reported by one epoll fd to
    // a second thread, are the evidence that threads share one: only then
    // may some of these re-reports be one event handed on.
    int k = epoll_threads(c.p);
    uint64_t herd = c.p.readiness.herd_rereports;
    if (epoll && herd > 0)
        text += fmt::format(
            "; {} threads wait on epoll and {} reports handed an unread fd to a second thread: they share an epoll "
            "fd, which hands a level-triggered event to the next thread while one handles it (EPOLLONESHOT or one "
            "epoll fd per thread avoids that)",
            k, n(herd));
    Figs figs = rereport_figs(c, u, fd, &FdStats::lt_rereports_unread);
    figs.push_back({"epoll_threads", k});
    return make_finding("lt_rereports_unread", by_share_of_waits(u, w), text, figs);
}

// Several threads waiting on one epoll fd: an event nobody has read yet is
// handed to one thread after another (level triggering puts it back on the
// ready list and wakes the next waiter; a new edge does the same with ET).
MaybeFinding shared_epoll_herd(const Ctx& c) {
    uint64_t h = c.p.readiness.herd_rereports, w = c.f.waits();
    if (!rereport_applies(h, w)) return std::nullopt;
    const FdStats* fd = worst_fd(c.p, &FdStats::herd_rereports);
    int k = epoll_threads(c.p);
    std::string text = fmt::format(
        "{} epoll reports ({} per wait) handed an fd to a thread while the thread last handed it had not read it{}: "
        "{} threads wait on a shared epoll fd and are woken for the same event — register such fds "
        "EPOLLONESHOT (EPOLLET|EPOLLONESHOT, re-armed with EPOLL_CTL_MOD once handled) so one thread holds an fd at "
        "a time, or give each thread its own epoll fd (a listener shared by them with EPOLLEXCLUSIVE, or one per "
        "thread with SO_REUSEPORT)",
        n(h), dec(share(h, w), 2), worst_fd_words(fd, &FdStats::herd_rereports), k);
    Figs figs = rereport_figs(c, h, fd, &FdStats::herd_rereports);
    figs.push_back({"epoll_threads", k});
    return make_finding("shared_epoll_herd", by_share_of_waits(h, w), text, figs);
}

MaybeFinding lt_rereports_partial(const Ctx& c) {
    uint64_t r = c.p.readiness.lt_rereports_partial, w = c.f.waits();
    if (!rereport_applies(r, w)) return std::nullopt;
    const FdStats* fd = worst_fd(c.p, &FdStats::lt_rereports_partial);
    // On a listening socket the "read" is an accept: one connection taken
    // per wakeup while more were queued.
    const char* advice = fd && is_listener(*fd)
                             ? "accept until EAGAIN before waiting again — each is a wait spent on connections "
                               "already announced"
                             : "read until EAGAIN or a short read (or into a larger buffer) before waiting again — "
                               "each is a wait spent on data already announced";
    std::string text = fmt::format(
        "{} level-triggered reports ({} per wait) named an fd read but not drained since the previous report{}: {}",
        n(r), dec(share(r, w), 2), worst_fd_words(fd, &FdStats::lt_rereports_partial), advice);
    const char* sev = by_share_and_rate(r, w, c.rate(static_cast<double>(r)), kPartialHighPerS, kPartialMediumPerS);
    return make_finding("lt_rereports_partial", sev, text, rereport_figs(c, r, fd, &FdStats::lt_rereports_partial));
}

MaybeFinding epollout_busy_loop(const Ctx& c) {
    uint64_t r = c.p.readiness.write_rereports_unwritten, w = c.f.waits();
    if (!rereport_applies(r, w)) return std::nullopt;
    const FdStats* fd = worst_fd(c.p, &FdStats::write_rereports);
    std::string fam = c.main_family();
    const char* flag = fam == "epoll" ? "EPOLLOUT" : fam == "poll" ? "POLLOUT" : "the write set";
    std::string text = fmt::format(
        "{} writable reports ({} per wait) came with nothing written since the previous one{}: watch for "
        "writability ({}) only while output is pending, and stop once the buffer is flushed",
        n(r), dec(share(r, w), 2), worst_fd_words(fd, &FdStats::write_rereports), flag);
    return make_finding("epollout_busy_loop", by_share_of_waits(r, w), text,
                        rereport_figs(c, r, fd, &FdStats::write_rereports));
}

namespace {

// The fds with ET stalls, most first (ties in fd order).
std::vector<const FdStats*> stalled_fds(const ProcessStats& p) {
    std::vector<const FdStats*> fds;
    for (const FdStats& f : p.fds)
        if (f.et_stalls > 0) fds.push_back(&f);
    std::stable_sort(fds.begin(), fds.end(),
                     [](const FdStats* a, const FdStats* b) { return a->et_stalls > b->et_stalls; });
    return fds;
}

// " (fd 7)", " (fds 7, 12, 9)", " (fds 9, 3, 4, 5, 6 and 2 more)"; "" for none.
std::string fd_list(const std::vector<const FdStats*>& fds) {
    if (fds.empty()) return "";
    std::string list = fds.size() > 1 ? " (fds " : " (fd ";
    for (size_t i = 0; i < fds.size() && i < kEtListedFds; ++i) list += (i ? ", " : "") + std::to_string(fds[i]->fd);
    if (fds.size() > kEtListedFds) list += fmt::format(" and {} more", fds.size() - kEtListedFds);
    return list + ")";
}

}  // namespace

// Judged on et_stalls, not et_undrained: a runtime that hands the fd to
// another thread (Go's netpoller) waits again before that thread reads, so
// et_undrained counts notifications nobody left behind. A stall is data
// that really sat: no drain by any thread until new data made a new edge,
// and a peer waiting for an answer would have waited.
MaybeFinding et_stall_risk(const Ctx& c) {
    uint64_t st = c.p.readiness.et_stalls, total = c.p.readiness.et_notifications;
    if (st < kEtMinStalls) return std::nullopt;
    std::vector<const FdStats*> fds = stalled_fds(c.p);
    const char* sev = at_least_pct(st, total, kEtHighPct)     ? "high"
                      : at_least_pct(st, total, kEtMediumPct) ? "medium"
                                                              : "low";
    std::string text = fmt::format(
        "{} of {} edge-triggered notifications ({}) came while the fd's previous one was still not drained{}: with "
        "EPOLLET that data was not reported again until more arrived, so a connection can stall — read until "
        "EAGAIN or a short read (in whichever thread takes the fd) before relying on the next notification",
        n(st), n(total), percent(st, total), fd_list(fds));
    return make_finding("et_stall_risk", sev, text,
                        {{"et_stalls", static_cast<double>(st)},
                         {"et_notifications", static_cast<double>(total)},
                         {"stall_share", share(st, total)},
                         {"fds_affected", static_cast<double>(fds.size())},
                         {"worst_fd", fds.empty() ? -1 : fds[0]->fd},
                         {"worst_fd_stalls", fds.empty() ? 0.0 : static_cast<double>(fds[0]->et_stalls)}});
}

}  // namespace iotrace::detail
