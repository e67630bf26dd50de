// The workloads of the diagnosis tests do what they say: the deterministic
// modes of tests/workloads/models.c and habits.c, run under `strace -f -c`
// alone (no iotrace), make exactly the calls their comments claim, so a
// wrong diagnosis in diagnosis_models_test.cpp cannot come from a workload
// that does not do what it claims.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "harness.h"

namespace itest {
namespace {

constexpr const char* kWorkload = "models";

// The probed calls each deterministic mode makes (models.c's constants):
// name -> {calls, errors}; calls 0 with errors UINT64_MAX: "at least 1 call".
// Every other probed syscall: none.
struct StraceExp {
    std::string mode;
    std::map<std::string, std::pair<uint64_t, uint64_t>> sys;
    std::string workload = kWorkload;
};

const std::vector<StraceExp>& strace_table() {
    // Event loops: 64 connections accepted in one drain (65 accept4, the
    // last EAGAIN); 250 rounds of 4 requests: 1,000 server reads and writes,
    // 1,000 client writes and reads; one wait for the accepts and >= 250 for
    // the rounds (exactly 251 when every request is queued before the wait).
    static const std::vector<StraceExp> v = {
        {"blocking", {{"accept4", {4, 0}}, {"read", {1204, 0}}, {"write", {1200, 0}}, {"close", {8, 0}}}},
        {"zero-timeout-loaded", {{"epoll_ctl", {1, 0}}, {"epoll_wait", {1000, 0}}, {"read", {900, 0}},
                                 {"write", {900, 0}}}},
        {"epoll-et-drain", {{"epoll_ctl", {4, 0}}, {"epoll_wait", {250, 0}}, {"read", {2000, 1000}},
                            {"write", {1000, 0}}}},
        {"io_uring", {{"io_uring_enter", {200, 0}}}},
        {"epoll-lt", {{"accept4", {65, 1}}, {"epoll_ctl", {65, 0}}, {"epoll_wait", {251, 0}},
                      {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"epoll-et", {{"accept4", {65, 1}}, {"epoll_ctl", {65, 0}}, {"epoll_wait", {251, 0}},
                      {"read", {3000, 1000}}, {"write", {2000, 0}}}},
        {"epoll-mixed", {{"accept4", {65, 1}}, {"epoll_ctl", {65, 0}}, {"epoll_wait", {251, 0}},
                         {"read", {2500, 500}}, {"write", {2000, 0}}}},
        {"epoll-oneshot", {{"accept4", {65, 1}}, {"epoll_ctl", {1065, 0}}, {"epoll_wait", {251, 0}},
                           {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"epoll-et-oneshot", {{"accept4", {65, 1}}, {"epoll_ctl", {1065, 0}}, {"epoll_wait", {251, 0}},
                              {"read", {3000, 1000}}, {"write", {2000, 0}}}},
        {"poll", {{"accept4", {65, 1}}, {"poll", {251, 0}}, {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"select", {{"accept4", {65, 1}}, {"select", {251, 0}}, {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"epoll-accept-one", {{"accept4", {64, 0}}, {"epoll_ctl", {65, 0}}, {"epoll_wait", {314, 0}},
                              {"read", {2000, 0}}, {"write", {2000, 0}}}},
        {"idle", {}},
        {"idle-waits", {{"epoll_wait", {20, 0}}}},
        // habits.c, with -f: socat-relay's client process writes and reads
        // each request too (200 each, and its close).
        {"socat-accept", {{"pselect6", {10, 0}}, {"recvfrom", {92, 92}}, {"accept4", {10, 0}}, {"close", {10, 0}}},
         "habits"},
        {"socat-relay", {{"pselect6", {201, 0}}, {"read", {401, 0}}, {"recvfrom", {1400, 1400}}, {"write", {400, 0}},
                         {"close", {2, 0}}},
         "habits"},
    };
    return v;
}

TEST(DiagnosisModelsStrace, WorkloadsMakeTheCallsTheyClaim) {
    TempDir tmp;
    for (const auto& e : strace_table()) {
        SCOPED_TRACE(e.mode);
        std::string summary = tmp.path(e.mode + ".txt");
        Child st({"/usr/bin/strace", "-f", "-c", "-U", "name,calls,errors", "-o", summary, workload(e.workload),
                  e.mode});
        ASSERT_TRUE(st.wait_exit());
        ASSERT_EQ(st.exit_code(), 0) << st.err();
        auto got = parse_strace_summary(read_file(summary));
        ASSERT_FALSE(got.empty()) << read_file(summary);
        for (const std::string& name : probed_syscalls()) {
            auto want = e.sys.count(name) ? e.sys.at(name) : std::pair<uint64_t, uint64_t>{0, 0};
            SysExp s = got.count(name) ? got.at(name) : SysExp{};
            if (name == "epoll_wait" || name == "poll" || name == "select") {
                // A request not yet queued when the loop waits costs one more wait.
                EXPECT_GE(s.calls, want.first) << name << " calls";
                EXPECT_LE(s.calls, want.first + want.first / 10) << name << " calls";
            } else {
                EXPECT_EQ(s.calls, want.first) << name << " calls";
            }
            EXPECT_EQ(s.errors, want.second) << name << " errors";
        }
    }
}

// The busy modes spin a variable number of times: what is fixed is the data
// (100 sends, every receive that is not EAGAIN returns data) and that the
// spinning calls are the ones named.
TEST(DiagnosisModelsStrace, BusyModesSpin) {
    TempDir tmp;
    for (const std::string mode : {"busy-poll", "busy-poll-epoll"}) {
        SCOPED_TRACE(mode);
        std::string summary = tmp.path(mode + ".txt");
        Child st({"/usr/bin/strace", "-f", "-c", "-U", "name,calls,errors", "-o", summary, workload(kWorkload), mode});
        ASSERT_TRUE(st.wait_exit());
        ASSERT_EQ(st.exit_code(), 0) << st.err();
        auto got = parse_strace_summary(read_file(summary));
        EXPECT_EQ(got["sendto"].calls, 100u);
        EXPECT_EQ(got["sendto"].errors, 0u);
        if (mode == "busy-poll") {
            EXPECT_GT(got["recvfrom"].errors, 100u) << "EAGAIN spins";
            EXPECT_EQ(got["recvfrom"].calls - got["recvfrom"].errors, 100u) << "one receive per message";
        } else {
            EXPECT_GT(got["epoll_wait"].calls, 100u);
            EXPECT_EQ(got["recvfrom"].calls, 100u);
            EXPECT_EQ(got["recvfrom"].errors, 0u);
        }
    }
}

}  // namespace
}  // namespace itest
