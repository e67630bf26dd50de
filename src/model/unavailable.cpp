#include "model/unavailable.h"

#include "model/syscalls.h"

namespace iotrace {
namespace {

// The counting parts: every syscall row is owned by one (syscalls_of).
constexpr Part kCountParts[] = {Part::SelectCounts, Part::PollCounts, Part::EpollWaitCounts, Part::EpollCtl,
                                Part::Recv,         Part::Send,       Part::Other};

// A wait family: the part that counts its rows and the part that walks
// their results for the readiness figures.
struct WaitFamily {
    Part counts, readiness;
};

constexpr WaitFamily kWaitFamilies[] = {
    {Part::SelectCounts, Part::SelectReadiness},
    {Part::PollCounts, Part::PollReadiness},
    {Part::EpollWaitCounts, Part::EpollReadiness},
};

uint64_t calls_in(const ProcessStats& p, Part counts) {
    uint64_t n = 0;
    for (int s : syscalls_of(counts)) n += p.syscalls[static_cast<size_t>(s)].calls;
    return n;
}

// Whether p made waits of family w, as far as anyone can tell: when the
// family was not counted it may have, and the answer must be "yes".
bool may_have_waited(const ProcessStats& p, const Availability& a, const WaitFamily& w) {
    return !a.has(w.counts) || calls_in(p, w.counts) > 0;
}

}  // namespace

bool UnavailableFigures::any_syscall() const {
    for (bool b : syscalls)
        if (b) return true;
    return false;
}

bool UnavailableFigures::any() const {
    return any_syscall() || waits || waits_cpu_ns || waits_watched || recv || send || accept || copy_any() ||
           readiness || thread_waits || thread_recv || thread_accepts || thread_uring;
}

std::vector<std::string> UnavailableFigures::names() const {
    std::vector<std::string> out;
    for (int s = 0; s < IOT_NR_SYS; ++s)
        if (syscalls[static_cast<size_t>(s)]) out.push_back("syscalls." + std::string(syscall_info(s).name));
    if (waits) {
        out.push_back("waits");
    } else {  // in the order of the waits object's keys
        if (waits_watched) out.push_back("waits.watched");
        if (waits_cpu_ns) out.push_back("waits.cpu_ns");
    }
    if (recv) out.push_back("recv");
    if (send) out.push_back("send");
    if (accept) out.push_back("accept");
    if (copy_wait_in) out.push_back("copy.wait_in_bytes");
    if (copy_wait_out) out.push_back("copy.wait_out_bytes");
    if (copy_recv) out.push_back("copy.recv_bytes");
    if (copy_send) out.push_back("copy.send_bytes");
    if (readiness) {
        out.push_back("readiness");
        out.push_back("fds");
    }
    if (thread_waits) out.push_back("threads.waits");
    if (thread_recv) out.push_back("threads.recv");
    if (thread_accepts) out.push_back("threads.accepts");
    if (thread_uring) out.push_back("threads.uring_enters");
    return out;
}

UnavailableFigures unavailable_figures(const ProcessStats& p, const Availability& a) {
    UnavailableFigures u;
    if (a.complete()) return u;
    for (Part part : kCountParts)
        if (!a.has(part))
            for (int s : syscalls_of(part)) u.syscalls[static_cast<size_t>(s)] = true;

    // waits.* are sums over all seven waits: one family missing spoils them.
    bool may_have_waited_at_all = false;
    for (const WaitFamily& w : kWaitFamilies) {
        u.waits |= !a.has(w.counts);
        may_have_waited_at_all |= may_have_waited(p, a, w);
    }
    u.waits_cpu_ns = u.waits || !a.has(Part::WaitCpuTime);
    // Only epoll's share of watched comes from eventpoll.refcount.
    u.waits_watched = u.waits || (!a.has(Part::EpollWatched) && may_have_waited(p, a, kWaitFamilies[2]));
    u.recv = !a.has(Part::Recv);
    u.send = !a.has(Part::Send);
    u.accept = !a.has(Part::Other);
    u.copy_wait_in = u.waits || !a.has(Part::EpollCtl);  // epoll_ctl copies its event in
    u.copy_wait_out = u.waits;
    u.copy_recv = u.recv;
    u.copy_send = u.send;

    // The readiness figures need the results of every wait the process made
    // walked, and the reads, writes, registrations, accepts and closes in
    // between seen (docs/readiness.md); a process that made no wait has none
    // to get wrong.
    for (const WaitFamily& w : kWaitFamilies)
        u.readiness |= !a.has(w.readiness) && may_have_waited(p, a, w);
    bool calls_between_missing =
        !a.has(Part::Recv) || !a.has(Part::Send) || !a.has(Part::EpollCtl) || !a.has(Part::Other);
    u.readiness |= calls_between_missing && may_have_waited_at_all;

    u.thread_waits = u.waits;
    u.thread_recv = u.recv;
    u.thread_accepts = !a.has(Part::Other);
    u.thread_uring = !a.has(Part::Other);
    return u;
}

std::string part_label(Part p) {
    switch (p) {
    case Part::SelectCounts: return "select counts";
    case Part::PollCounts: return "poll counts";
    case Part::EpollWaitCounts: return "epoll_wait counts";
    case Part::EpollCtl: return "epoll_ctl counts";
    case Part::Recv: return "receive counts";
    case Part::Send: return "send counts";
    case Part::Other: return "accept, close and io_uring_enter counts";
    case Part::SelectReadiness: return "select readiness";
    case Part::PollReadiness: return "poll readiness";
    case Part::EpollReadiness: return "epoll readiness";
    case Part::WaitCpuTime: return "on-CPU time in waits";
    case Part::EpollWatched: return "epoll interest-list sizes";
    case Part::Follow: return "following forks";
    }
    return part_name(p);
}

std::vector<std::string> missing_part_lines(const Availability& a) {
    std::vector<std::string> out;
    for (const auto& [part, why] : a.missing) out.push_back(part_label(part) + " unavailable: " + why);
    return out;
}

}  // namespace iotrace
