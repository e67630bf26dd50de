// Shared by the findings' translation units; not part of the interface.
#pragma once

#include <optional>
#include <string>

#include "analysis/figures.h"
#include "model/diagnosis.h"
#include "model/snapshot.h"

namespace iotrace::detail {

// What every finding rule reads: the process, its figures, its model and
// the traced duration.
struct Ctx {
    const ProcessStats& p;
    Figures f;
    Model model;
    double seconds;

    double rate(double x) const { return per_second(x, seconds); }
    // The wait family carrying most waits, by name: "epoll", "poll", "select".
    std::string main_family() const;
};

using MaybeFinding = std::optional<Finding>;
using Figs = std::vector<std::pair<std::string, double>>;

// "high" when v >= high, "medium" when >= medium, "low" when >= low, else "info".
const char* severity_by(double v, double high, double medium, double low);

Finding make_finding(const char* id, const char* severity, std::string text, Figs figures);

// What busy_poll counts as futile, in words: "12 of 40 zero-timeout waits
// came back empty"; "5 of 90 EAGAIN receives beyond the 85 that drained a
// reported fd" (or, readiness not counted, all of them).
std::string zero_timeout_words(const Figures& f);
std::string eagain_words(const Figures& f, const char* calls);

// The fd with the largest value of member (ties: the lower fd); nullptr when
// every fd has 0.
const FdStats* worst_fd(const ProcessStats& p, uint64_t FdStats::*member);

// findings_waits.cpp
MaybeFinding select_scan_cost(const Ctx& c);
MaybeFinding empty_wakeups(const Ctx& c);
MaybeFinding lt_rereports_unread(const Ctx& c);
MaybeFinding lt_rereports_partial(const Ctx& c);
MaybeFinding shared_epoll_herd(const Ctx& c);
MaybeFinding epollout_busy_loop(const Ctx& c);
MaybeFinding et_stall_risk(const Ctx& c);

// findings_io.cpp
MaybeFinding busy_poll(const Ctx& c);
MaybeFinding blocking_switches(const Ctx& c);
MaybeFinding small_reads(const Ctx& c);
MaybeFinding syscalls_per_message(const Ctx& c);
MaybeFinding bookkeeping_copy(const Ctx& c);
MaybeFinding thundering_herd(const Ctx& c);

// Reads that returned data: calls minus EAGAIN and end-of-file.
uint64_t data_reads(const ProcessStats& p);

// Threads that made at least one accept.
uint64_t accepting_threads(const ProcessStats& p);

}  // namespace iotrace::detail
