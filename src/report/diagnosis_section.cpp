#include "report/diagnosis_section.h"

#include <fmt/format.h>

namespace iotrace {

std::string finding_line(const Finding& f) { return fmt::format("  [{}] {}: {}\n", f.severity, f.id, f.text); }

std::string diagnosis_section(const ProcessStats& p) {
    const Diagnosis& d = p.diagnosis;
    if (d.model.name.empty()) return "";
    std::string evidence;
    for (const std::string& e : d.model.evidence) evidence += (evidence.empty() ? "" : "; ") + e;
    std::string out = fmt::format("IO model: {} ({} confidence){}\n", model_label(d.model), d.model.confidence,
                                  evidence.empty() ? "" : " — " + evidence);
    if (d.findings.empty()) return out + "findings: none\n";
    out += "findings, worst first:\n";
    for (const Finding& f : d.findings) out += finding_line(f);
    return out;
}

std::string thread_findings_section(const ProcessStats& p) {
    std::string out;
    for (const ThreadStats& t : p.threads)
        for (const Finding& f : t.diagnosis.findings) out += finding_line(f);
    return out.empty() ? "" : "thread findings:\n" + out;
}

}  // namespace iotrace
