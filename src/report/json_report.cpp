#include "json_report.h"

#include "model/syscalls.h"
#include "model/unavailable.h"

namespace iotrace {
namespace {

using nlohmann::ordered_json;

// A figure, or null when the kernel side that counts it did not load
// (docs/json.md, "Unavailable figures"): never a 0 that reads as "none".
ordered_json fig(uint64_t v, bool unavailable) { return unavailable ? ordered_json(nullptr) : ordered_json(v); }

// The row of a syscall that was not counted: every key, every value null.
ordered_json unavailable_syscall_json() {
    return ordered_json{
        {"calls", nullptr}, {"errors", nullptr}, {"eagain", nullptr}, {"time_ns", nullptr}, {"hist_log2_ns", nullptr},
    };
}

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
        {"et_stalls", f.et_stalls},
        {"herd_rereports", f.herd_rereports},
    };
}

ordered_json thread_json(const ThreadStats& t, const UnavailableFigures& u) {
    bool w = u.thread_waits, r = u.thread_recv, a = u.thread_accepts;
    return ordered_json{
        {"tid", t.tid},
        {"comm", t.comm},
        {"model", model_json(t.diagnosis.model)},
        {"findings", findings_json(t.diagnosis.findings)},
        {"waits", fig(t.waits, w)},
        {"wakeups", fig(t.wakeups, w)},
        {"ready", fig(t.ready, w)},
        {"recv", fig(t.recv, r)},
        {"select_waits", fig(t.select_waits, w)},
        {"poll_waits", fig(t.poll_waits, w)},
        {"epoll_waits", fig(t.epoll_waits, w)},
        {"zero_timeout", fig(t.zero_timeout, w)},
        {"zero_timeout_empty", fig(t.zero_timeout_empty, w)},
        {"recv_eagain", fig(t.recv_eagain, r)},
        {"recv_blocked", fig(t.recv_blocked, r)},
        {"accepts", fig(t.accepts, a)},
        {"accept_blocked", fig(t.accept_blocked, a)},
        {"uring_enters", fig(t.uring_enters, u.thread_uring)},
    };
}

// Only on an entry that stands for several followed processes
// (src/model/group.h): how many and which. Not null elsewhere: null means
// unavailable in this document.
void add_group(ordered_json& out, const ProcessStats::Group& g) {
    if (g.processes == 0) return;
    ordered_json group{{"processes", g.processes}, {"exited", g.exited}, {"pids", g.pids}};
    ordered_json keyed = ordered_json::object();
    for (auto& [k, v] : out.items()) {
        keyed[k] = std::move(v);
        if (k == "exited") keyed["group"] = group;  // next to the identity
    }
    out = std::move(keyed);
}

ordered_json process_json(const ProcessStats& p, const UnavailableFigures& u) {
    // Only syscalls the process made, in enum iot_sys order (stable across
    // runs), and those not counted: left out, they would read as 0 calls.
    ordered_json syscalls = ordered_json::object();
    for (int s = 0; s < IOT_NR_SYS; ++s) {
        const SyscallStats& st = p.syscalls[static_cast<size_t>(s)];
        if (u.syscalls[static_cast<size_t>(s)])
            syscalls[std::string(syscall_info(s).name)] = unavailable_syscall_json();
        else if (st.calls > 0)
            syscalls[std::string(syscall_info(s).name)] = syscall_json(st);
    }
    // Which fds a wait reported is itself a readiness figure.
    ordered_json fds = u.readiness ? ordered_json(nullptr) : ordered_json::array();
    if (!u.readiness)
        for (const FdStats& f : p.fds) fds.push_back(fd_json(f));
    ordered_json threads = ordered_json::array();
    for (const ThreadStats& t : p.threads) threads.push_back(thread_json(t, u));
    ordered_json unavailable = ordered_json::array();
    for (const std::string& name : u.names()) unavailable.push_back(name);
    const bool w = u.waits, rd = u.readiness;
    ordered_json out{
        {"pid", p.pid},
        {"ppid", p.ppid},
        {"comm", p.comm},
        {"exited", p.exited},
        {"unavailable", std::move(unavailable)},
        {"model", model_json(p.diagnosis.model)},
        {"findings", findings_json(p.diagnosis.findings)},
        {"syscalls", std::move(syscalls)},
        {"waits",
         {{"calls", fig(p.waits.calls, w)},
          {"empty", fig(p.waits.empty, w)},
          {"ready", fig(p.waits.ready, w)},
          {"watched", fig(p.waits.watched, u.waits_watched)},
          {"scanned", fig(p.waits.scanned, w)},
          {"time_ns", fig(p.waits.time_ns, w)},
          {"wakeups", fig(p.waits.wakeups, w)},
          {"cpu_ns", fig(p.waits.cpu_ns, u.waits_cpu_ns)},
          {"zero_timeout", fig(p.waits.zero_timeout, w)},
          {"zero_timeout_empty", fig(p.waits.zero_timeout_empty, w)}}},
        {"recv",
         {{"calls", fig(p.recv.calls, u.recv)},
          {"bytes", fig(p.recv.bytes, u.recv)},
          {"eagain", fig(p.recv.eagain, u.recv)},
          {"eof", fig(p.recv.eof, u.recv)},
          {"short", fig(p.recv.short_reads, u.recv)},
          {"blocked", fig(p.recv.blocked, u.recv)}}},
        {"send",
         {{"calls", fig(p.send.calls, u.send)},
          {"bytes", fig(p.send.bytes, u.send)},
          {"eagain", fig(p.send.eagain, u.send)}}},
        {"accept",
         {{"calls", fig(p.accept.calls, u.accept)},
          {"eagain", fig(p.accept.eagain, u.accept)},
          {"blocked", fig(p.accept.blocked, u.accept)}}},
        {"copy",
         {{"wait_in_bytes", fig(p.copy.wait_in_bytes, u.copy_wait_in)},
          {"wait_out_bytes", fig(p.copy.wait_out_bytes, u.copy_wait_out)},
          {"recv_bytes", fig(p.copy.recv_bytes, u.copy_recv)},
          {"send_bytes", fig(p.copy.send_bytes, u.copy_send)}}},
        {"readiness",
         {{"lt_rereports", fig(p.readiness.lt_rereports, rd)},
          {"lt_rereports_unread", fig(p.readiness.lt_rereports_unread, rd)},
          {"lt_rereports_partial", fig(p.readiness.lt_rereports_partial, rd)},
          {"write_rereports_unwritten", fig(p.readiness.write_rereports_unwritten, rd)},
          {"et_notifications", fig(p.readiness.et_notifications, rd)},
          {"et_undrained", fig(p.readiness.et_undrained, rd)},
          {"et_stalls", fig(p.readiness.et_stalls, rd)},
          {"herd_rereports", fig(p.readiness.herd_rereports, rd)}}},
        {"fds", std::move(fds)},
        {"threads", std::move(threads)},
    };
    add_group(out, p.group);
    return out;
}

// The parts of the kernel side that did not load, and why: [] when complete.
ordered_json availability_json(const Availability& a) {
    ordered_json out = ordered_json::array();
    for (const auto& [part, why] : a.missing) out.push_back(ordered_json{{"part", part_name(part)}, {"why", why}});
    return out;
}

}  // namespace

ordered_json to_json(const Snapshot& snap) {
    // Every reason, zeros included, so a consumer can read any key unguarded.
    ordered_json lost = ordered_json::object();
    for (int r = 0; r < IOT_LOST_NR; ++r)
        lost[std::string(lost_reason_name(r))] = snap.lost[static_cast<size_t>(r)];

    ordered_json procs = ordered_json::array();
    for (const ProcessStats& p : snap.processes)
        procs.push_back(process_json(p, unavailable_figures(p, snap.availability)));

    return ordered_json{
        {"tool", "iotrace"},
        {"schema", kJsonSchema},
        {"version", snap.version},
        {"duration_s", snap.duration_s},
        {"lost_events", snap.lost_events()},
        {"lost", std::move(lost)},
        {"unavailable", availability_json(snap.availability)},
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
