#include "json_report.h"

#include "model/syscalls.h"

namespace iotrace {
namespace {

using nlohmann::ordered_json;

ordered_json syscall_json(const SyscallStats& s) {
    // Every slot, zeros included: consumers index the array by slot number
    // (slot i = [2^i, 2^(i+1)) ns), so its length must not depend on the data.
    ordered_json hist = ordered_json::array();
    for (uint64_t v : s.hist_log2_ns) hist.push_back(v);
    return ordered_json{
        {"calls", s.calls},     {"errors", s.errors},         {"eagain", s.eagain},
        {"time_ns", s.time_ns}, {"hist_log2_ns", std::move(hist)},
    };
}

// The diagnosis (docs/diagnosis.md): always present, so a consumer can read
// it unguarded; name "" and no findings when no diagnosis was made.
ordered_json model_json(const Model& m) {
    ordered_json evidence = ordered_json::array();
    for (const std::string& e : m.evidence) evidence.push_back(e);
    return ordered_json{
        {"name", m.name},
        {"modifier", m.modifier},
        {"confidence", m.confidence},
        {"evidence", std::move(evidence)},
    };
}

ordered_json findings_json(const std::vector<Finding>& findings) {
    ordered_json out = ordered_json::array();
    for (const Finding& f : findings) {
        ordered_json figures = ordered_json::object();
        for (const auto& [name, value] : f.figures) figures[name] = value;
        out.push_back(ordered_json{
            {"id", f.id},
            {"severity", f.severity},
            {"text", f.text},
            {"figures", std::move(figures)},
        });
    }
    return out;
}

ordered_json fd_json(const FdStats& f) {
    return ordered_json{
        {"fd", f.fd},
        {"kind", f.kind},
        {"trigger", f.trigger},
        {"oneshot", f.oneshot},
        {"local", f.local},
        {"peer", f.peer},
        {"reported", f.reported},
        {"reads", f.reads},
        {"bytes", f.bytes},
        {"eagain", f.eagain},
        {"drains", f.drains},
        {"writes", f.writes},
        {"lt_rereports", f.lt_rereports},
        {"lt_rereports_unread", f.lt_rereports_unread},
        {"lt_rereports_partial", f.lt_rereports_partial},
        {"write_rereports", f.write_rereports},
        {"et_notifications", f.et_notifications},
        {"et_undrained", f.et_undrained},
        {"herd_rereports", f.herd_rereports},
    };
}

ordered_json thread_json(const ThreadStats& t) {
    return ordered_json{
        {"tid", t.tid},
        {"comm", t.comm},
        {"model", model_json(t.diagnosis.model)},
        {"findings", findings_json(t.diagnosis.findings)},
        {"waits", t.waits},
        {"wakeups", t.wakeups},
        {"ready", t.ready},
        {"recv", t.recv},
        {"select_waits", t.select_waits},
        {"poll_waits", t.poll_waits},
        {"epoll_waits", t.epoll_waits},
        {"zero_timeout", t.zero_timeout},
        {"recv_eagain", t.recv_eagain},
        {"recv_blocked", t.recv_blocked},
        {"accepts", t.accepts},
        {"accept_blocked", t.accept_blocked},
        {"uring_enters", t.uring_enters},
    };
}

ordered_json process_json(const ProcessStats& p) {
    // Only syscalls the process made, in enum iot_sys order (stable across runs).
    ordered_json syscalls = ordered_json::object();
    for (int s = 0; s < IOT_NR_SYS; ++s) {
        const SyscallStats& st = p.syscalls[static_cast<size_t>(s)];
        if (st.calls > 0) syscalls[std::string(syscall_info(s).name)] = syscall_json(st);
    }
    ordered_json fds = ordered_json::array();
    for (const FdStats& f : p.fds) fds.push_back(fd_json(f));
    ordered_json threads = ordered_json::array();
    for (const ThreadStats& t : p.threads) threads.push_back(thread_json(t));
    return ordered_json{
        {"pid", p.pid},
        {"ppid", p.ppid},
        {"comm", p.comm},
        {"exited", p.exited},
        {"model", model_json(p.diagnosis.model)},
        {"findings", findings_json(p.diagnosis.findings)},
        {"syscalls", std::move(syscalls)},
        {"waits",
         {{"calls", p.waits.calls},
          {"empty", p.waits.empty},
          {"ready", p.waits.ready},
          {"watched", p.waits.watched},
          {"scanned", p.waits.scanned},
          {"time_ns", p.waits.time_ns},
          {"wakeups", p.waits.wakeups},
          {"cpu_ns", p.waits.cpu_ns},
          {"zero_timeout", p.waits.zero_timeout}}},
        {"recv",
         {{"calls", p.recv.calls},
          {"bytes", p.recv.bytes},
          {"eagain", p.recv.eagain},
          {"eof", p.recv.eof},
          {"short", p.recv.short_reads},
          {"blocked", p.recv.blocked}}},
        {"send", {{"calls", p.send.calls}, {"bytes", p.send.bytes}, {"eagain", p.send.eagain}}},
        {"accept", {{"calls", p.accept.calls}, {"eagain", p.accept.eagain}, {"blocked", p.accept.blocked}}},
        {"copy",
         {{"wait_in_bytes", p.copy.wait_in_bytes},
          {"wait_out_bytes", p.copy.wait_out_bytes},
          {"recv_bytes", p.copy.recv_bytes},
          {"send_bytes", p.copy.send_bytes}}},
        {"readiness",
         {{"lt_rereports", p.readiness.lt_rereports},
          {"lt_rereports_unread", p.readiness.lt_rereports_unread},
          {"lt_rereports_partial", p.readiness.lt_rereports_partial},
          {"write_rereports_unwritten", p.readiness.write_rereports_unwritten},
          {"et_notifications", p.readiness.et_notifications},
          {"et_undrained", p.readiness.et_undrained},
          {"herd_rereports", p.readiness.herd_rereports}}},
        {"fds", std::move(fds)},
        {"threads", std::move(threads)},
    };
}

}  // namespace

ordered_json to_json(const Snapshot& snap) {
    // Every reason, zeros included, so a consumer can read any key unguarded.
    ordered_json lost = ordered_json::object();
    for (int r = 0; r < IOT_LOST_NR; ++r)
        lost[std::string(lost_reason_name(r))] = snap.lost[static_cast<size_t>(r)];

    ordered_json procs = ordered_json::array();
    for (const ProcessStats& p : snap.processes) procs.push_back(process_json(p));

    return ordered_json{
        {"tool", "iotrace"},
        {"schema", kJsonSchema},
        {"version", snap.version},
        {"duration_s", snap.duration_s},
        {"lost_events", snap.lost_events()},
        {"lost", std::move(lost)},
        {"processes", std::move(procs)},
    };
}

std::string render_json(const Snapshot& snap) {
    // comm comes from the kernel and may hold bytes that are not UTF-8 (a
    // process can name itself anything): replace them with U+FFFD rather than
    // let dump() throw and lose the whole report.
    return to_json(snap).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace iotrace
