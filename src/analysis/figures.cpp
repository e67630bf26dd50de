#include "analysis/figures.h"

namespace iotrace {

std::string Figures::io_words(uint64_t n) const {
    if (n == 1) return per_thread ? "receive or accept" : "receive, accept or send";
    return per_thread ? "receives and accepts" : "receives, accepts and sends";
}

uint64_t calls_of(const ProcessStats& p, int first, int last) {
    uint64_t n = 0;
    for (int s = first; s <= last; ++s) n += p.syscalls[static_cast<size_t>(s)].calls;
    return n;
}

uint64_t errors_of(const ProcessStats& p, int first, int last) {
    uint64_t n = 0;
    for (int s = first; s <= last; ++s) n += p.syscalls[static_cast<size_t>(s)].errors;
    return n;
}

uint64_t eagain_drains_of(const ProcessStats& p) {
    uint64_t n = 0;
    for (const FdStats& fd : p.fds) n += std::min(fd.eagain, fd.reported);
    // fds[] counts the EAGAIN of receives and accepts on reported fds: never
    // more than the process's, unless events were lost.
    return std::min(n, p.recv.eagain + p.accept.eagain);
}

uint64_t unreported_eagain_of(const ProcessStats& p) {
    uint64_t all = p.recv.eagain + p.accept.eagain, on_fds = 0;
    for (const FdStats& fd : p.fds) on_fds += fd.eagain;
    return all > on_fds ? all - on_fds : 0;
}

namespace {

// total × part / whole, part capped at whole, 0 when whole is 0: a thread's
// share of a process figure (128-bit: the product cannot wrap).
uint64_t share_of(uint64_t total, uint64_t part, uint64_t whole) {
    if (whole == 0) return 0;
    return static_cast<uint64_t>(static_cast<unsigned __int128>(total) * std::min(part, whole) / whole);
}

uint64_t wait_sleep_ns_of(const ProcessStats& p) {
    return p.waits.time_ns > p.waits.cpu_ns ? p.waits.time_ns - p.waits.cpu_ns : 0;
}

uint64_t calls_ns_of(const ProcessStats& p) {
    uint64_t ns = 0;
    for (const SyscallStats& s : p.syscalls) ns += s.time_ns;
    return ns;
}

// The calls a thread's figures count: waits, receives, accepts, io_uring_enter.
uint64_t thread_calls(const ThreadStats& t) { return t.waits + t.recv + t.accepts + t.uring_enters; }

uint64_t thread_calls(const ProcessStats& p) {
    return p.waits.calls + p.recv.calls + p.accept.calls + p.syscalls[IOT_IO_URING_ENTER].calls;
}

}  // namespace

Figures figures_of(const ProcessStats& p, const Counted& c) {
    Figures f;
    f.readiness = c.readiness;
    f.select_waits = calls_of(p, IOT_SELECT, IOT_PSELECT6);
    f.poll_waits = calls_of(p, IOT_POLL, IOT_PPOLL);
    f.epoll_waits = calls_of(p, IOT_EPOLL_WAIT, IOT_EPOLL_PWAIT2);
    f.wakeups = p.waits.wakeups;
    f.zero_timeout = p.waits.zero_timeout;
    f.zero_timeout_empty = p.waits.zero_timeout_empty;
    f.empty = p.waits.empty;
    f.ready = p.waits.ready;
    f.recv = p.recv.calls;
    f.recv_eagain = p.recv.eagain;
    f.recv_blocked = p.recv.blocked;
    f.accepts = p.accept.calls;
    f.accept_eagain = p.accept.eagain;
    f.accept_blocked = p.accept.blocked;
    f.sends = p.send.calls;
    f.send_eagain = p.send.eagain;
    f.uring_enters = p.syscalls[IOT_IO_URING_ENTER].calls;
    if (c.readiness) {
        f.eagain_drains = eagain_drains_of(p);
        f.unreported_eagain = unreported_eagain_of(p);
    }
    if (c.call_time) {
        f.wait_sleep_ns = wait_sleep_ns_of(p);
        f.calls_ns = calls_ns_of(p);
    }
    return f;
}

Figures figures_of(const ThreadStats& t, const ProcessStats& owner, const Counted& c) {
    Figures f;
    f.per_thread = true;
    f.readiness = c.readiness;
    f.select_waits = t.select_waits;
    f.poll_waits = t.poll_waits;
    f.epoll_waits = t.epoll_waits;
    f.wakeups = t.wakeups;
    f.zero_timeout = t.zero_timeout;
    f.zero_timeout_empty = t.zero_timeout_empty;
    f.ready = t.ready;
    f.recv = t.recv;
    f.recv_eagain = t.recv_eagain;
    f.recv_blocked = t.recv_blocked;
    f.accepts = t.accepts;
    f.accept_blocked = t.accept_blocked;
    f.uring_enters = t.uring_enters;
    // fds are per process: the thread's part of the drains (and of the
    // EAGAIN on unreported fds) is its part of the process's EAGAIN.
    uint64_t all = owner.recv.eagain + owner.accept.eagain;
    if (c.readiness) {
        f.eagain_drains = share_of(eagain_drains_of(owner), t.recv_eagain, all);
        f.unreported_eagain = share_of(unreported_eagain_of(owner), t.recv_eagain, all);
    }
    // Time is not counted per thread: its part of the time asleep is its
    // part of the waits that slept, its part of the rest its part of the calls.
    if (c.call_time) {
        uint64_t asleep = wait_sleep_ns_of(owner), in_calls = calls_ns_of(owner);
        f.wait_sleep_ns = share_of(asleep, t.wakeups, owner.waits.wakeups);
        f.calls_ns = f.wait_sleep_ns + share_of(in_calls - std::min(in_calls, asleep), thread_calls(t),
                                                thread_calls(owner));
    }
    return f;
}

bool is_listener(const FdStats& f) {
    return (f.kind == "tcp" || f.kind == "tcp6") && f.peer.empty() && !f.local.empty();
}

namespace {

bool is_control(const FdStats& f) {
    return f.kind == "eventfd" || f.kind == "timerfd" || f.kind == "signalfd" || f.kind == "epoll";
}

bool is_epoll(const FdStats& f) { return f.trigger == "lt" || f.trigger == "et" || f.trigger == "oneshot"; }

void count(const FdStats& f, TriggerCounts& c) {
    if (f.trigger == "et")
        ++c.et;
    else
        ++c.level;
    if (f.oneshot) ++c.oneshot;
    c.reports += f.reported;
}

}  // namespace

TriggerCounts epoll_triggers(const ProcessStats& p) {
    TriggerCounts conns, all;
    for (const FdStats& f : p.fds) {
        if (!is_epoll(f)) continue;
        count(f, all);
        if (is_listener(f))
            ++conns.set_aside_listeners;
        else if (is_control(f))
            ++conns.set_aside_control;
        else
            count(f, conns);
    }
    // Only listeners and control fds reported: they are all there is to judge.
    return conns.fds() > 0 ? conns : all;
}

bool at_least_pct(uint64_t part, uint64_t whole, uint64_t pct) {
    if (whole == 0) return false;
    // 128-bit so that part * 100 cannot wrap for any counter value.
    return static_cast<unsigned __int128>(part) * 100 >= static_cast<unsigned __int128>(pct) * whole;
}

double share(uint64_t part, uint64_t whole) {
    return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole);
}

double per_second(double x, double seconds) { return seconds > 0 ? x / seconds : 0.0; }

}  // namespace iotrace
