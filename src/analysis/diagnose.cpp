#include "analysis/diagnose.h"

#include <fmt/format.h>

#include "analysis/findings.h"
#include "analysis/model.h"
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

}  // namespace

void diagnose(Snapshot& snap) {
    uint64_t lost = snap.lost_events();
    for (ProcessStats& p : snap.processes) {
        p.diagnosis.model = classify(p);
        account_for_losses(p.diagnosis.model, lost);
        p.diagnosis.findings = find_issues(p, snap.duration_s);
        for (ThreadStats& t : p.threads) {
            t.diagnosis.model = classify_thread(t, p);
            account_for_losses(t.diagnosis.model, lost);
            t.diagnosis.findings = find_thread_issues(t, p, snap.duration_s);
        }
    }
}

Snapshot diagnosed(Snapshot snap) {
    diagnose(snap);
    return snap;
}

}  // namespace iotrace
