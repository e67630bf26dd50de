#include "analysis/model.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "analysis/figures.h"
#include "analysis/thresholds.h"
#include "report/format.h"

namespace iotrace {
namespace {

using namespace thresholds;

enum Level { kLow, kMedium, kHigh };

// How sure a rule is: enough calls seen (n) and a clear winner (part/whole).
Level level(uint64_t n, uint64_t part, uint64_t whole) {
    if (n >= kHighSample && at_least_pct(part, whole, kHighPct)) return kHigh;
    if (n >= kMediumSample && at_least_pct(part, whole, kMediumPct)) return kMedium;
    return kLow;
}

// a - b, never below 0: the figures come from separate counters, and a
// confidence must not wrap around when one lags another.
uint64_t minus(uint64_t a, uint64_t b) { return a > b ? a - b : 0; }

bool at_most_pct(uint64_t part, uint64_t whole, uint64_t pct) {
    return whole > 0 && static_cast<unsigned __int128>(part) * 100 <= static_cast<unsigned __int128>(pct) * whole;
}

// A model in the making: the confidence only ever goes down, to the least
// sure of the rules that led to it.
struct Verdict {
    Model m;
    Level conf = kHigh;

    explicit Verdict(std::string name) { m.name = std::move(name); }
    void cap(Level l) { conf = std::min(conf, l); }
    void say(std::string e) { m.evidence.push_back(std::move(e)); }
    Model done() {
        static const char* const kNames[] = {"low", "medium", "high"};
        m.confidence = kNames[conf];
        return std::move(m);
    }
};

std::string n(uint64_t v) { return group_digits(v); }
std::string pct(uint64_t part, uint64_t whole) { return percent(part, whole, 1); }
std::string plural(uint64_t v, const char* one, const char* many) { return n(v) + " " + (v == 1 ? one : many); }

// ---- blocking and busy-poll without readiness ----

// Most of the sleeping happens inside receives and accepts (not waits), and
// often enough that it is not the odd kernel-lock sleep of a non-blocking call.
bool sleeps_in_io(const Figures& f) {
    uint64_t s = f.io_sleeps();
    return s > 0 && at_least_pct(s, s + f.wakeups, kIoSleepPct) && at_least_pct(s, f.recv + f.accepts, kIoSleepMinPct);
}

// Asleep in its waits for most of its time in the probed calls: whatever
// its counts, it does not spin. Waits that never slept (wakeups 0) were
// switched out only by preemption, which is no sleep.
bool sleeps_in_waits(const Figures& f) {
    return f.wakeups > 0 && at_least_pct(f.wait_sleep_ns, f.calls_ns, kWaitSleepPct);
}

// EAGAIN on fds no wait reported, made between long sleeps in waits: checks
// (socat's per-log-call recvfrom(MSG_DONTWAIT) on its own socketpair), not
// IO the waits were meant to drive. Left out of the IO calls rule 3 weighs.
uint64_t checks_set_aside(const Figures& f) {
    return sleeps_in_waits(f) ? std::min(f.unreported_eagain, f.io_eagain()) : 0;
}

// The IO calls that readiness should drive.
uint64_t driven_io(const Figures& f) { return f.io() - checks_set_aside(f); }

// Enough readiness to drive the IO calls made.
bool readiness_seen(const Figures& f) { return at_least_pct(f.ready, driven_io(f), kReadyPerIoPct); }

// A thread with too little readiness of its own whose receives do not sleep
// and whose EAGAIN mostly drained reported fds: it reads fds the process's
// waits (another thread's, as Go's netpoller hands them) reported. It is
// part of the event loop, not blocking IO.
bool fed_by_waits(const Figures& f) {
    return f.per_thread && !readiness_seen(f) && !sleeps_in_io(f) && f.recv_eagain > 0 &&
           at_least_pct(f.eagain_drains, f.recv_eagain, kFedDrainPct);
}

// The IO is not driven by readiness: too little readiness for the IO calls
// made (a thread fed by the process's waits has the process's), or the
// process sleeps in its reads rather than in its waits.
bool io_driven(const Figures& f) {
    return driven_io(f) > 0 && (!readiness_seen(f) || sleeps_in_io(f)) && !fed_by_waits(f);
}

// "no waits" or "40 ready events from 12 waits", for 1,000 receives, ...
std::string readiness_line(const Figures& f) {
    std::string io = fmt::format("{} {}", n(f.io()), f.io_words(f.io()));
    if (f.waits() == 0) return "no waits for " + io;
    return fmt::format("{} ready events from {} for {}", n(f.ready), plural(f.waits(), "wait", "waits"), io);
}

// "62.1%": the time asleep in waits, of the time in the probed calls.
std::string sleep_share(const Figures& f) { return pct(f.wait_sleep_ns, f.calls_ns); }

Model busy_by_eagain(const Figures& f) {
    Verdict v("busy-poll");
    uint64_t calls = f.io() + f.waits(), sleeps = f.io_sleeps() + f.wakeups;
    v.say(fmt::format("{} of {} {} returned EAGAIN ({})", n(f.io_eagain()), n(f.io()), f.io_words(f.io()),
                      pct(f.io_eagain(), f.io())));
    if (f.eagain_drains > 0)  // the rule counts only the rest
        v.say(fmt::format("{} of them drained a reported fd: {} futile ({})", n(f.eagain_drains),
                          n(f.futile_eagain()), pct(f.futile_eagain(), f.io())));
    v.say(fmt::format("{} of {} calls slept ({})", n(sleeps), n(calls), pct(sleeps, calls)));
    v.say(readiness_line(f));
    if (f.zero_timeout > 0)  // spinning on both: worth saying
        v.say(fmt::format("{} of {} waits had a zero timeout ({}), {} of them came back empty", n(f.zero_timeout),
                          n(f.waits()), pct(f.zero_timeout, f.waits()), n(f.zero_timeout_empty)));
    v.cap(level(f.io(), f.futile_eagain(), f.io()));
    v.cap(level(calls, minus(calls, sleeps), calls));
    return v.done();
}

Model blocking(const Figures& f) {
    Verdict v("blocking");
    uint64_t s = f.io_sleeps(), ra = f.recv + f.accepts;
    if (ra > 0) v.say(fmt::format("{} of {} receives and accepts slept ({})", n(s), n(ra), pct(s, ra)));
    if (f.waits() > 0) v.say(fmt::format("{} of {} waits slept", n(f.wakeups), n(f.waits())));
    v.say(readiness_line(f));
    v.say(fmt::format("{} EAGAIN ({})", n(f.io_eagain()), pct(f.io_eagain(), f.io())));
    // The better of the two reasons it qualified (few ready events: io of
    // io + ready; sleeps in IO: their share of all sleeps), then "not busy".
    Level why = level(f.io(), f.io(), f.io() + f.ready);
    if (sleeps_in_io(f)) why = std::max(why, level(f.io(), s, s + f.wakeups));
    v.cap(why);
    v.cap(level(f.io(), minus(f.io(), f.futile_eagain()), f.io()));
    if (s == 0) {
        v.say("no receive or accept slept: blocking inferred from the missing readiness and EAGAIN");
        v.cap(kMedium);
    }
    return v.done();
}

Model io_model(const Figures& f) {
    uint64_t calls = f.io() + f.waits();
    // a handful of futile calls is no evidence of spinning (kMinEvents)
    bool busy = !sleeps_in_io(f) && !sleeps_in_waits(f) && f.futile_eagain() >= kMinEvents &&
                at_least_pct(f.futile_eagain(), f.io(), kBusyPct) &&
                at_most_pct(f.io_sleeps() + f.wakeups, calls, kBusySleepPct);
    return busy ? busy_by_eagain(f) : blocking(f);
}

// ---- readiness waits ----

// Zero-timeout waits that came back empty make most of the waits, and the
// waits do not sleep otherwise. A loaded event loop (libuv, asyncio, Go's
// netpoller) polls with timeout 0 while work is pending and mostly gets
// events back: that is work, not spinning. A handful of empty waits is no
// evidence either: a Go thread that ran one netpoller check (timeout 0,
// empty) and otherwise only read was called busy-poll on that one wait.
bool zero_timeout_busy(const Figures& f) {
    return f.zero_timeout_empty >= kMinEvents && at_least_pct(f.zero_timeout_empty, f.waits(), kBusyPct) &&
           at_most_pct(f.wakeups, f.waits(), kBusySleepPct) && !sleeps_in_waits(f);
}

Model busy_by_zero_timeout(const Figures& f) {
    Verdict v("busy-poll");
    uint64_t w = f.waits();
    v.say(fmt::format("{} of {} waits had a zero timeout ({})", n(f.zero_timeout), n(w), pct(f.zero_timeout, w)));
    v.say(fmt::format("{} of {} zero-timeout waits came back empty ({} of the waits)", n(f.zero_timeout_empty),
                      n(f.zero_timeout), pct(f.zero_timeout_empty, w)));
    v.say(fmt::format("{} of {} waits slept ({})", n(f.wakeups), n(w), pct(f.wakeups, w)));
    v.cap(level(w, f.zero_timeout_empty, w));
    v.cap(level(w, minus(w, f.wakeups), w));
    return v.done();
}

struct Family {
    const char* name;
    uint64_t calls;
};

// "4,812 waits, 80.0% epoll (15.0% poll, 5.0% select)"; ties go to epoll,
// then poll (the order below, with a stable sort).
std::string waits_line(const Figures& f, std::vector<Family>& fams) {
    std::stable_sort(fams.begin(), fams.end(), [](const Family& a, const Family& b) { return a.calls > b.calls; });
    std::string others;
    for (size_t i = 1; i < fams.size(); ++i) {
        if (fams[i].calls == 0) continue;
        others += (others.empty() ? "" : ", ") + pct(fams[i].calls, f.waits()) + " " + fams[i].name;
    }
    return fmt::format("{}, {} {}{}", plural(f.waits(), "wait", "waits"), pct(fams[0].calls, f.waits()), fams[0].name,
                       others.empty() ? "" : " (" + others + ")");
}

void trigger_verdict(Verdict& v, const TriggerCounts& t, const char* scope) {
    if (t.fds() == 0) {
        v.m.name = "epoll";
        v.say(fmt::format("no fd reported by epoll{}: edge or level triggering unknown", scope));
        v.cap(kLow);
        return;
    }
    std::string head = fmt::format("{} reported{}, ", plural(t.fds(), "epoll fd", "epoll fds"), scope);
    if (at_least_pct(t.et, t.fds(), kTriggerPct)) {
        v.m.name = "epoll-et";
        v.say(head + pct(t.et, t.fds()) + " edge-triggered");
        v.cap(level(t.reports, t.et, t.fds()));
    } else if (at_least_pct(t.level, t.fds(), kTriggerPct)) {
        v.m.name = "epoll-lt";
        v.say(head + pct(t.level, t.fds()) + " level-triggered");
        v.cap(level(t.reports, t.level, t.fds()));
    } else {
        v.m.name = "epoll-mixed";
        v.say(head + pct(t.et, t.fds()) + " edge-triggered, " + pct(t.level, t.fds()) + " level-triggered");
        // How evenly mixed: 50/50 is certain, 89/11 nearly one kind.
        v.cap(level(t.reports, 2 * std::min(t.et, t.level), t.fds()));
    }
    std::string aside;
    if (t.set_aside_listeners > 0) aside = plural(t.set_aside_listeners, "listening socket", "listening sockets");
    if (t.set_aside_control > 0)
        aside += (aside.empty() ? "" : ", ") +
                 plural(t.set_aside_control, "eventfd/timerfd/signalfd/epoll fd", "eventfd/timerfd/signalfd/epoll fds");
    if (!aside.empty()) v.say("not counted: " + aside);
    if (at_least_pct(t.oneshot, t.fds(), kOneshotPct)) {
        v.m.modifier = "oneshot";
        v.say(fmt::format("{} of {} EPOLLONESHOT ({})", n(t.oneshot), n(t.fds()), pct(t.oneshot, t.fds())));
    }
}

// What a wait model adds when setting checks aside decided rule 3 (with
// them counted the readiness was too little), or when the IO came from
// other threads' readiness.
void io_lines(Verdict& v, const Figures& f) {
    if (uint64_t checks = checks_set_aside(f); checks > 0 && !at_least_pct(f.ready, f.io(), kReadyPerIoPct))
        v.say(fmt::format("{} EAGAIN {} on fds no wait reported, between waits asleep {} of the time in the probed "
                          "calls: checks between sleeps, not counted as IO",
                          n(checks), f.per_thread ? "receives" : "receives and accepts", sleep_share(f)));
    if (fed_by_waits(f)) {
        v.say(fmt::format("{} {} ({} ready events of its own) read fds the process's waits reported: {} EAGAIN, {} "
                          "of them drained a reported fd",
                          n(f.io()), f.io_words(f.io()), n(f.ready), n(f.recv_eagain), n(f.eagain_drains)));
        v.cap(level(f.io(), f.eagain_drains, f.recv_eagain));
    }
}

// The family with most waits names the model. A thread fed by the
// process's waits with none of its own is named by the process's waits.
Model wait_model(const Figures& own, const Figures& owner, const TriggerCounts& t) {
    const Figures& f = own.waits() > 0 ? own : owner;  // whose waits name the family
    std::vector<Family> fams = {{"epoll", f.epoll_waits}, {"poll", f.poll_waits}, {"select", f.select_waits}};
    std::string line = waits_line(f, fams);
    Verdict v(fams[0].name);
    v.say(&f == &own ? line : "no waits of its own; the process's: " + line);
    v.cap(level(f.waits(), fams[0].calls, f.waits()));
    io_lines(v, own);
    if (v.m.name == "epoll") trigger_verdict(v, t, own.per_thread ? " (process-wide)" : "");
    return v.done();
}

// ---- the rules, in order ----

// owner: the process's figures (for a process, its own).
Model classify_figures(const Figures& f, const Figures& owner, const TriggerCounts& t) {
    if (f.all() == 0) {
        Verdict v("idle");
        v.say("no wait, receive, accept, send or io_uring_enter call observed");
        return v.done();
    }
    if (f.uring_enters > 0 && at_least_pct(f.uring_enters, f.all(), kUringPct)) {
        Verdict v("io_uring");
        v.say(fmt::format("{} io_uring_enter calls vs {} and {} {} ({} io_uring_enter)", n(f.uring_enters),
                          plural(f.waits(), "wait", "waits"), n(f.io()), f.io_words(f.io()),
                          pct(f.uring_enters, f.all())));
        v.cap(level(f.uring_enters, f.uring_enters, f.all()));
        return v.done();
    }
    if (io_driven(f)) return io_model(f);
    if (zero_timeout_busy(f)) return busy_by_zero_timeout(f);
    if (f.io() == 0 && f.uring_enters == 0 && f.ready == 0) {
        Verdict v("idle");
        v.say(fmt::format(
            "{}, none reported a ready fd; no {} call", plural(f.waits(), "wait", "waits"),
            f.per_thread ? "receive, accept or io_uring_enter" : "receive, accept, send or io_uring_enter"));
        v.cap(level(f.waits(), 1, 1));
        return v.done();
    }
    return wait_model(f, owner, t);
}

}  // namespace

Model classify(const ProcessStats& p, const Counted& c) {
    Figures f = figures_of(p, c);
    return classify_figures(f, f, epoll_triggers(p));
}

Model classify_thread(const ThreadStats& t, const ProcessStats& owner, const Counted& c) {
    return classify_figures(figures_of(t, owner, c), figures_of(owner, c), epoll_triggers(owner));
}

}  // namespace iotrace
