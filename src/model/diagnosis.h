// What src/analysis concludes about a process or a thread: the IO model it
// uses and what that costs. Plain types, so the snapshot can carry them and
// the reports render them without knowing the rules (docs/diagnosis.md).
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace iotrace {

struct Model {
    std::string name;      // select, poll, epoll-lt, epoll-et, epoll-mixed, epoll, blocking, busy-poll, io_uring, idle
    std::string modifier;  // "oneshot" or ""
    std::string confidence;             // high, medium, low
    std::vector<std::string> evidence;  // the figures the rule used, one short phrase each
};

struct Finding {
    std::string id;                                       // stable snake_case, e.g. "select_scan_cost"
    std::string severity;                                 // high, medium, low, info
    std::string text;                                     // one sentence: the numbers and a concrete suggestion
    std::vector<std::pair<std::string, double>> figures;  // in a fixed order per id
};

// "epoll-lt oneshot", "select": name and modifier as the reports print them.
inline std::string model_label(const Model& m) { return m.modifier.empty() ? m.name : m.name + " " + m.modifier; }

// Empty (model.name "") until analysis::diagnose() has run.
struct Diagnosis {
    Model model;
    std::vector<Finding> findings;  // worst first
};

}  // namespace iotrace
