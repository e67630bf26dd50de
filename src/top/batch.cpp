#include "top/batch.h"

#include <ctime>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/json_report.h"
#include "top/columns.h"
#include "top/header_text.h"

namespace iotrace {
namespace {

std::string utc_text(double unix_time) {
    std::time_t t = static_cast<std::time_t>(unix_time);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                       tm.tm_min, tm.tm_sec);
}

nlohmann::ordered_json count(const std::optional<uint64_t>& n) { return n ? nlohmann::ordered_json(*n) : nullptr; }

nlohmann::ordered_json row_json(const Row& r) {
    nlohmann::ordered_json j;
    j["pid"] = r.pid;
    if (r.is_thread()) j["tid"] = r.tid;
    j["uid"] = r.uid;
    j["user"] = r.user;
    j["comm"] = r.comm;
    j["exited"] = r.exited;
    j["new"] = r.first;
    j["model"] = r.model;
    j["confidence"] = r.confidence;
    j["worst_finding"] = r.worst.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(r.worst);
    for (const ColumnInfo& c : all_columns()) {
        if (!c.numeric || c.id == Col::Pid) continue;
        const Figure& f = r[c.id];
        j[c.key] = f.kind == Figure::Value ? nlohmann::ordered_json(f.v) : nlohmann::ordered_json(nullptr);
    }
    const IntervalCounts& n = r.counts;
    j["counts"] = {
        {"waits", count(n.waits)},
        {"ready", count(n.ready)},
        {"watched", count(n.watched)},
        {"empty", count(n.empty)},
        {"wakeups", count(n.wakeups)},
        {"lt_rereports", count(n.lt_rereports)},
        {"et_undrained", count(n.et_undrained)},
        {"recv", count(n.recv)},
        {"recv_bytes", count(n.recv_bytes)},
        {"recv_eagain", count(n.recv_eagain)},
        {"wait_ns", count(n.wait_ns)},
        {"wait_cpu_ns", count(n.wait_cpu_ns)},
    };
    return j;
}

}  // namespace

std::string batch_text(const TopState& s) {
    std::string out;
    for (const std::string& l : header_lines(s.header())) out += l + "\n";
    out += "\n";
    auto cols = all_columns_placed();
    out += title_line(cols, false) + "\n";
    for (const Row& r : s.frame_rows()) {
        std::string l = row_line(r, cols, false);
        l.erase(l.find_last_not_of(' ') + 1);
        out += l + "\n";
    }
    return out + "\n";
}

std::string json_line(const TopState& s) {
    const TopHeader& h = s.header();
    nlohmann::ordered_json j;
    j["tool"] = "iotrace";
    j["command"] = "top";
    j["schema"] = kJsonSchema;
    j["time"] = utc_text(h.wall_time);
    j["unix_time"] = h.wall_time;
    j["t_s"] = h.t_s;
    j["interval_s"] = h.interval_s;
    j["traced_processes"] = h.traced_processes;
    j["self_cpu_pct"] = h.self_cpu_pct;
    j["lost_events"] = h.lost_interval;
    j["lost_events_total"] = h.lost_total;
    j["totals"] = {
        {"waits_per_s", h.waits_per_s},
        {"wakeups_per_s", h.wakeups_per_s},
        {"recv_per_s", h.recv_per_s},
        {"recv_mb_per_s", h.recv_mb_per_s},
    };
    nlohmann::ordered_json rows = nlohmann::ordered_json::array();
    for (const Row& r : s.frame_rows()) rows.push_back(row_json(r));
    j[s.threads() ? "threads" : "processes"] = std::move(rows);
    // error_handler replace: a comm that is not UTF-8 still makes a line.
    return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace iotrace
