#include "top/columns.h"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

namespace iotrace {
namespace {

const std::vector<ColumnInfo> kColumns = {
    {Col::Pid, "PID", "", "process id (a thread's id with H)", 7, 7, 0, true},
    {Col::User, "USER", "", "the process's user (real uid)", 9, 9, 8, false},
    {Col::Command, "COMMAND", "", "command (comm); \"(exited)\" or \"(x)\" while an exited process lingers", 24, 10, 0, false},
    {Col::Model, "MODEL", "", "IO model over the diagnosis window; * = low confidence, /os = EPOLLONESHOT", 12, 12, 0, false},
    {Col::Waits, "WAITS/s", "waits_per_s", "wait calls per second (select, poll, epoll_wait families)", 7, 7, 1, true},
    {Col::ReadyPerWait, "RDY/W", "ready_per_wait", "ready fds (events) returned per wait", 6, 6, 9, true},
    {Col::WatchedPerWait, "WATCH/W", "watched_per_wait", "fds watched per wait", 7, 7, 12, true},
    {Col::EmptyPct, "EMPTY%", "empty_pct", "% of waits that returned nothing", 6, 6, 4, true},
    {Col::Wakeups, "WAKE/s", "wakeups_per_s", "waits per second that slept and were woken", 6, 6, 6, true},
    {Col::LtRereports, "LTRE/s", "lt_rereports_per_s", "level-triggered re-reports per second (fd reported again, unread or partly read)", 6, 6, 13, true},
    {Col::EtUndrained, "ETUN/s", "et_undrained_per_s", "edge-triggered notifications per second not drained before the next wait", 6, 6, 14, true},
    {Col::Recv, "RECV/s", "recv_per_s", "receive calls per second (recvfrom, recvmsg, recvmmsg, read, readv)", 6, 6, 3, true},
    {Col::RecvMB, "RMB/s", "recv_mb_per_s", "MB (10^6 bytes) received per second", 6, 6, 11, true},
    {Col::EagainPct, "EAGN%", "eagain_pct", "% of receive calls that returned EAGAIN", 5, 5, 10, true},
    {Col::CpuPct, "CPU%W", "wait_cpu_pct", "% of the time in waits spent on CPU (not switched out)", 5, 5, 5, true},
    {Col::Worst, "FINDING", "", "the worst finding's id (Enter shows them all)", 20, 20, 2, false},
};

std::string fit(std::string s, int width, bool right) {
    // Widths count code points (every character the view prints is one column).
    auto points = [](const std::string& t) {
        return static_cast<int>(std::count_if(t.begin(), t.end(), [](char c) { return (c & 0xC0) != 0x80; }));
    };
    while (points(s) > width) {
        s.pop_back();
        while (!s.empty() && (s.back() & 0xC0) == 0x80) s.pop_back();
        if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0xC0) s.pop_back();
    }
    std::string pad(static_cast<size_t>(width - points(s)), ' ');
    return right ? pad + s : s + pad;
}

int total_width(const std::vector<Placed>& p) {
    int w = 0;
    for (const Placed& c : p) w += c.width;
    return w + static_cast<int>(p.empty() ? 0 : p.size() - 1);
}

void place(std::vector<Placed>& p) {
    int x = 0;
    for (Placed& c : p) {
        c.x = x;
        x += c.width + 1;
    }
}

// Text sorts A to Z; ties keep pid order.
int compare_text(const std::string& a, const std::string& b) { return a < b ? -1 : b < a ? 1 : 0; }

// "nginx (exited)", or where that does not fit "nginx-wo (x)": the mark
// stays whole, the name is cut.
std::string exited_command(const std::string& comm, int width) {
    const std::string mark = static_cast<int>(comm.size()) + 9 <= width ? " (exited)" : " (x)";
    std::string name = fit(comm, std::max(0, width - static_cast<int>(mark.size())), false);
    name.erase(name.find_last_not_of(' ') + 1);
    return name + mark;
}

}  // namespace

const std::vector<ColumnInfo>& all_columns() { return kColumns; }

const ColumnInfo& column_info(Col c) { return kColumns[static_cast<size_t>(c)]; }

std::vector<Placed> fit_columns(int cols, Col sort) {
    std::vector<Placed> p;
    for (const ColumnInfo& c : kColumns) p.push_back({c.id, 0, c.min_width});
    while (total_width(p) > cols) {
        auto victim = p.end();
        for (auto it = p.begin(); it != p.end(); ++it) {
            const ColumnInfo& c = column_info(it->id);
            if (c.drop == 0 || it->id == sort) continue;
            if (victim == p.end() || c.drop > column_info(victim->id).drop) victim = it;
        }
        if (victim == p.end()) break;  // only the essential ones left: clipped at the edge
        p.erase(victim);
    }
    // Widen text columns back, in table order; FINDING, last, takes the rest.
    int spare = cols - total_width(p);
    for (Placed& c : p) {
        int more = std::min(spare, column_info(c.id).width - c.width);
        if (more > 0 && c.id != Col::Worst) {
            c.width += more;
            spare -= more;
        }
    }
    for (Placed& c : p)
        if (c.id == Col::Worst && spare > 0) c.width += spare;
    place(p);
    return p;
}

std::vector<Placed> all_columns_placed() {
    std::vector<Placed> p;
    for (const ColumnInfo& c : kColumns) p.push_back({c.id, 0, c.width});
    place(p);
    return p;
}

std::string compact_number(double v) {
    double a = std::fabs(v);
    if (a < 10) return fmt::format("{:.2f}", v);
    if (a < 1000) return fmt::format("{:.1f}", v);
    if (a < 10000) return fmt::format("{:.0f}", v);
    if (a < 999950) return fmt::format("{:.1f}k", v / 1e3);
    if (a < 999950e3) return fmt::format("{:.1f}M", v / 1e6);
    return fmt::format("{:.1f}G", v / 1e9);
}

std::string short_model(const Row& r) {
    if (r.model.empty()) return "-";
    std::string m = r.model;
    auto sp = m.find(" oneshot");
    if (sp != std::string::npos) m = m.substr(0, sp) + "/os";
    if (r.confidence == "low") m += "*";
    return m;
}

std::string cell_text(const Row& r, Col c) {
    switch (c) {
    case Col::Pid: return std::to_string(r.is_thread() ? r.tid : r.pid);
    case Col::User: return r.user.empty() ? "-" : r.user;
    case Col::Command: return r.comm;
    case Col::Model: return short_model(r);
    case Col::Worst: return r.worst.empty() ? "-" : r.worst;
    default: break;
    }
    const Figure& f = r[c];
    if (f.kind == Figure::None) return "-";
    if (f.kind == Figure::Unavailable) return "n/a";
    if (c == Col::EmptyPct || c == Col::EagainPct || c == Col::CpuPct) return fmt::format("{:.1f}", f.v);
    return compact_number(f.v);
}

std::string title_line(const std::vector<Placed>& cols, bool pad_last) {
    std::string out;
    for (size_t i = 0; i < cols.size(); ++i) {
        const ColumnInfo& c = column_info(cols[i].id);
        bool last = i + 1 == cols.size();
        out += last && !pad_last && !c.numeric ? std::string(c.title) : fit(c.title, cols[i].width, c.numeric);
        if (!last) out += ' ';
    }
    return out;
}

std::string row_line(const Row& r, const std::vector<Placed>& cols, bool pad_last) {
    std::string out;
    for (size_t i = 0; i < cols.size(); ++i) {
        const ColumnInfo& c = column_info(cols[i].id);
        std::string text = cell_text(r, cols[i].id);
        if (cols[i].id == Col::Command && r.exited) text = exited_command(text, cols[i].width);
        bool last = i + 1 == cols.size();
        out += last && !pad_last && !c.numeric ? text : fit(text, cols[i].width, c.numeric);
        if (!last) out += ' ';
    }
    return out;
}

const char* sort_direction(Col c, bool reverse) {
    if (c == Col::Pid) return reverse ? "highest first" : "lowest first";
    if (column_info(c).numeric) return reverse ? "lowest first" : "biggest first";
    return reverse ? "Z to A" : "A to Z";
}

bool row_before(const Row& a, const Row& b, Col c, bool reverse) {
    int cmp = 0;  // < 0: a first in the natural order
    switch (c) {
    case Col::Pid: cmp = a.pid != b.pid ? (a.pid < b.pid ? -1 : 1) : (a.tid < b.tid ? -1 : a.tid > b.tid ? 1 : 0); break;
    case Col::User: cmp = compare_text(a.user, b.user); break;
    case Col::Command: cmp = compare_text(a.comm, b.comm); break;
    case Col::Model: cmp = compare_text(a.model, b.model); break;
    case Col::Worst: {
        // Rows with a finding first, whichever way.
        if (a.worst.empty() != b.worst.empty()) return b.worst.empty();
        cmp = compare_text(a.worst, b.worst);
        break;
    }
    default: {
        const Figure& x = a[c];
        const Figure& y = b[c];
        bool xv = x.kind == Figure::Value, yv = y.kind == Figure::Value;
        if (xv != yv) return xv;  // figures before "-" and "n/a", whichever way
        if (xv && x.v != y.v) cmp = x.v > y.v ? -1 : 1;
        break;
    }
    }
    if (cmp != 0) return reverse ? cmp > 0 : cmp < 0;
    if (a.pid != b.pid) return a.pid < b.pid;
    return a.tid < b.tid;
}

}  // namespace iotrace
