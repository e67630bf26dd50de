#include "report/check_report.h"

#include <fmt/format.h>

#include "report/format.h"

namespace iotrace {
namespace {

using nlohmann::ordered_json;

const char* yes_no(bool b) { return b ? "yes" : "no"; }

// When nothing could be loaded, no part is available, whatever the (empty)
// Availability says.
bool available(const MachineCheck& m, Part p) { return m.load_error.empty() && m.load.availability.has(p); }

// The load error can be long (libbpf's log): it is said once, under
// "error" / on the result line, not per part.
std::string why_unavailable(const MachineCheck& m, Part p) {
    if (!m.load_error.empty()) return "nothing was loaded";
    auto it = m.load.availability.missing.find(p);
    return it == m.load.availability.missing.end() ? "" : it->second;
}

std::string tracefs_words(const TracefsState& t) {
    if (t.path.empty()) return "missing: " + t.error;
    return t.path + (t.mounted_now ? " (mounted by iotrace just now)" : "");
}

size_t loaded_count(const LoadReport& r) {
    size_t n = 0;
    for (const ProgramLoad& p : r.programs) n += p.loaded;
    return n;
}

std::string programs_text(const LoadReport& r) {
    std::string out = fmt::format("programs: {} of {} loaded\n", loaded_count(r), r.programs.size());
    out += fmt::format("  {:<22} {:<6} {:>14} {:>9}  {}\n", "program", "loaded", "verified insns", "load ms", "error");
    for (const ProgramLoad& p : r.programs) {
        std::string error = p.forced ? "(--fail-prog) " + p.error : p.error;
        std::string row = fmt::format("  {:<22} {:<6} {:>14} {:>9}  {}", p.name, yes_no(p.loaded),
                                      group_digits(p.verified_insns), fixed_grouped(p.load_ms, 2), error);
        row.erase(row.find_last_not_of(' ') + 1);
        out += row + "\n";
    }
    if (!r.verifier_log_path.empty()) out += "full verifier log: " + r.verifier_log_path + "\n";
    return out;
}

std::string verdict(const MachineCheck& m) {
    if (!m.load_error.empty()) return "result: iotrace cannot trace here: " + m.load_error + "\n";
    if (m.ok()) return "result: ok, every figure is available\n";
    size_t failed = m.load.programs.size() - loaded_count(m.load);
    return fmt::format(
        "result: degraded, {} program(s) not loaded, {} part(s) unavailable: their figures print n/a (null in "
        "JSON)\n",
        failed, m.load.availability.missing.size());
}

}  // namespace

std::string render_check_text(const MachineCheck& m) {
    std::string out = "kernel: " + m.kernel_release + "\n";
    out += fmt::format("  BTF: {}\n", m.btf ? "yes (/sys/kernel/btf/vmlinux)" : "no (/sys/kernel/btf/vmlinux missing)");
    out += "  tracefs: " + tracefs_words(m.tracefs) + "\n";
    out += "  lockdown: " + m.lockdown + "\n";
    out += fmt::format("capabilities: root {}, CAP_BPF {}, CAP_PERFMON {}, CAP_SYS_ADMIN {}\n", yes_no(m.caps.root),
                       yes_no(m.caps.cap_bpf), yes_no(m.caps.cap_perfmon), yes_no(m.caps.cap_sys_admin));
    out += programs_text(m.load);
    out += "figures:\n";
    for (Part p : all_parts()) {
        std::string row = fmt::format("  {:<20} {}", part_name(p),
                                      available(m, p) ? "available" : "unavailable: " + why_unavailable(m, p));
        out += row + "\n";
    }
    return out + verdict(m);
}

ordered_json check_to_json(const MachineCheck& m) {
    ordered_json programs = ordered_json::array();
    for (const ProgramLoad& p : m.load.programs)
        programs.push_back(ordered_json{{"name", p.name},
                                        {"loaded", p.loaded},
                                        {"forced", p.forced},
                                        {"verified_insns", p.verified_insns},
                                        {"load_ms", p.load_ms},
                                        {"error", p.error}});
    ordered_json parts = ordered_json::array();
    for (Part p : all_parts())
        parts.push_back(ordered_json{{"part", part_name(p)}, {"available", available(m, p)}, {"why", why_unavailable(m, p)}});
    return ordered_json{
        {"kernel",
         {{"release", m.kernel_release},
          {"btf", m.btf},
          {"tracefs", {{"path", m.tracefs.path}, {"mounted_by_iotrace", m.tracefs.mounted_now}, {"error", m.tracefs.error}}},
          {"lockdown", m.lockdown}}},
        {"capabilities",
         {{"root", m.caps.root},
          {"cap_bpf", m.caps.cap_bpf},
          {"cap_perfmon", m.caps.cap_perfmon},
          {"cap_sys_admin", m.caps.cap_sys_admin}}},
        {"programs", std::move(programs)},
        {"verifier_log", m.load.verifier_log_path},
        {"parts", std::move(parts)},
        {"error", m.load_error},
        {"ok", m.ok()},
    };
}

std::string render_check_json(const MachineCheck& m) {
    return check_to_json(m).dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace iotrace
