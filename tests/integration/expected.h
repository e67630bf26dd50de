// What iotrace must report for each iowork scenario (tests/workloads/iowork.c),
// derived by hand from the scenario's code in expected.cpp.
#pragma once

#include <string>
#include <vector>

#include "harness.h"

namespace itest {

// The scenarios with a fixed sequence, in the order "all" runs them.
const std::vector<std::string>& fixed_scenarios();

// Expected figures of scenario `name` (one of fixed_scenarios(), or "all").
Expect expected(const std::string& name);

// `iowork spin N`: N recvfrom calls on an empty non-blocking socket.
Expect expected_spin(uint64_t n);

// `iowork fork`: the parent and the child it forks.
Expect expected_fork_parent();
Expect expected_fork_child();

}  // namespace itest
