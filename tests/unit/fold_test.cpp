// fold_percpu: per-CPU sums and the derived family figures.
#include <gtest/gtest.h>

#include <vector>

#include "model/fold.h"
#include "model/syscalls.h"

namespace iotrace {
namespace {

// Three CPUs whose counters differ per CPU, syscall and field, so a sum that
// skipped a CPU, a field or a syscall shows up as a wrong number.
std::vector<iot_proc> three_cpus() {
    std::vector<iot_proc> cpus(3);  // value-initialised: all zero
    for (uint64_t c = 0; c < cpus.size(); ++c) {
        iot_proc& v = cpus[c];
        for (uint64_t s = 0; s < IOT_NR_SYS; ++s) {
            v.sys[s].calls = 100 * (s + 1) + c;  // sum over c=0,1,2: 300(s+1) + 3
            v.sys[s].errors = 10 * (s + 1) + c;  // 30(s+1) + 3
            v.sys[s].eagain = s + 1 + c;         // 3(s+1) + 3
            v.sys[s].time_ns = 1000 * (s + 1) * (c + 1);  // 6000(s+1)
            v.sys[s].hist[0] = c;                // 3
            v.sys[s].hist[IOT_HIST_SLOTS - 1] = s + c;  // 3s + 3
        }
        v.wait_empty = 1 + c;       // 6
        v.wait_ready = 10 + c;      // 33
        v.wait_watched = 100 + c;   // 303
        v.wait_scanned = 1000 + c;  // 3003
        v.recv_bytes = 5000 * (c + 1);  // 30000
        v.recv_eof = 2 * (c + 1);       // 12
        v.recv_short = 3 * (c + 1);     // 18
        v.send_bytes = 700 * (c + 1);   // 4200
        v.copy_wait_in = 8 * (c + 1);   // 48
        v.copy_wait_out = 2 * (c + 1);  // 12
    }
    return cpus;
}

uint64_t calls_of(int s) { return 300u * (s + 1) + 3; }
uint64_t eagain_of(int s) { return 3u * (s + 1) + 3; }
uint64_t time_of(int s) { return 6000u * (s + 1); }

TEST(Fold, SumsEveryPerSyscallCounterOverCpus) {
    auto cpus = three_cpus();
    ProcessStats out;
    fold_percpu(cpus.data(), cpus.size(), out);
    for (int s = 0; s < IOT_NR_SYS; ++s) {
        SCOPED_TRACE(syscall_info(s).name);
        const SyscallStats& st = out.syscalls[s];
        EXPECT_EQ(st.calls, calls_of(s));
        EXPECT_EQ(st.errors, 30u * (s + 1) + 3);
        EXPECT_EQ(st.eagain, eagain_of(s));
        EXPECT_EQ(st.time_ns, time_of(s));
        EXPECT_EQ(st.hist_log2_ns[0], 3u);
        EXPECT_EQ(st.hist_log2_ns[1], 0u);
        EXPECT_EQ(st.hist_log2_ns[IOT_HIST_SLOTS - 1], 3u * s + 3);
    }
}

TEST(Fold, SumsTheRawExtras) {
    auto cpus = three_cpus();
    ProcessStats out;
    fold_percpu(cpus.data(), cpus.size(), out);
    EXPECT_EQ(out.waits.empty, 6u);
    EXPECT_EQ(out.waits.ready, 33u);
    EXPECT_EQ(out.waits.watched, 303u);
    EXPECT_EQ(out.waits.scanned, 3003u);
    EXPECT_EQ(out.recv.bytes, 30000u);
    EXPECT_EQ(out.recv.eof, 12u);
    EXPECT_EQ(out.recv.short_reads, 18u);
    EXPECT_EQ(out.send.bytes, 4200u);
    EXPECT_EQ(out.copy.wait_in_bytes, 48u);
    EXPECT_EQ(out.copy.wait_out_bytes, 12u);
    // The data bytes copied are the bytes received and sent.
    EXPECT_EQ(out.copy.recv_bytes, 30000u);
    EXPECT_EQ(out.copy.send_bytes, 4200u);
}

TEST(Fold, WaitFamilyIsTheSevenWaitSyscalls) {
    auto cpus = three_cpus();
    ProcessStats out;
    fold_percpu(cpus.data(), cpus.size(), out);
    const int waits[] = {IOT_SELECT,     IOT_PSELECT6,    IOT_POLL,        IOT_PPOLL,
                         IOT_EPOLL_WAIT, IOT_EPOLL_PWAIT, IOT_EPOLL_PWAIT2};
    uint64_t calls = 0, time = 0;
    for (int s : waits) {
        calls += calls_of(s);
        time += time_of(s);
    }
    EXPECT_EQ(out.waits.calls, calls);
    EXPECT_EQ(out.waits.time_ns, time);
    // Spelled out once, so a wrong helper cannot agree with a wrong fold:
    // calls = 300 * (1+...+7) + 7*3, time = 6000 * (1+...+7).
    EXPECT_EQ(out.waits.calls, 300u * 28 + 21);
    EXPECT_EQ(out.waits.time_ns, 6000u * 28);
}

TEST(Fold, RecvAndSendFamilies) {
    auto cpus = three_cpus();
    ProcessStats out;
    fold_percpu(cpus.data(), cpus.size(), out);
    const int recv[] = {IOT_RECVFROM, IOT_RECVMSG, IOT_RECVMMSG, IOT_READ, IOT_READV};
    const int send[] = {IOT_SENDTO, IOT_SENDMSG, IOT_SENDMMSG, IOT_WRITE, IOT_WRITEV};
    uint64_t rc = 0, re = 0, sc = 0, se = 0;
    for (int s : recv) {
        rc += calls_of(s);
        re += eagain_of(s);
    }
    for (int s : send) {
        sc += calls_of(s);
        se += eagain_of(s);
    }
    EXPECT_EQ(out.recv.calls, rc);
    EXPECT_EQ(out.recv.eagain, re);
    EXPECT_EQ(out.send.calls, sc);
    EXPECT_EQ(out.send.eagain, se);
}

// epoll_ctl, accept, accept4, close and io_uring_enter count in the table but
// in no family: calls on them alone must leave every family at zero.
TEST(Fold, OtherSyscallsBelongToNoFamily) {
    std::vector<iot_proc> cpus(2);
    for (int s : {IOT_EPOLL_CTL, IOT_ACCEPT, IOT_ACCEPT4, IOT_CLOSE, IOT_IO_URING_ENTER}) {
        cpus[0].sys[s].calls = 5;
        cpus[1].sys[s].calls = 7;
        cpus[1].sys[s].eagain = 2;
        cpus[0].sys[s].time_ns = 900;
    }
    ProcessStats out;
    fold_percpu(cpus.data(), cpus.size(), out);
    EXPECT_EQ(out.syscalls[IOT_EPOLL_CTL].calls, 12u);
    EXPECT_EQ(out.syscalls[IOT_IO_URING_ENTER].eagain, 2u);
    EXPECT_EQ(out.waits.calls, 0u);
    EXPECT_EQ(out.waits.time_ns, 0u);
    EXPECT_EQ(out.recv.calls, 0u);
    EXPECT_EQ(out.recv.eagain, 0u);
    EXPECT_EQ(out.send.calls, 0u);
    EXPECT_EQ(out.send.eagain, 0u);
}

// The output is overwritten, not added to: the tracer folds into the same
// ProcessStats on every refresh.
TEST(Fold, RefoldingReplacesPreviousFigures) {
    auto cpus = three_cpus();
    ProcessStats out;
    fold_percpu(cpus.data(), cpus.size(), out);
    fold_percpu(cpus.data(), cpus.size(), out);
    EXPECT_EQ(out.syscalls[IOT_READ].calls, calls_of(IOT_READ));
    EXPECT_EQ(out.waits.calls, 300u * 28 + 21);
    EXPECT_EQ(out.recv.bytes, 30000u);
}

TEST(Fold, LeavesIdentityFieldsAlone) {
    auto cpus = three_cpus();
    ProcessStats out;
    out.pid = 42;
    out.ppid = 7;
    out.comm = "srv";
    out.exited = true;
    fold_percpu(cpus.data(), 2, out);
    EXPECT_EQ(out.pid, 42);
    EXPECT_EQ(out.ppid, 7);
    EXPECT_EQ(out.comm, "srv");
    EXPECT_TRUE(out.exited);
    // Only the first two CPUs: 100(s+1) + 0 + 100(s+1) + 1.
    EXPECT_EQ(out.syscalls[IOT_SELECT].calls, 201u);
}

}  // namespace
}  // namespace iotrace
