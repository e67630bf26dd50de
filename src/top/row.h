// One line of iotrace top: a process (or, with `H`, a thread) and its
// figures over the last interval, as rates from the difference of two
// frames' cumulative counters (rates.h), with the model and worst finding
// of its diagnosis window (diag_window.h). Plain data: the table, the batch
// text and the JSON lines all print these.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace iotrace {

// The columns, in the order the table shows them.
enum class Col : uint8_t {
    Pid,
    User,
    Command,
    Model,
    Waits,           // waits/s
    ReadyPerWait,    // ready/wait
    WatchedPerWait,  // watched/wait
    EmptyPct,        // empty %: waits that returned nothing
    Wakeups,         // wakeups/s: waits that slept and were woken
    LtRereports,     // LT re-reports/s
    EtUndrained,     // ET undrained/s
    Recv,            // recv/s: receive calls
    RecvMB,          // recv MB/s (10^6 bytes)
    EagainPct,       // EAGAIN %: receive calls that returned EAGAIN
    CpuPct,          // on-CPU % in waits: waits.cpu_ns / waits.time_ns
    Worst,           // the worst finding's id
    Count
};
inline constexpr size_t kColCount = static_cast<size_t>(Col::Count);

// A figure of a row: a value, "-" (not defined: no waits to divide by, or a
// figure a thread does not have) or "n/a" (the kernel side could not count
// it here, docs/json.md "Unavailable figures").
struct Figure {
    enum Kind : uint8_t { None, Value, Unavailable };
    Kind kind = None;
    double v = 0;
    static Figure of(double x) { return {Value, x}; }
    static Figure na() { return {Unavailable, 0}; }
};

// The counts behind the figures, over the interval (exact integers: the
// JSON lines carry them so that sums over lines are exact). nullopt where
// the figure is "-" or "n/a" for lack of a counter.
struct IntervalCounts {
    std::optional<uint64_t> waits, ready, watched, empty, wakeups;
    std::optional<uint64_t> lt_rereports, et_undrained;
    std::optional<uint64_t> recv, recv_bytes, recv_eagain;
    std::optional<uint64_t> wait_ns, wait_cpu_ns;
};

struct Row {
    int pid = 0;
    int tid = 0;  // thread rows: the thread; process rows: 0
    int uid = -1;
    std::string user;        // name of uid, or the number; "" when uid is -1
    std::string comm;        // the process's (thread rows: the thread's)
    std::string model;       // model_label(), "" before a diagnosis
    std::string confidence;  // high, medium, low
    std::string worst;       // the worst finding's id, "" when none
    bool exited = false;     // exited (a thread row: its process exited)
    bool first = false;      // not in the previous frame: figures over its counters since it appeared
    int gone_for = 0;        // refreshes since it exited (0: in the last frame); lingering rows > 0
    double interval_s = 0;   // what the rates divide by
    std::array<Figure, kColCount> fig{};  // the numeric columns (Waits .. CpuPct); others None
    IntervalCounts counts;

    bool is_thread() const { return tid != 0; }
    const Figure& operator[](Col c) const { return fig[static_cast<size_t>(c)]; }
    Figure& operator[](Col c) { return fig[static_cast<size_t>(c)]; }
};

}  // namespace iotrace
