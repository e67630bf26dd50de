// Every threshold the diagnosis uses, named, in one place: docs/diagnosis.md
// quotes these values, and the unit tests sit on each boundary. Shares are
// whole percents compared in integers (part * 100 >= pct * whole), so a
// boundary is exact and never depends on floating-point rounding.
#pragma once

#include <cstddef>
#include <cstdint>

namespace iotrace::thresholds {

// ---- IO model (src/analysis/model.cpp) ----

// io_uring: io_uring_enter calls are at least this share of the IO-related
// calls (waits + receives + accepts + sends + io_uring_enter).
inline constexpr uint64_t kUringPct = 50;

// Readiness-guided: the waits' ready events are at least this share of the
// IO calls. Below it the IO is not driven by waits (blocking or busy-poll).
inline constexpr uint64_t kReadyPerIoPct = 10;

// Blocking by where the process sleeps: receives + accepts that slept are at
// least kIoSleepPct of all sleeps (those + waits that slept) and at least
// kIoSleepMinPct of the receives + accepts (so a rare sleep on a kernel lock
// in a non-blocking server does not count).
inline constexpr uint64_t kIoSleepPct = 50;
inline constexpr uint64_t kIoSleepMinPct = 10;

// Busy-poll: at least kBusyPct of the calls came back with nothing to do
// (of the waits, zero-timeout waits that returned empty; of the IO calls,
// EAGAIN beyond one drain per report of the fd), at least kMinEvents of
// them, and at most kBusySleepPct of the calls slept.
inline constexpr uint64_t kBusyPct = 50;
inline constexpr uint64_t kBusySleepPct = 10;

// Sleeps in its waits: time off CPU in waits (some of which slept) is at
// least this share of the time in all the probed calls. Such a process does
// not spin, whatever its call counts say: it is never busy-poll, and its
// EAGAIN on fds no wait reported are checks between sleeps, not IO the
// waits were meant to drive (socat reads its diagnostics socketpair with
// MSG_DONTWAIT at every log call).
inline constexpr uint64_t kWaitSleepPct = 50;

// A thread without readiness of its own is fed by the process's waits when
// its receives do not sleep, some returned EAGAIN (its fds are
// non-blocking) and at least this share of those EAGAIN drained a reported
// fd: it reads what another thread's wait reported (Go's netpoller hands
// fds to whichever thread runs the goroutine).
inline constexpr uint64_t kFedDrainPct = 50;

// epoll-et / epoll-lt: at least this share of the counted epoll fds is edge-
// (level-) triggered; between the two it is epoll-mixed.
inline constexpr uint64_t kTriggerPct = 90;

// oneshot modifier: at least this share of the counted epoll fds is
// EPOLLONESHOT (level- or edge-triggered alike).
inline constexpr uint64_t kOneshotPct = 50;

// Confidence: the calls (or reports) the deciding rule saw, and the share
// of the winner at that rule.
inline constexpr uint64_t kHighSample = 100;
inline constexpr uint64_t kHighPct = 90;
inline constexpr uint64_t kMediumSample = 10;
inline constexpr uint64_t kMediumPct = 75;

// ---- Findings (src/analysis/findings*.cpp) ----

// Below this many events a finding's ratio is noise: not emitted.
inline constexpr uint64_t kMinEvents = 10;

// select_scan_cost: select/poll carry >= kScanFamilyPct of the waits, watch
// >= kScanMinWatched fds per call, and epoll would touch at most half as many
// (watched >= 2 x max(ready, 1) per call). Severity by the estimated saving.
inline constexpr uint64_t kScanFamilyPct = 90;
inline constexpr double kScanMinWatched = 16;
inline constexpr double kScanMinGain = 2;
inline constexpr double kScanHighMsPerS = 50;
inline constexpr double kScanMediumMsPerS = 10;
inline constexpr double kScanLowMsPerS = 1;

// empty_wakeups: >= kEmptyPct of waits empty and >= kEmptyMinPerS per second.
inline constexpr uint64_t kEmptyPct = 25;
inline constexpr double kEmptyMinPerS = 10;
inline constexpr double kEmptyHighPerS = 1000;
inline constexpr double kEmptyMediumPerS = 100;

// lt_rereports_unread, lt_rereports_partial, epollout_busy_loop: at least
// kMinEvents and kRereportPct of the waits; severity by the share of waits.
inline constexpr uint64_t kRereportPct = 1;
inline constexpr uint64_t kRereportHighPct = 50;
inline constexpr uint64_t kRereportMediumPct = 10;
// lt_rereports_partial is medium or high only at a rate as well: each costs
// one wait that brought nothing new, which matters per second (libuv >= 1.45
// accepts one connection per wakeup on purpose, so a burst of connections
// is a large share of a quiet loop's waits at a few dozen per second).
inline constexpr double kPartialHighPerS = 1000;
inline constexpr double kPartialMediumPerS = 100;

// busy_poll: futile calls (empty zero-timeout waits + EAGAIN beyond the
// drains) per second.
inline constexpr double kBusyHighPerS = 10000;
inline constexpr double kBusyMediumPerS = 1000;
inline constexpr double kBusyLowPerS = 10;

// blocking_switches: receives/accepts that slept, per second.
inline constexpr double kBlockMinPerS = 100;
inline constexpr double kBlockHighPerS = 10000;
inline constexpr double kBlockMediumPerS = 1000;

// et_stall_risk: any ET stall (a notification while the fd's previous one
// was not drained): each is data that sat until more arrived. Severity by
// share of the notifications.
inline constexpr uint64_t kEtMinStalls = 1;
inline constexpr uint64_t kEtHighPct = 10;
inline constexpr uint64_t kEtMediumPct = 1;
inline constexpr size_t kEtListedFds = 5;

// small_reads: >= kMinSample data reads averaging < kSmallReadBytes, with
// >= kFullReadPct of them filling the buffer (not short).
inline constexpr uint64_t kMinSample = 100;
inline constexpr double kSmallReadBytes = 1024;
inline constexpr uint64_t kFullReadPct = 50;
// ... and data left behind (partial LT re-reports + ET stalls) after
// >= kLeftBehindPct of those full reads.
inline constexpr uint64_t kLeftBehindPct = 10;
inline constexpr double kReadsHighPerS = 10000;
inline constexpr double kReadsMediumPerS = 1000;

// syscalls_per_message: probed syscalls per read that returned data.
inline constexpr double kPerMsgLow = 4;
inline constexpr double kPerMsgMedium = 6;
inline constexpr double kPerMsgHigh = 10;

// bookkeeping_copy: >= kBookkeepingMinBytes copied and >= kBookkeepingPct of
// all bytes copied; severity by bytes per second.
inline constexpr uint64_t kBookkeepingMinBytes = 64 * 1024;
inline constexpr uint64_t kBookkeepingPct = 25;
inline constexpr double kBookkeepingHighPerS = 64.0 * 1024 * 1024;
inline constexpr double kBookkeepingMediumPerS = 4.0 * 1024 * 1024;

// thundering_herd: >= 2 threads accept, >= kMinEvents EAGAIN accepts and
// EAGAIN >= 1.5 x connections taken (a drain loop alone makes <= 1 each).
inline constexpr double kHerdMinPerConn = 1.5;
inline constexpr double kHerdMediumPerConn = 2;
inline constexpr double kHerdHighPerConn = 3;

}  // namespace iotrace::thresholds
