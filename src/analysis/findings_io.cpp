// Findings about the IO calls themselves: spinning, sleeping per read, small
// reads, syscalls per message, bookkeeping copies, threads racing to accept.
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
double d(uint64_t v) { return static_cast<double>(v); }

// Time spent in the calls of [first, last] that returned EAGAIN, estimated as
// their share of the calls times the syscall's total time.
double eagain_time_ns(const ProcessStats& p, int first, int last) {
    double ns = 0;
    for (int s = first; s <= last; ++s) {
        const SyscallStats& st = p.syscalls[static_cast<size_t>(s)];
        ns += d(st.time_ns) * share(st.eagain, st.calls);
    }
    return ns;
}

}  // namespace

uint64_t accepting_threads(const ProcessStats& p) {
    return static_cast<uint64_t>(
        std::count_if(p.threads.begin(), p.threads.end(), [](const ThreadStats& t) { return t.accepts > 0; }));
}

uint64_t data_reads(const ProcessStats& p) {
    uint64_t nothing = p.recv.eagain + p.recv.eof;
    return p.recv.calls > nothing ? p.recv.calls - nothing : 0;
}

// Emitted with the busy-poll model. Futile: the zero-timeout waits that came
// back empty (one that returned events did work) and the EAGAIN calls beyond
// one per report of the fd (reading until EAGAIN is how a reported fd is
// drained). The CPU is an estimate: the empty zero-timeout waits' share of
// the on-CPU time in waits, plus the futile EAGAIN calls' share of the
// EAGAIN calls' time.
MaybeFinding busy_poll(const Ctx& c) {
    if (c.model.name != "busy-poll") return std::nullopt;
    const Figures& f = c.f;
    uint64_t futile = f.zero_timeout_empty + f.futile_eagain(), slept = f.wakeups + f.io_sleeps();
    double zt_ns = d(c.p.waits.cpu_ns) * share(f.zero_timeout_empty, f.waits());
    double eagain_ns = eagain_time_ns(c.p, IOT_RECVFROM, IOT_ACCEPT4) * share(f.futile_eagain(), f.io_eagain());
    double cpu_ms = c.rate((zt_ns + eagain_ns) / 1e6), per_s = c.rate(d(futile));
    std::string text = fmt::format(
        "{} calls came back with nothing to do ({} per second: {}, {}) and {} slept: about {} ms of CPU per second "
        "spins — block in the wait (epoll_wait with a timeout) instead of polling",
        n(futile), dec(per_s, 1), zero_timeout_words(f), eagain_words(f, "calls"), n(slept), dec(cpu_ms, 1));
    return make_finding("busy_poll", severity_by(per_s, kBusyHighPerS, kBusyMediumPerS, kBusyLowPerS), text,
                        {{"futile_calls", d(futile)},
                         {"futile_per_s", per_s},
                         {"zero_timeout_waits", d(f.zero_timeout)},
                         {"zero_timeout_empty", d(f.zero_timeout_empty)},
                         {"eagain_calls", d(f.io_eagain())},
                         {"eagain_drains", d(f.eagain_drains)},
                         {"futile_eagain", d(f.futile_eagain())},
                         {"slept", d(slept)},
                         {"cpu_ms_per_s", cpu_ms}});
}

// The cost of the blocking model: a context switch out and back per read
// that sleeps.
MaybeFinding blocking_switches(const Ctx& c) {
    if (c.model.name != "blocking") return std::nullopt;
    uint64_t slept = c.f.io_sleeps();
    double per_s = c.rate(d(slept));
    if (per_s < kBlockMinPerS) return std::nullopt;
    auto sleeping = std::count_if(c.p.threads.begin(), c.p.threads.end(),
                                  [](const ThreadStats& t) { return t.recv_blocked + t.accept_blocked > 0; });
    std::string text = fmt::format(
        "{} receives and accepts slept ({} per second) across {} threads: each is a switch out and back in — an "
        "event loop (epoll) on a few threads serves many connections without a switch per read",
        n(slept), dec(per_s, 1), sleeping);
    return make_finding("blocking_switches", severity_by(per_s, kBlockHighPerS, kBlockMediumPerS, 0), text,
                        {{"slept", d(slept)}, {"slept_per_s", per_s}, {"threads_sleeping", d(sleeping)}});
}

// Reads that fill the buffer (not short) and still average little, while
// data was left behind: the buffer is smaller than what is waiting, so the
// same bytes take more calls. A full read alone proves nothing (a protocol
// reading exactly one message fills its buffer and leaves the socket empty):
// the evidence that more was waiting is the fd being reported again after a
// partial read, or an ET stall: new data announced while the previous
// notification's was still not drained by any thread. Not et_undrained: a
// runtime that hands the fd to another thread (Go's netpoller) waits again
// before that thread reads it to EAGAIN, and nothing was left behind.
MaybeFinding small_reads(const Ctx& c) {
    uint64_t reads = data_reads(c.p);
    if (reads < kMinSample) return std::nullopt;
    double avg = share(c.p.recv.bytes, reads);
    uint64_t full = reads - std::min(reads, c.p.recv.short_reads);
    if (avg >= kSmallReadBytes || !at_least_pct(full, reads, kFullReadPct)) return std::nullopt;
    uint64_t left_behind = c.p.readiness.lt_rereports_partial + c.p.readiness.et_stalls;
    if (!at_least_pct(left_behind, full, kLeftBehindPct)) return std::nullopt;
    double per_s = c.rate(d(reads));
    std::string text = fmt::format(
        "{} reads returned {} bytes on average and {} of them filled the buffer: more was waiting — read into "
        "16 KiB or more and the same bytes take fewer calls",
        n(reads), dec(avg, 1), percent(full, reads));
    return make_finding(
        "small_reads", severity_by(per_s, kReadsHighPerS, kReadsMediumPerS, 0), text,
        {{"data_reads", d(reads)},
         {"avg_bytes", avg},
         {"full_share", share(full, reads)},
         {"left_behind", d(left_behind)},
         {"reads_per_s", per_s}});
}

namespace {

// The overhead that weighs most per message, and what to do about it. An
// EAGAIN read of a reported fd ends its drain (a short read already said
// so); one of an fd no wait reported is a check on chance (socat reads its
// diagnostics socketpair at every log call), which skipping a read after a
// short one does not touch.
const char* per_message_advice(double waits, double eagain, double unreported, double ctl, double extra_sends) {
    double top = std::max({waits, eagain, unreported, ctl, extra_sends});
    if (top == eagain)
        return "skip the read that returns EAGAIN: on a stream socket a short read already means it is drained";
    if (top == unreported)
        return "most EAGAIN reads were of fds no wait reported: watch those fds in the wait, or check them less "
               "often, rather than reading them on chance";
    if (top == ctl)
        return "stop calling epoll_ctl per event (EPOLLONESHOT re-arming, EPOLLOUT toggling): keep registrations";
    if (top == extra_sends) return "gather each answer into one send (writev, sendmsg, or one buffer)";
    return "wait less often: handle every ready fd per wait (a larger maxevents) before waiting again";
}

}  // namespace

// Syscalls per read that returned data (a "message"); skipped for
// busy-poll, whose finding already counts the futile calls.
MaybeFinding syscalls_per_message(const Ctx& c) {
    uint64_t m = data_reads(c.p);
    if (m < kMinSample || c.model.name == "busy-poll") return std::nullopt;
    uint64_t total = calls_of(c.p, 0, IOT_NR_SYS - 1);
    double per = share(total, m);
    if (per < kPerMsgLow) return std::nullopt;
    uint64_t unrep = std::min(c.p.recv.eagain, c.f.unreported_eagain);  // 0 without readiness figures
    double waits = share(c.f.waits(), m), reads = share(c.p.recv.calls, m), eagain = share(c.p.recv.eagain, m);
    double unreported = share(unrep, m);
    double sends = share(c.p.send.calls, m), ctl = share(c.p.syscalls[IOT_EPOLL_CTL].calls, m);
    double per_report = share(c.p.recv.calls, c.p.waits.ready);
    double bytes = share(c.p.recv.bytes + c.p.send.bytes, total);
    std::string text = fmt::format(
        "{} syscalls per read that returned data ({} waits, {} reads of which {} EAGAIN{}, {} sends, {} epoll_ctl; "
        "{} bytes moved per syscall): {}",
        dec(per, 1), dec(waits, 2), dec(reads, 2), dec(eagain, 2),
        unrep > 0 ? fmt::format(" ({} on fds no wait reported)", dec(unreported, 2)) : "", dec(sends, 2),
        dec(ctl, 2), dec(bytes, 0),
        per_message_advice(waits, eagain - unreported, unreported, ctl, std::max(0.0, sends - 1)));
    return make_finding("syscalls_per_message", severity_by(per, kPerMsgHigh, kPerMsgMedium, 0), text,
                        {{"syscalls_per_message", per},
                         {"waits_per_message", waits},
                         {"reads_per_message", reads},
                         {"eagain_per_message", eagain},
                         {"unreported_eagain_per_message", unreported},
                         {"sends_per_message", sends},
                         {"epoll_ctl_per_message", ctl},
                         {"reads_per_report", per_report},
                         {"bytes_per_syscall", bytes}});
}

MaybeFinding bookkeeping_copy(const Ctx& c) {
    const CopyStats& cp = c.p.copy;
    uint64_t bk = cp.wait_in_bytes + cp.wait_out_bytes, data = cp.recv_bytes + cp.send_bytes;
    if (bk < kBookkeepingMinBytes || !at_least_pct(bk, bk + data, kBookkeepingPct)) return std::nullopt;
    std::string fam = c.main_family();
    const char* advice = fam != "epoll" ? "epoll keeps the interest set in the kernel and copies out only ready events"
                         : cp.wait_in_bytes > cp.wait_out_bytes
                             ? "most of it is epoll_ctl: keep registrations rather than modify them per event"
                             : "each ready event carries few data bytes: move more data per event";
    double per_s = c.rate(d(bk));
    std::string text = fmt::format(
        "{} bookkeeping bytes per second (fd sets, pollfd arrays, epoll events) were copied for {} data bytes per "
        "second ({} of all bytes copied): {}",
        dec(per_s, 0), dec(c.rate(d(data)), 0), percent(bk, bk + data), advice);
    return make_finding("bookkeeping_copy", severity_by(per_s, kBookkeepingHighPerS, kBookkeepingMediumPerS, 0), text,
                        {{"bookkeeping_bytes", d(bk)},
                         {"data_bytes", d(data)},
                         {"bookkeeping_share", share(bk, bk + data)},
                         {"bookkeeping_bytes_per_s", per_s}});
}

// Threads racing for one listener: a drain loop alone makes at most one
// EAGAIN accept per wakeup, so more EAGAIN than connections is threads woken
// for a connection another took.
MaybeFinding thundering_herd(const Ctx& c) {
    uint64_t k = accepting_threads(c.p);
    uint64_t eagain = c.p.accept.eagain, errors = errors_of(c.p, IOT_ACCEPT, IOT_ACCEPT4);
    uint64_t conns = c.p.accept.calls > errors ? c.p.accept.calls - errors : 0;
    double per_conn = share(eagain, std::max<uint64_t>(conns, 1));
    if (k < 2 || eagain < kMinEvents || per_conn < kHerdMinPerConn) return std::nullopt;
    std::string text = fmt::format(
        "{} threads accept on a shared listener and {} accepts returned EAGAIN for {} connections ({} per "
        "connection): threads are woken for a connection another takes — register the listener with "
        "EPOLLEXCLUSIVE, or give each thread its own listener (SO_REUSEPORT)",
        k, n(eagain), n(conns), dec(per_conn, 1));
    return make_finding("thundering_herd", severity_by(per_conn, kHerdHighPerConn, kHerdMediumPerConn, 0), text,
                        {{"accepting_threads", d(k)},
                         {"connections", d(conns)},
                         {"accept_eagain", d(eagain)},
                         {"eagain_per_connection", per_conn}});
}

}  // namespace iotrace::detail
