#include "top/delta.h"

#include <algorithm>
#include <initializer_list>
#include <map>

namespace iotrace {
namespace {

// The counters of each kind of entry, as member pointers: one list serves
// the subtraction and the "did anything" test.
template <class T>
using Counters = std::initializer_list<uint64_t T::*>;

const Counters<WaitStats> kWaitCounters = {&WaitStats::calls,   &WaitStats::empty,        &WaitStats::ready,
                                           &WaitStats::watched, &WaitStats::scanned,      &WaitStats::time_ns,
                                           &WaitStats::wakeups, &WaitStats::cpu_ns,       &WaitStats::zero_timeout,
                                           &WaitStats::zero_timeout_empty};
const Counters<RecvStats> kRecvCounters = {&RecvStats::calls, &RecvStats::bytes,       &RecvStats::eagain,
                                           &RecvStats::eof,   &RecvStats::short_reads, &RecvStats::blocked};
const Counters<SendStats> kSendCounters = {&SendStats::calls, &SendStats::bytes, &SendStats::eagain};
const Counters<AcceptStats> kAcceptCounters = {&AcceptStats::calls, &AcceptStats::eagain, &AcceptStats::blocked};
const Counters<CopyStats> kCopyCounters = {&CopyStats::wait_in_bytes, &CopyStats::wait_out_bytes,
                                           &CopyStats::recv_bytes, &CopyStats::send_bytes};
const Counters<ReadinessStats> kReadinessCounters = {
    &ReadinessStats::lt_rereports,     &ReadinessStats::lt_rereports_unread, &ReadinessStats::lt_rereports_partial,
    &ReadinessStats::write_rereports_unwritten, &ReadinessStats::et_notifications, &ReadinessStats::et_undrained,
    &ReadinessStats::herd_rereports,   &ReadinessStats::et_stalls};
const Counters<FdStats> kFdCounters = {
    &FdStats::reported,        &FdStats::reads,           &FdStats::bytes,          &FdStats::eagain,
    &FdStats::drains,          &FdStats::writes,          &FdStats::lt_rereports,   &FdStats::lt_rereports_unread,
    &FdStats::lt_rereports_partial, &FdStats::write_rereports, &FdStats::et_notifications, &FdStats::et_undrained,
    &FdStats::herd_rereports,  &FdStats::et_stalls};
const Counters<ThreadStats> kThreadCounters = {
    &ThreadStats::waits,        &ThreadStats::wakeups,      &ThreadStats::recv,         &ThreadStats::select_waits,
    &ThreadStats::poll_waits,   &ThreadStats::epoll_waits,  &ThreadStats::zero_timeout, &ThreadStats::zero_timeout_empty,
    &ThreadStats::recv_eagain,  &ThreadStats::recv_blocked, &ThreadStats::accepts,      &ThreadStats::accept_blocked,
    &ThreadStats::uring_enters, &ThreadStats::ready};

// A counter's growth from b to a; a counter that went down was reset (its
// entry reused) and counts from 0.
void sub(uint64_t& a, uint64_t b) { a = a >= b ? a - b : a; }

template <class T>
void sub(T& a, const T& b, Counters<T> counters) {
    for (auto m : counters) sub(a.*m, b.*m);
}

template <class T>
bool active(const T& x, Counters<T> counters) {
    return std::any_of(counters.begin(), counters.end(), [&](auto m) { return x.*m != 0; });
}

void sub(SyscallStats& a, const SyscallStats& b) {
    sub(a, b, {&SyscallStats::calls, &SyscallStats::errors, &SyscallStats::eagain, &SyscallStats::time_ns});
    for (size_t i = 0; i < a.hist_log2_ns.size(); ++i) sub(a.hist_log2_ns[i], b.hist_log2_ns[i]);
}

uint64_t total_calls(const ProcessStats& p) {
    uint64_t n = 0;
    for (const SyscallStats& s : p.syscalls) n += s.calls;
    return n;
}

// cur's entries minus base's of the same key (whole when base has none),
// the ones that did nothing left out.
template <class T, class Key, class Diff>
std::vector<T> entries_delta(const std::vector<T>& cur, const std::vector<T>& base, Key key, Diff diff,
                             Counters<T> counters) {
    std::map<int, const T*> before;
    for (const T& x : base) before[key(x)] = &x;
    std::vector<T> out;
    for (const T& x : cur) {
        auto it = before.find(key(x));
        T d = it == before.end() ? x : diff(x, *it->second);
        if (active(d, counters)) out.push_back(std::move(d));
    }
    return out;
}

}  // namespace

ThreadStats counter_delta(const ThreadStats& cur, const ThreadStats& base) {
    ThreadStats d = cur;
    sub(d, base, kThreadCounters);
    d.diagnosis = {};
    return d;
}

bool continues(const ProcessStats& cur, const ProcessStats& base) {
    if (total_calls(cur) < total_calls(base)) return false;
    for (size_t s = 0; s < cur.syscalls.size(); ++s)
        if (cur.syscalls[s].calls < base.syscalls[s].calls) return false;
    return true;
}

ProcessStats counter_delta(const ProcessStats& cur, const ProcessStats& base) {
    ProcessStats d = cur;
    d.diagnosis = {};
    for (ThreadStats& t : d.threads) t.diagnosis = {};
    if (!continues(cur, base)) return d;
    for (size_t s = 0; s < d.syscalls.size(); ++s) sub(d.syscalls[s], base.syscalls[s]);
    sub(d.waits, base.waits, kWaitCounters);
    sub(d.recv, base.recv, kRecvCounters);
    sub(d.send, base.send, kSendCounters);
    sub(d.accept, base.accept, kAcceptCounters);
    sub(d.copy, base.copy, kCopyCounters);
    sub(d.readiness, base.readiness, kReadinessCounters);
    d.fds = entries_delta(
        cur.fds, base.fds, [](const FdStats& f) { return f.fd; },
        [](const FdStats& a, const FdStats& b) {
            FdStats x = a;
            sub(x, b, kFdCounters);
            return x;
        },
        kFdCounters);
    d.threads = entries_delta(
        cur.threads, base.threads, [](const ThreadStats& t) { return t.tid; },
        [](const ThreadStats& a, const ThreadStats& b) { return counter_delta(a, b); }, kThreadCounters);
    return d;
}

}  // namespace iotrace
