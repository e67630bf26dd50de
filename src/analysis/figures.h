// The counts the diagnosis reads, gathered the same way from a process and
// from one of its threads, so one set of rules names both. A thread lacks
// some figures (sends, per-call emptiness, EAGAIN accepts): they are 0, as
// docs/diagnosis.md says.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>

#include "model/snapshot.h"
#include "model/unavailable.h"

namespace iotrace {

// What the rules may weigh beside the counts: a degraded load may lack the
// readiness (fds[]) or the calls' times (src/model/unavailable.h).
struct Counted {
    bool readiness = true;  // fds[] and the readiness block
    bool call_time = true;  // waits.cpu_ns and every syscall row's time_ns
};

// What a process's unavailable figures leave countable.
inline Counted counted(const UnavailableFigures& u) {
    return {.readiness = !u.readiness, .call_time = !u.waits && !u.waits_cpu_ns && !u.any_syscall()};
}

struct Figures {
    bool per_thread = false;
    uint64_t select_waits = 0;  // select + pselect6
    uint64_t poll_waits = 0;    // poll + ppoll
    uint64_t epoll_waits = 0;   // the three epoll waits
    uint64_t wakeups = 0;       // waits that slept
    uint64_t zero_timeout = 0;  // waits asked not to block
    uint64_t zero_timeout_empty = 0;  // of those, the ones that returned 0: the futile ones
    uint64_t empty = 0;         // waits that returned 0 (process only)
    uint64_t ready = 0;         // ready events: the waits' positive returns
    uint64_t recv = 0, recv_eagain = 0, recv_blocked = 0;
    uint64_t accepts = 0, accept_eagain = 0, accept_blocked = 0;  // accept_eagain: process only
    uint64_t sends = 0, send_eagain = 0;                          // process only
    uint64_t uring_enters = 0;
    // EAGAIN receives and accepts that an edge-triggered (or any) loop owes
    // its readiness: reading until EAGAIN ends each report with one. Per fd
    // min(eagain, reported), summed (docs/diagnosis.md); a thread gets its
    // process's in proportion to its EAGAIN receives. 0 when the readiness
    // was not counted (readiness false).
    uint64_t eagain_drains = 0;
    // EAGAIN receives and accepts on fds no wait reported (fds without an
    // entry): the process's EAGAIN minus fds[].eagain; a thread's share in
    // proportion to its EAGAIN receives. 0 when the readiness was not counted.
    uint64_t unreported_eagain = 0;
    // Time off CPU in the waits, and the time it is weighed against: the
    // time in all the probed calls (both over the same calls: one in
    // progress when tracing began or ended counts in neither). A thread
    // gets its process's time asleep in proportion to its waits that slept,
    // and of the rest of the time in calls its share of the calls counted
    // per thread. calls_ns 0: not weighed (the times were not counted).
    uint64_t wait_sleep_ns = 0;
    uint64_t calls_ns = 0;
    bool readiness = true;

    uint64_t waits() const { return select_waits + poll_waits + epoll_waits; }
    uint64_t io() const { return recv + accepts + sends; }
    uint64_t io_eagain() const { return recv_eagain + accept_eagain + send_eagain; }
    // EAGAIN calls beyond what draining reported fds explains: the spinning ones.
    uint64_t futile_eagain() const { return io_eagain() - std::min(io_eagain(), eagain_drains); }
    uint64_t io_sleeps() const { return recv_blocked + accept_blocked; }
    uint64_t all() const { return waits() + io() + uring_enters; }
    // What io() holds, for n of them: "receives, accepts and sends" (a
    // thread: "receives and accepts"); for 1, "receive, accept or send".
    std::string io_words(uint64_t n) const;
};

// Without the readiness figures no EAGAIN is set aside as a drain or as
// unreported; without the calls' times no time is weighed.
Figures figures_of(const ProcessStats& p, const Counted& c = {});
Figures figures_of(const ThreadStats& t, const ProcessStats& owner, const Counted& c = {});

// Σ over fds of min(eagain, reported): the EAGAIN receives and accepts that
// end the drain of a reported fd, at most one per report.
uint64_t eagain_drains_of(const ProcessStats& p);

// EAGAIN receives and accepts on fds no wait reported: recv.eagain +
// accept.eagain - Σ fds[].eagain (at least 0).
uint64_t unreported_eagain_of(const ProcessStats& p);

// The epoll fds the trigger rule counts: those epoll reported (trigger lt,
// et or oneshot). Listening sockets and eventfd/timerfd/signalfd/epoll fds
// are set aside when connections were reported too, since servers often
// watch those level-triggered whatever they do with their connections.
struct TriggerCounts {
    uint64_t level = 0, et = 0;  // fds: level = trigger lt or oneshot (EPOLLONESHOT alone is level-triggered)
    uint64_t oneshot = 0;        // of those, EPOLLONESHOT ones, edge- or level-triggered (FdStats::oneshot)
    uint64_t reports = 0;        // their `reported`, summed
    uint64_t set_aside_listeners = 0;
    uint64_t set_aside_control = 0;
    uint64_t fds() const { return level + et; }
};

TriggerCounts epoll_triggers(const ProcessStats& p);

// A TCP socket with a local address and no peer: a listening socket.
bool is_listener(const FdStats& f);

// part / whole >= pct / 100, in integers (exact at the boundary); false when
// whole is 0.
bool at_least_pct(uint64_t part, uint64_t whole, uint64_t pct);

// part / whole, 0 when whole is 0.
double share(uint64_t part, uint64_t whole);

// x / seconds, 0 when seconds <= 0 (no duration: no rates).
double per_second(double x, double seconds);

// Sum of calls over the syscalls [first, last] (enum iot_sys).
uint64_t calls_of(const ProcessStats& p, int first, int last);
uint64_t errors_of(const ProcessStats& p, int first, int last);

}  // namespace iotrace
