// What iotrace must report for each scenario of tests/workloads/readiness.c
// (readiness analysis: waits.wakeups, readiness, fds, threads), derived by
// hand from the scenario's code in readiness_expected.cpp.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "harness.h"

namespace itest {

// One entry of a process's "fds". local/peer may name a value the workload
// printed ("var NAME VALUE" on stdout) as {NAME}.
struct FdExp {
    int fd = -1;
    std::string kind = "", trigger = "", local = "", peer = "";
    bool oneshot = false;
    uint64_t reported = 0, reads = 0, bytes = 0, eagain = 0, drains = 0, writes = 0;
    uint64_t lt_unread = 0, lt_partial = 0, write_rereports = 0, et_notifications = 0, et_undrained = 0;
    uint64_t herd = 0;       // herd_rereports
    uint64_t et_stalls = 0;  // ET notifications while the fd's previous one was not drained
};

// One entry of "threads"; tid is "{pid}" (the main thread) or {NAME}.
struct ThreadExp {
    std::string tid = "";
    uint64_t waits = 0, wakeups = 0, recv = 0;
    uint64_t ready = 0;  // the positive returns of its waits
};

struct ReadinessExp {
    std::map<std::string, SysExp> sys;  // every other probed syscall: 0 calls
    struct {
        uint64_t calls = 0, empty = 0, ready = 0, wakeups = 0;
    } waits;
    struct {
        uint64_t calls = 0, bytes = 0, eagain = 0, eof = 0, short_ = 0;
    } recv;
    struct {
        uint64_t unread = 0, partial = 0, write_unwritten = 0, et_notifications = 0, et_undrained = 0, herd = 0;
        uint64_t et_stalls = 0;
    } readiness;
    std::vector<FdExp> fds;          // every entry, any order (the test sorts)
    std::vector<ThreadExp> threads;  // every entry
};

struct ReadinessScenario {
    std::string name;
    bool launched_too;  // also traced as `iotrace -- readiness NAME` (set-up free of probed calls)
};

const std::vector<ReadinessScenario>& readiness_scenarios();

ReadinessExp readiness_expected(const std::string& name);

}  // namespace itest
