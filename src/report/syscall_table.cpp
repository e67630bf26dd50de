#include "syscall_table.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "model/syscalls.h"
#include "report/format.h"

namespace iotrace {
namespace {

constexpr size_t kCols = 7;
using Cells = std::array<std::string, kCols>;

// strace -c's minimum widths; a column widens when a cell needs it (strace's
// fixed widths would otherwise shift every later column).
constexpr std::array<size_t, kCols> kMinWidth = {6, 11, 11, 9, 9, 9, 16};
const Cells kHeader = {"% time", "seconds", "usecs/call", "calls", "errors", "eagain", "syscall"};

struct Row {
    std::string_view name;
    uint64_t calls, errors, eagain, time_ns;
    bool unavailable = false;
};

// strace prints an empty errors cell rather than 0, so the eye finds the
// syscalls that failed; eagain follows suit.
std::string blank_if_zero(uint64_t v) { return v == 0 ? "" : std::to_string(v); }

// total_known: false when some row is unavailable, so neither the total nor
// any share of it is known.
Cells cells(const Row& r, uint64_t total_ns, bool is_total, bool total_known) {
    if (r.unavailable || (is_total && !total_known))
        return {"n/a", "n/a", "n/a", "n/a", "n/a", "n/a", std::string(r.name)};
    std::string pct;
    if (!total_known)
        pct = "n/a";
    else if (total_ns == 0)
        pct = "-";  // no time at all: a share of nothing is undefined
    else if (is_total)
        pct = "100.00";
    else
        pct = fmt::format("{:.2f}", 100.0 * static_cast<double>(r.time_ns) / static_cast<double>(total_ns));
    // Truncated like strace's; rows always have calls > 0.
    uint64_t usecs = r.calls == 0 ? 0 : r.time_ns / r.calls / 1000;
    return {pct,
            seconds_6(r.time_ns),
            std::to_string(usecs),
            std::to_string(r.calls),
            blank_if_zero(r.errors),
            blank_if_zero(r.eagain),
            std::string(r.name)};
}

std::string line(const Cells& c, const std::array<size_t, kCols>& w) {
    std::string out;
    for (size_t i = 0; i + 1 < kCols; ++i) out += fmt::format("{:>{}} ", c[i], w[i]);
    out += c[kCols - 1];  // the name is left as is, no trailing padding
    return out + "\n";
}

std::string dashes(const std::array<size_t, kCols>& w) {
    std::string out;
    for (size_t i = 0; i < kCols; ++i) out += std::string(w[i], '-') + (i + 1 < kCols ? " " : "\n");
    return out;
}

}  // namespace

std::string render_syscall_table(const ProcessStats& p, const UnavailableFigures& u) {
    std::vector<Row> rows, unavailable;
    Row total{"total", 0, 0, 0, 0};
    for (int s = 0; s < IOT_NR_SYS; ++s) {
        const SyscallStats& st = p.syscalls[static_cast<size_t>(s)];
        if (u.syscalls[static_cast<size_t>(s)]) {
            unavailable.push_back({syscall_info(s).name, 0, 0, 0, 0, true});
            continue;
        }
        if (st.calls == 0) continue;
        rows.push_back({syscall_info(s).name, st.calls, st.errors, st.eagain, st.time_ns});
        total.calls += st.calls;
        total.errors += st.errors;
        total.eagain += st.eagain;
        total.time_ns += st.time_ns;
    }
    if (rows.empty() && unavailable.empty()) return "";

    std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
        if (a.time_ns != b.time_ns) return a.time_ns > b.time_ns;
        if (a.calls != b.calls) return a.calls > b.calls;
        return a.name < b.name;
    });

    rows.insert(rows.end(), unavailable.begin(), unavailable.end());  // enum order, after the counted ones
    bool total_known = unavailable.empty();
    std::vector<Cells> body;
    for (const Row& r : rows) body.push_back(cells(r, total.time_ns, false, total_known));
    Cells foot = cells(total, total.time_ns, true, total_known);

    std::array<size_t, kCols> w = kMinWidth;
    auto widen = [&w](const Cells& c) {
        for (size_t i = 0; i < kCols; ++i) w[i] = std::max(w[i], c[i].size());
    };
    for (const Cells& c : body) widen(c);
    widen(foot);

    std::string out = line(kHeader, w) + dashes(w);
    for (const Cells& c : body) out += line(c, w);
    return out + dashes(w) + line(foot, w);
}

}  // namespace iotrace
