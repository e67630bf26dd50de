// The readiness part of the fold: the new iot_proc fields summed over CPUs,
// and fd_from_raw (names, printable addresses, derived sums).
#include <gtest/gtest.h>

#include <arpa/inet.h>

#include <cstring>
#include <vector>

#include "model/fold.h"
#include "model/syscalls.h"

namespace iotrace {
namespace {

// Four CPUs whose readiness counters differ per CPU and per field.
std::vector<iot_proc> four_cpus() {
    std::vector<iot_proc> cpus(4);  // value-initialised: all zero
    for (uint64_t c = 0; c < cpus.size(); ++c) {
        iot_proc& v = cpus[c];
        v.wait_wakeups = 1 + c;                  // 10
        v.wait_cpu_ns = 1000 * (c + 1);          // 10000
        v.lt_rereports_unread = 10 * (c + 1);    // 100
        v.lt_rereports_partial = 3 + c;          // 18
        v.write_rereports_unwritten = 7 * c;     // 42
        v.et_notifications = 100 + c;            // 406
        v.et_undrained = c * c;                  // 14
        v.herd_rereports = 5 + 2 * c;            // 32
        v.wait_zero_timeout = 20 + c;            // 86
        v.wait_zero_timeout_empty = 2 * c + 1;   // 16
        v.et_stalls = 2 + 3 * c;                 // 26
    }
    return cpus;
}

TEST(FoldReadiness, SumsTheNewFieldsOverCpus) {
    auto cpus = four_cpus();
    ProcessStats out;
    fold_percpu(cpus.data(), cpus.size(), out);
    EXPECT_EQ(out.waits.wakeups, 10u);
    EXPECT_EQ(out.waits.cpu_ns, 10000u);
    EXPECT_EQ(out.readiness.lt_rereports_unread, 100u);
    EXPECT_EQ(out.readiness.lt_rereports_partial, 18u);
    EXPECT_EQ(out.readiness.lt_rereports, 118u);  // unread + partial
    EXPECT_EQ(out.readiness.write_rereports_unwritten, 42u);
    EXPECT_EQ(out.readiness.et_notifications, 406u);
    EXPECT_EQ(out.readiness.et_undrained, 14u);
    EXPECT_EQ(out.readiness.herd_rereports, 32u);
    EXPECT_EQ(out.waits.zero_timeout, 86u);
    EXPECT_EQ(out.waits.zero_timeout_empty, 16u);
    EXPECT_EQ(out.readiness.et_stalls, 26u);
}

TEST(FoldReadiness, OnlyTheCpusAskedFor) {
    auto cpus = four_cpus();
    ProcessStats out;
    fold_percpu(cpus.data(), 2, out);
    EXPECT_EQ(out.waits.wakeups, 3u);
    EXPECT_EQ(out.waits.cpu_ns, 3000u);
    EXPECT_EQ(out.readiness.lt_rereports, 30u + 7u);
    EXPECT_EQ(out.readiness.write_rereports_unwritten, 7u);
    EXPECT_EQ(out.readiness.et_undrained, 1u);
    EXPECT_EQ(out.readiness.herd_rereports, 12u);
    EXPECT_EQ(out.readiness.et_stalls, 2u + 5u);
}

// The tracer folds into the same ProcessStats on every refresh; fds and
// threads are filled by the tracer from other maps and are left alone.
TEST(FoldReadiness, RefoldReplacesAndKeepsFdsAndThreads) {
    auto cpus = four_cpus();
    ProcessStats out;
    FdStats f;
    f.fd = 5;
    out.fds.push_back(f);
    ThreadStats t;
    t.tid = 77;
    out.threads.push_back(t);
    fold_percpu(cpus.data(), cpus.size(), out);
    fold_percpu(cpus.data(), cpus.size(), out);
    EXPECT_EQ(out.waits.wakeups, 10u);
    EXPECT_EQ(out.readiness.lt_rereports, 118u);
    EXPECT_EQ(out.readiness.et_notifications, 406u);
    ASSERT_EQ(out.fds.size(), 1u);
    EXPECT_EQ(out.fds[0].fd, 5);
    ASSERT_EQ(out.threads.size(), 1u);
    EXPECT_EQ(out.threads[0].tid, 77);
}

// ------------------------------------------------------------ fd_from_raw

void set_v4(uint8_t out[16], const char* addr) { ASSERT_EQ(inet_pton(AF_INET, addr, out), 1); }
void set_v6(uint8_t out[16], const char* addr) { ASSERT_EQ(inet_pton(AF_INET6, addr, out), 1); }

TEST(FdFromRaw, CopiesEveryCounterAndSumsLtRereports) {
    iot_fd raw{};
    raw.reported = 11;
    raw.reads = 12;
    raw.bytes = 13;
    raw.eagain = 14;
    raw.drains = 15;
    raw.writes = 16;
    raw.lt_rereports_unread = 17;
    raw.lt_rereports_partial = 18;
    raw.write_rereports = 19;
    raw.et_notifications = 20;
    raw.et_undrained = 21;
    raw.herd_rereports = 22;
    raw.et_stalls = 23;
    raw.et_drains_at_notify = 4;  // kernel-side state: not a figure
    raw.et_closes_at_notify = 5;
    raw.closes = 3;
    raw.stale = 1;
    raw.kind = IOT_KIND_PIPE;
    raw.trigger = IOT_TRIG_POLL;
    FdStats f = fd_from_raw(42, raw);
    EXPECT_EQ(f.fd, 42);
    EXPECT_EQ(f.kind, "pipe");
    EXPECT_EQ(f.trigger, "poll");
    EXPECT_EQ(f.reported, 11u);
    EXPECT_EQ(f.reads, 12u);
    EXPECT_EQ(f.bytes, 13u);
    EXPECT_EQ(f.eagain, 14u);
    EXPECT_EQ(f.drains, 15u);
    EXPECT_EQ(f.writes, 16u);
    EXPECT_EQ(f.lt_rereports_unread, 17u);
    EXPECT_EQ(f.lt_rereports_partial, 18u);
    EXPECT_EQ(f.lt_rereports, 35u);
    EXPECT_EQ(f.write_rereports, 19u);
    EXPECT_EQ(f.et_notifications, 20u);
    EXPECT_EQ(f.et_undrained, 21u);
    EXPECT_EQ(f.herd_rereports, 22u);
    EXPECT_EQ(f.et_stalls, 23u);
    EXPECT_FALSE(f.oneshot);
}

// EPOLLET|EPOLLONESHOT: trigger et, and the oneshot flag beside it.
TEST(FdFromRaw, OneshotFlagBesideTheTrigger) {
    iot_fd raw{};
    raw.trigger = IOT_TRIG_ET;
    raw.oneshot = 1;
    FdStats f = fd_from_raw(9, raw);
    EXPECT_EQ(f.trigger, "et");
    EXPECT_TRUE(f.oneshot);
    raw.trigger = IOT_TRIG_ONESHOT;
    EXPECT_EQ(fd_from_raw(9, raw).trigger, "oneshot");
    EXPECT_TRUE(fd_from_raw(9, raw).oneshot);
}

TEST(FdFromRaw, EveryKindName) {
    const char* names[] = {"other", "tcp",      "tcp6",  "udp",  "unix", "pipe",
                           "eventfd", "timerfd", "signalfd", "epoll", "file"};
    ASSERT_EQ(sizeof(names) / sizeof(names[0]), static_cast<size_t>(IOT_KIND_FILE) + 1);
    for (uint32_t k = IOT_KIND_OTHER; k <= IOT_KIND_FILE; ++k) {
        iot_fd raw{};
        raw.kind = k;
        EXPECT_EQ(fd_from_raw(3, raw).kind, names[k]) << k;
        EXPECT_EQ(fd_kind_name(k), names[k]) << k;
    }
    EXPECT_EQ(fd_kind_name(IOT_KIND_FILE + 1), "other");  // a newer kernel side's kind
    EXPECT_EQ(fd_kind_name(0xffffffffu), "other");
}

TEST(FdFromRaw, EveryTriggerName) {
    const char* names[] = {"", "lt", "et", "oneshot", "select", "poll"};
    ASSERT_EQ(sizeof(names) / sizeof(names[0]), static_cast<size_t>(IOT_TRIG_POLL) + 1);
    for (uint32_t t = IOT_TRIG_NONE; t <= IOT_TRIG_POLL; ++t) {
        iot_fd raw{};
        raw.trigger = t;
        EXPECT_EQ(fd_from_raw(3, raw).trigger, names[t]) << t;
        EXPECT_EQ(trigger_name(t), names[t]) << t;
    }
    EXPECT_EQ(trigger_name(IOT_TRIG_POLL + 1), "");
}

TEST(FdFromRaw, NewLostReasonNames) {
    EXPECT_EQ(lost_reason_name(IOT_LOST_UNKNOWN_REG), "unknown_epoll_registration");
    EXPECT_EQ(lost_reason_name(IOT_LOST_FD_MAP_FULL), "fd_map_full");
    EXPECT_EQ(lost_reason_name(IOT_LOST_ET_PENDING), "et_pending_overflow");
    EXPECT_EQ(lost_reason_name(IOT_LOST_OFFCPU_SLOT), "offcpu_slot_shared");
    EXPECT_EQ(lost_reason_name(IOT_LOST_EPFD_SLOTS), "epoll_fd_slots_full");
}

TEST(FdFromRaw, TcpIpv4ConnectedAndListening) {
    iot_fd raw{};
    raw.kind = IOT_KIND_TCP;
    set_v4(raw.local, "127.0.0.1");
    set_v4(raw.peer, "10.1.2.3");
    raw.local_port = 8080;
    raw.peer_port = 51234;
    FdStats f = fd_from_raw(7, raw);
    EXPECT_EQ(f.local, "127.0.0.1:8080");
    EXPECT_EQ(f.peer, "10.1.2.3:51234");

    iot_fd lis{};
    lis.kind = IOT_KIND_TCP;
    lis.local_port = 8080;  // 0.0.0.0, no peer
    FdStats l = fd_from_raw(3, lis);
    EXPECT_EQ(l.local, "0.0.0.0:8080");
    EXPECT_EQ(l.peer, "");
}

TEST(FdFromRaw, PeerEmptyWhenPeerPortZeroEvenWithAnAddress) {
    iot_fd raw{};
    raw.kind = IOT_KIND_UDP;
    set_v4(raw.local, "192.168.0.10");
    set_v4(raw.peer, "192.168.0.1");
    raw.local_port = 5353;
    raw.peer_port = 0;
    FdStats f = fd_from_raw(4, raw);
    EXPECT_EQ(f.local, "192.168.0.10:5353");
    EXPECT_EQ(f.peer, "");
}

TEST(FdFromRaw, Tcp6) {
    iot_fd raw{};
    raw.kind = IOT_KIND_TCP6;
    set_v6(raw.local, "::1");
    set_v6(raw.peer, "::1");
    raw.local_port = 80;
    raw.peer_port = 40000;
    FdStats f = fd_from_raw(5, raw);
    EXPECT_EQ(f.local, "[::1]:80");
    EXPECT_EQ(f.peer, "[::1]:40000");

    iot_fd any{};  // a tcp6 listener on [::]: all-zero bytes, still IPv6
    any.kind = IOT_KIND_TCP6;
    any.local_port = 443;
    EXPECT_EQ(fd_from_raw(6, any).local, "[::]:443");
}

TEST(FdFromRaw, V4MappedV6PrintsAsIpv4) {
    iot_fd raw{};
    raw.kind = IOT_KIND_TCP6;
    set_v6(raw.local, "::ffff:127.0.0.1");
    set_v6(raw.peer, "::ffff:10.0.0.2");
    raw.local_port = 8080;
    raw.peer_port = 1025;
    FdStats f = fd_from_raw(8, raw);
    EXPECT_EQ(f.local, "127.0.0.1:8080");
    EXPECT_EQ(f.peer, "10.0.0.2:1025");
}

TEST(FdFromRaw, UdpFamilyToldByTheBytes) {
    iot_fd raw{};
    raw.kind = IOT_KIND_UDP;
    set_v6(raw.local, "fe80::1");
    raw.local_port = 546;
    EXPECT_EQ(fd_from_raw(9, raw).local, "[fe80::1]:546");

    iot_fd v4{};
    v4.kind = IOT_KIND_UDP;
    set_v4(v4.local, "127.0.0.53");
    v4.local_port = 53;
    EXPECT_EQ(fd_from_raw(9, v4).local, "127.0.0.53:53");
}

// The kernel re-classifies a reused fd number in place and only writes the
// 4 address bytes of an IPv4 socket: bytes left from a tcp6 socket must not
// turn a tcp (AF_INET) address into an IPv6 one.
TEST(FdFromRaw, TcpIgnoresBytesPastTheIpv4Address) {
    iot_fd raw{};
    raw.kind = IOT_KIND_TCP;
    set_v6(raw.local, "2001:db8::7");
    set_v6(raw.peer, "2001:db8::8");
    set_v4(raw.local, "127.0.0.1");  // overwrites the first 4 bytes only
    set_v4(raw.peer, "127.0.0.2");
    raw.local_port = 8080;
    raw.peer_port = 33000;
    FdStats f = fd_from_raw(10, raw);
    EXPECT_EQ(f.local, "127.0.0.1:8080");
    EXPECT_EQ(f.peer, "127.0.0.2:33000");
}

TEST(FdFromRaw, NonSocketKindsHaveNoAddresses) {
    for (uint32_t k : {IOT_KIND_OTHER, IOT_KIND_UNIX, IOT_KIND_PIPE, IOT_KIND_EVENTFD, IOT_KIND_TIMERFD,
                       IOT_KIND_SIGNALFD, IOT_KIND_EPOLL, IOT_KIND_FILE}) {
        iot_fd raw{};
        raw.kind = k;
        // what a socket that used the number before may have left behind
        set_v4(raw.local, "127.0.0.1");
        set_v4(raw.peer, "127.0.0.1");
        raw.local_port = 8080;
        raw.peer_port = 9090;
        FdStats f = fd_from_raw(11, raw);
        EXPECT_EQ(f.local, "") << fd_kind_name(k);
        EXPECT_EQ(f.peer, "") << fd_kind_name(k);
    }
}

}  // namespace
}  // namespace iotrace
