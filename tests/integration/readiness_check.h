// Checks a process of a readiness workload report (tests/workloads/readiness.c)
// against readiness_expected.cpp, figure by figure; shared by the readiness
// tests and the tests of degraded loads (whose unavailable figures are null).
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "harness.h"
#include "readiness_expected.h"

namespace itest {

inline constexpr const char* kReadinessWorkload = "readiness";

// "var NAME VALUE" lines of the workload's stdout, plus pid.
using Vars = std::map<std::string, std::string>;
Vars parse_vars(const std::string& out, int pid);

// j[key] as an unsigned number (UINT64_MAX and a failure if it is not one).
uint64_t num(const json& j, const std::string& key, const std::string& where);

// Every figure of process p against e: the syscalls' calls, errors and
// eagain, waits, recv, readiness, every fds and threads entry. The figures
// named in `unavailable` (the names of the report's per-process
// "unavailable" list, docs/json.md) must be null instead, and that list
// must be exactly `unavailable`.
void expect_readiness(const json& p, const ReadinessExp& e, const Vars& vars,
                      const std::set<std::string>& unavailable = {});

}  // namespace itest
