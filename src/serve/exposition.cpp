#include "serve/exposition.h"

#include <functional>
#include <set>
#include <string_view>

#include "analysis/model.h"
#include "model/syscalls.h"
#include "model/unavailable.h"
#include "serve/render.h"

namespace iotrace {
namespace {

constexpr double kNsPerSecond = 1e9;

// One exported label set: its entry, what is unknown about it, its labels.
struct Entry {
    const ProcessStats* p;
    UnavailableFigures u;
    std::vector<Label> labels;  // comm, and pid with per_pid
};

std::vector<Label> with(std::vector<Label> labels, std::string name, std::string value) {
    labels.emplace_back(std::move(name), std::move(value));
    return labels;
}

MetricFamily family(std::string name, MetricType type, std::string unit, std::string help) {
    MetricFamily f;
    f.name = std::move(name);
    f.type = type;
    f.unit = std::move(unit);
    f.help = std::move(help);
    return f;
}

std::string_view suffix_of(MetricType t) {
    return t == MetricType::Counter ? "_total" : t == MetricType::Info ? "_info" : "";
}

void add(MetricFamily& f, std::vector<Label> labels, SampleValue v) {
    f.samples.push_back({std::string(suffix_of(f.type)), std::move(labels), v});
}

// A figure per label set: nullopt where it is unknown on this kernel.
using Figure = std::function<std::optional<SampleValue>(const ProcessStats&, const UnavailableFigures&)>;

MetricFamily per_entry(const std::vector<Entry>& entries, std::string name, MetricType type, std::string unit,
                       std::string help, const Figure& figure) {
    MetricFamily f = family(std::move(name), type, std::move(unit), std::move(help));
    for (const Entry& e : entries)
        if (auto v = figure(*e.p, e.u)) add(f, e.labels, *v);
    return f;
}

// An integer figure, unless `unknown`.
std::optional<SampleValue> count(bool unknown, uint64_t v) {
    if (unknown) return std::nullopt;
    return SampleValue::of(v);
}

std::optional<SampleValue> seconds(bool unknown, uint64_t ns) {
    if (unknown) return std::nullopt;
    return SampleValue::real(static_cast<double>(ns) / kNsPerSecond);
}

bool is_wait(int sys) { return syscall_info(sys).family == SyscallFamily::Wait; }

MetricFamily waits_by_syscall(const std::vector<Entry>& entries) {
    MetricFamily f = family("iotrace_waits", MetricType::Counter, "",
                            "Completed readiness waits (select, pselect6, poll, ppoll, epoll_wait, epoll_pwait, "
                            "epoll_pwait2), by syscall.");
    for (const Entry& e : entries)
        for (int s = 0; s < IOT_NR_SYS; ++s) {
            const SyscallStats& st = e.p->syscalls[static_cast<size_t>(s)];
            if (is_wait(s) && !e.u.syscalls[static_cast<size_t>(s)] && st.calls > 0)
                add(f, with(e.labels, "syscall", std::string(syscall_info(s).name)), SampleValue::of(st.calls));
        }
    return f;
}

// Slot i of hist_log2_ns counts calls of [2^i, 2^(i+1)) ns, the last slot
// is open-ended: bucket i (le = 2^(i+1) ns) holds slots 0..i, +Inf all.
MetricFamily wait_duration(const std::vector<Entry>& entries) {
    MetricFamily f = family("iotrace_wait_duration_seconds", MetricType::Histogram, "seconds",
                            "Time in readiness waits, from sys_enter to sys_exit, by syscall (log2 buckets).");
    for (const Entry& e : entries)
        for (int s = 0; s < IOT_NR_SYS; ++s) {
            const SyscallStats& st = e.p->syscalls[static_cast<size_t>(s)];
            if (!is_wait(s) || e.u.syscalls[static_cast<size_t>(s)] || st.calls == 0) continue;
            std::vector<Label> labels = with(e.labels, "syscall", std::string(syscall_info(s).name));
            uint64_t cumulative = 0;
            for (size_t i = 0; i + 1 < st.hist_log2_ns.size(); ++i) {
                cumulative += st.hist_log2_ns[i];
                double le = static_cast<double>(uint64_t{1} << (i + 1)) / kNsPerSecond;
                f.samples.push_back({"_bucket", with(labels, "le", format_double(le)), SampleValue::of(cumulative)});
            }
            cumulative += st.hist_log2_ns.back();
            f.samples.push_back({"_bucket", with(labels, "le", "+Inf"), SampleValue::of(cumulative)});
            f.samples.push_back({"_sum", labels, SampleValue::real(static_cast<double>(st.time_ns) / kNsPerSecond)});
            f.samples.push_back({"_count", labels, SampleValue::of(cumulative)});
        }
    return f;
}

MetricFamily eagain(const std::vector<Entry>& entries) {
    MetricFamily f = family("iotrace_eagain", MetricType::Counter, "",
                            "Calls that returned EAGAIN, by family: recv (recvfrom, recvmsg, recvmmsg, read, readv), "
                            "send (sendto, sendmsg, sendmmsg, write, writev), accept (accept, accept4).");
    for (const Entry& e : entries) {
        if (!e.u.recv) add(f, with(e.labels, "family", "recv"), SampleValue::of(e.p->recv.eagain));
        if (!e.u.send) add(f, with(e.labels, "family", "send"), SampleValue::of(e.p->send.eagain));
        if (!e.u.accept) add(f, with(e.labels, "family", "accept"), SampleValue::of(e.p->accept.eagain));
    }
    return f;
}

MetricFamily io_model(const std::vector<Entry>& entries) {
    MetricFamily f = family("iotrace_io_model", MetricType::StateSet, "",
                            "The IO model iotrace names from the figures (docs/diagnosis.md): 1 for the current "
                            "one, 0 for the others.");
    for (const Entry& e : entries)
        for (std::string_view m : kModelNames)
            add(f, with(e.labels, f.name, std::string(m)), SampleValue::of(e.p->diagnosis.model.name == m ? 1 : 0));
    return f;
}

MetricFamily findings(const std::vector<Entry>& entries) {
    MetricFamily f = family("iotrace_finding", MetricType::Gauge, "",
                            "1 for each finding of the diagnosis (docs/diagnosis.md), by id and severity; "
                            "absent when not found.");
    for (const Entry& e : entries) {
        std::set<std::string> seen;
        for (const Finding& fi : e.p->diagnosis.findings)
            if (seen.insert(fi.id).second)
                add(f, with(with(e.labels, "id", fi.id), "severity", fi.severity), SampleValue::of(1));
    }
    return f;
}

std::vector<MetricFamily> process_families(const std::vector<Entry>& es) {
    std::vector<MetricFamily> out;
    auto counter = [&](std::string name, std::string unit, std::string help, const Figure& fig) {
        out.push_back(per_entry(es, std::move(name), MetricType::Counter, std::move(unit), std::move(help), fig));
    };
    using P = const ProcessStats&;
    using U = const UnavailableFigures&;
    out.push_back(waits_by_syscall(es));
    counter("iotrace_waits_empty", "", "Readiness waits that returned 0: timed out with nothing ready.",
            [](P p, U u) { return count(u.waits, p.waits.empty); });
    counter("iotrace_wait_fds_watched", "",
            "Fds the waits asked about, summed over waits (select: bits set below nfds; poll: entries with fd >= 0; "
            "epoll: the interest list's size).",
            [](P p, U u) { return count(u.waits_watched, p.waits.watched); });
    counter("iotrace_wait_fds_scanned", "",
            "Fds the kernel went through, summed over waits (select, poll: nfds; epoll: the events returned).",
            [](P p, U u) { return count(u.waits, p.waits.scanned); });
    counter("iotrace_wait_fds_ready", "",
            "The waits' positive returns, summed (select: ready bits; poll: entries with revents; epoll: events).",
            [](P p, U u) { return count(u.waits, p.waits.ready); });
    counter("iotrace_wait_wakeups", "", "Readiness waits during which the thread slept and was woken.",
            [](P p, U u) { return count(u.waits, p.waits.wakeups); });
    counter("iotrace_wait_cpu_seconds", "seconds",
            "Time in readiness waits minus the time switched out during them: the CPU the waits cost.",
            [](P p, U u) { return seconds(u.waits_cpu_ns, p.waits.cpu_ns); });
    counter("iotrace_lt_rereports_unread", "",
            "LT re-reports with no read in between: a level-triggered waiter reported an fd readable again, "
            "untouched since its previous wait.",
            [](P p, U u) { return count(u.readiness, p.readiness.lt_rereports_unread); });
    counter("iotrace_lt_rereports_partial", "",
            "LT re-reports after a read that did not drain the fd: read some, waited again while data remained.",
            [](P p, U u) { return count(u.readiness, p.readiness.lt_rereports_partial); });
    counter("iotrace_write_rereports_unwritten", "",
            "Writable re-reports with no send in between: EPOLLOUT (or POLLOUT, a write set) left on with nothing "
            "to send.",
            [](P p, U u) { return count(u.readiness, p.readiness.write_rereports_unwritten); });
    counter("iotrace_et_notifications", "", "Edge-triggered readable events (EPOLLIN on EPOLLET registrations).",
            [](P p, U u) { return count(u.readiness, p.readiness.et_notifications); });
    counter("iotrace_et_undrained", "",
            "ET notifications after which the waiter waited again before the fd was drained or closed.",
            [](P p, U u) { return count(u.readiness, p.readiness.et_undrained); });
    counter("iotrace_et_stalls", "",
            "ET notifications that came while the fd's previous one had been followed by no drain and no close.",
            [](P p, U u) { return count(u.readiness, p.readiness.et_stalls); });
    counter("iotrace_receives", "", "Receive calls: recvfrom, recvmsg, recvmmsg, read, readv, on any fd.",
            [](P p, U u) { return count(u.recv, p.recv.calls); });
    counter("iotrace_received_bytes", "bytes",
            "Bytes the receive calls returned (recvmmsg: the messages' msg_len).",
            [](P p, U u) { return count(u.recv, p.recv.bytes); });
    counter("iotrace_sent_bytes", "bytes",
            "Bytes the send calls (sendto, sendmsg, sendmmsg, write, writev) returned (sendmmsg: msg_len).",
            [](P p, U u) { return count(u.send, p.send.bytes); });
    out.push_back(eagain(es));
    out.push_back(wait_duration(es));
    out.push_back(io_model(es));
    out.push_back(findings(es));
    return out;
}

MetricFamily gauge(std::string name, std::string unit, std::string help, SampleValue v) {
    MetricFamily f = family(std::move(name), MetricType::Gauge, std::move(unit), std::move(help));
    add(f, {}, v);
    return f;
}

std::vector<MetricFamily> self_families(const Snapshot& snap, const LabelSets& ls, const SelfMetrics& self) {
    std::vector<MetricFamily> out;
    MetricFamily build = family("iotrace_build", MetricType::Info, "", "The iotrace that serves these metrics.");
    add(build, {{"version", snap.version}}, SampleValue::of(1));
    out.push_back(std::move(build));
    out.push_back(gauge("iotrace_traced_processes", "", "Processes the kernel side traces now.",
                        SampleValue::of(self.traced_processes)));
    out.push_back(gauge("iotrace_label_sets", "", "Label sets (comm, or comm and pid) exported in this scrape.",
                        SampleValue::of(ls.snap.processes.size())));
    out.push_back(gauge("iotrace_label_sets_dropped", "",
                        "Label sets left out of this scrape: more than the cap, the least busy first.",
                        SampleValue::of(ls.dropped)));
    MetricFamily early = family("iotrace_label_sets_expired_early", MetricType::Counter, "",
                                "Label sets whose processes had all exited, dropped before their grace period "
                                "ended because more than the cap were waiting: their series ended early.");
    add(early, {}, SampleValue::of(self.label_sets_expired_early));
    out.push_back(std::move(early));

    MetricFamily lost = family("iotrace_lost_events", MetricType::Counter, "",
                               "Events that could not be recorded, by reason (docs/json.md): while not 0, every "
                               "figure is a lower bound.");
    for (int r = 0; r < IOT_LOST_NR; ++r)
        add(lost, {{"reason", std::string(lost_reason_name(r))}}, SampleValue::of(snap.lost[static_cast<size_t>(r)]));
    out.push_back(std::move(lost));

    MetricFamily parts = family("iotrace_kernel_part_available", MetricType::Gauge, "",
                                "1 when this part of the kernel side loaded, 0 when the kernel refused it and its "
                                "figures are absent (docs/json.md, unavailable figures).");
    for (Part p : all_parts()) add(parts, {{"part", part_name(p)}}, SampleValue::of(snap.availability.has(p) ? 1 : 0));
    out.push_back(std::move(parts));

    if (!self.maps.empty()) {
        MetricFamily entries = family("iotrace_map_entries", MetricType::Gauge, "",
                                      "Entries in a bounded kernel map now (the slot arrays proc_stats and "
                                      "thread_stats: slots in use); what does not fit is lost "
                                      "(iotrace_lost_events_total).");
        MetricFamily max = family("iotrace_map_max_entries", MetricType::Gauge, "", "A kernel map's capacity, in entries.");
        for (const MapOccupancy& m : self.maps) {
            add(entries, {{"map", m.name}}, SampleValue::of(m.entries));
            add(max, {{"map", m.name}}, SampleValue::of(m.max_entries));
        }
        out.push_back(std::move(entries));
        out.push_back(std::move(max));
    }
    out.push_back(gauge("iotrace_scrape_duration_seconds", "seconds",
                        "How long this scrape took to read the kernel maps and diagnose, before writing.",
                        SampleValue::real(self.scrape_duration_s)));
    if (self.cpu_seconds) {
        MetricFamily cpu = family("process_cpu_seconds", MetricType::Counter, "seconds",
                                  "iotrace's own user and system CPU time.");
        add(cpu, {}, SampleValue::real(*self.cpu_seconds));
        out.push_back(std::move(cpu));
    }
    if (self.resident_bytes)
        out.push_back(gauge("process_resident_memory_bytes", "bytes", "iotrace's resident memory.",
                            SampleValue::of(*self.resident_bytes)));
    if (self.start_time_s)
        out.push_back(gauge("process_start_time_seconds", "seconds", "When iotrace started, since the epoch.",
                            SampleValue::real(*self.start_time_s)));
    return out;
}

}  // namespace

std::vector<MetricFamily> metric_families(const Snapshot& diagnosed, const LabelSetOptions& opt,
                                          const SelfMetrics& self) {
    LabelSets ls = label_sets(diagnosed, opt);
    std::vector<Entry> entries;
    entries.reserve(ls.snap.processes.size());
    for (const ProcessStats& p : ls.snap.processes) {
        std::vector<Label> labels{{"comm", p.comm}};
        if (opt.per_pid) labels.emplace_back("pid", std::to_string(p.pid));
        entries.push_back({&p, unavailable_figures(p, ls.snap.availability), std::move(labels)});
    }
    std::vector<MetricFamily> out = process_families(entries);
    for (MetricFamily& f : self_families(diagnosed, ls, self)) out.push_back(std::move(f));
    return out;
}

std::string render_metrics(const Snapshot& diagnosed, const LabelSetOptions& opt, const SelfMetrics& self,
                           ExpositionFormat format) {
    return render_families(metric_families(diagnosed, opt, self), format);
}

}  // namespace iotrace
