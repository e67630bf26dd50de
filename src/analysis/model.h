// Names the IO model of a process or a thread from its figures. The rules,
// their order and thresholds (src/analysis/thresholds.h) are documented in
// docs/diagnosis.md; each Model carries the evidence its rule used.
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "analysis/figures.h"
#include "model/diagnosis.h"
#include "model/snapshot.h"

namespace iotrace {

// Every Model::name that classify() and classify_thread() give, in the order
// docs/json.md lists them (also the states of iotrace serve's
// iotrace_io_model, docs/prometheus.md). "" is only a snapshot not diagnosed.
inline constexpr std::array<std::string_view, 10> kModelNames = {
    "select", "poll", "epoll-lt", "epoll-et", "epoll-mixed", "epoll", "blocking", "busy-poll", "io_uring", "idle",
};

// c: what was counted (a degraded load may lack the readiness figures or
// the calls' times, src/model/unavailable.h). Without readiness no EAGAIN
// is set aside as a drain; without the times the time asleep in waits is
// not weighed.
Model classify(const ProcessStats& p, const Counted& c = {});

// A thread's own calls decide (its ready events included); the epoll trigger
// figures are the owner's (fds are shared by the process's threads), and so
// is the wait family of a thread fed by the process's waits.
Model classify_thread(const ThreadStats& t, const ProcessStats& owner, const Counted& c = {});

}  // namespace iotrace
