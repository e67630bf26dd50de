#include "analysis/diagnose.h"

#include <fmt/format.h>

#include "analysis/findings.h"
#include "analysis/model.h"
#include "model/unavailable.h"
#include "report/format.h"

namespace iotrace {
namespace {

// Lost events make every figure a lower bound (docs/json.md), and the rules
// compare figures: a "high" certainty is no longer earned.
void account_for_losses(Model& m, uint64_t lost) {
    if (lost == 0) return;
    if (m.confidence == "high") m.confidence = "medium";
    m.evidence.push_back(fmt::format("{} events lost: the figures are lower bounds", group_digits(lost)));
}

// The rules read the counts as given: a family that was not counted reads
// as 0 calls, and missing readiness as no epoll fd reported. The model
// stands, but as a guess from what was counted, and says what was not.
void account_for_unavailable(Model& m, const UnavailableFigures& u, const Availability& a) {
    bool counts = u.any_syscall() || u.waits || u.recv || u.send || u.accept;
    if (!counts && !u.readiness) return;
    if (counts)
        m.confidence = "low";
    else if (m.confidence == "high")
        m.confidence = "medium";
    std::string parts;
    for (const auto& [part, why] : a.missing)
        if (part != Part::WaitCpuTime && part != Part::EpollWatched && part != Part::Follow)  // the rules read neither
            parts += (parts.empty() ? "" : ", ") + part_label(part);
    m.evidence.push_back("not counted on this kernel: " + parts);
}

}  // namespace

void diagnose(Snapshot& snap) {
    uint64_t lost = snap.lost_events();
    for (ProcessStats& p : snap.processes) {
        UnavailableFigures u = unavailable_figures(p, snap.availability);
        Counted c = counted(u);
        p.diagnosis.model = classify(p, c);
        account_for_losses(p.diagnosis.model, lost);
        account_for_unavailable(p.diagnosis.model, u, snap.availability);
        p.diagnosis.findings = find_issues(p, snap.duration_s, u);
        for (ThreadStats& t : p.threads) {
            t.diagnosis.model = classify_thread(t, p, c);
            account_for_losses(t.diagnosis.model, lost);
            account_for_unavailable(t.diagnosis.model, u, snap.availability);
            t.diagnosis.findings = find_thread_issues(t, p, snap.duration_s, u);
        }
    }
}

Snapshot diagnosed(Snapshot snap) {
    diagnose(snap);
    return snap;
}

}  // namespace iotrace
