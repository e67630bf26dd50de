// How a refused program is found in libbpf's messages: its name, and the
// verifier's verdict at the end of a log that arrives as one long message.
#include <gtest/gtest.h>

#include <bpf/libbpf.h>

#include <cstdarg>
#include <string>

#include "tracer/libbpf_log.h"

using namespace iotrace;

namespace {

libbpf_print_fn_t g_fn = nullptr;

void say(const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    g_fn(LIBBPF_WARN, fmt, args);
    va_end(args);
}

class LibbpfLog : public ::testing::Test {
protected:
    void SetUp() override {
        libbpf_log_init(false);
        g_fn = libbpf_set_print(nullptr);  // ours, as installed
        libbpf_set_print(g_fn);
        libbpf_log_reset_failure();
    }
};

}  // namespace

TEST_F(LibbpfLog, NamesTheRefusedProgramAndTheVerdict) {
    std::string log(200000, 'x');  // megabytes arrive in one message: nothing may be cut
    log += "\n12: (0f) r5 += r3\nmath between map_value pointer and register with unbounded min value is not allowed\n"
           "processed 484 insns (limit 1000000) max_states_per_insn 2 total_states 40 peak_states 40 mark_read 13\n";
    say("libbpf: prog '%s': BPF program load failed: %s\n", "exit_recv", "Invalid argument");
    say("libbpf: prog '%s': -- BEGIN PROG LOAD LOG --\n%s-- END PROG LOAD LOG --\n", "exit_recv", log.c_str());
    say("libbpf: prog '%s': failed to load: -22\n", "exit_recv");
    auto f = libbpf_log_failure();
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->program, "exit_recv");
    EXPECT_EQ(f->error, "Invalid argument");
    EXPECT_EQ(f->last_line, "math between map_value pointer and register with unbounded min value is not allowed");
    EXPECT_EQ(f->verifier_log.size(), log.size());
}

TEST_F(LibbpfLog, KeepsTheFirstFailure) {
    say("libbpf: prog '%s': BPF program load failed: %s\n", "exit_select", "Permission denied");
    say("libbpf: prog '%s': BPF program load failed: %s\n", "exit_poll", "Permission denied");
    ASSERT_TRUE(libbpf_log_failure().has_value());
    EXPECT_EQ(libbpf_log_failure()->program, "exit_select");
    EXPECT_EQ(libbpf_log_failure()->last_line, "");
    libbpf_log_reset_failure();
    EXPECT_FALSE(libbpf_log_failure().has_value());
}

TEST_F(LibbpfLog, NoProgramNoFailure) {
    say("libbpf: map '%s': failed to create: %s\n", "inflight", "Invalid argument");
    EXPECT_FALSE(libbpf_log_failure().has_value());
}

TEST(VerifierVerdict, SkipsStatistics) {
    EXPECT_EQ(verifier_verdict("0: R1=ctx()\nBPF program is too large. Processed 1000001 insn\n"
                               "processed 1000001 insns (limit 1000000) max_states_per_insn 4\n"),
              "BPF program is too large. Processed 1000001 insn");
    EXPECT_EQ(verifier_verdict("combined stack size of 4 calls is 544. Too large\nverification time 5 usec\n"
                               "stack depth 96+0\nprocessed 3 insns\n"),
              "combined stack size of 4 calls is 544. Too large");
    EXPECT_EQ(verifier_verdict(""), "");
}
