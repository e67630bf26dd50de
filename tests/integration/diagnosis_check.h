// Shared by the diagnosis tests (issue 5): reading the "model" and
// "findings" of a process or thread entry of iotrace's JSON report
// (docs/diagnosis.md), and asserting them with readable failure messages.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "harness.h"

namespace itest {

// What a test expects of one process or thread entry.
struct DiagExp {
    std::string model;              // model.name
    std::string modifier;           // model.modifier ("" = none)
    bool not_low = true;            // model.confidence must not be "low"
    std::vector<std::string> must;  // finding ids that must be present
    std::vector<std::string> never; // finding ids that must be absent
};

// The ids of entry["findings"], in report order.
std::vector<std::string> finding_ids(const json& entry);

// "epoll-lt oneshot (high): evidence; evidence" for failure messages.
std::string model_line(const json& entry);

// The entry without histograms, for a failure message.
std::string brief(const json& entry);

// Asserts (gtest EXPECT_*) model name, modifier, confidence and findings of
// entry ("where" names it in the messages): the model has evidence, every
// finding has an id, a severity of high/medium/low/info, text and figures.
void expect_diagnosis(const json& entry, const DiagExp& e, const std::string& where);

// The thread entry of tid in process p, or nullptr.
const json* find_thread(const json& proc, long tid);

}  // namespace itest
