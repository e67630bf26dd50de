#include "syscalls.h"

#include <array>

namespace iotrace {
namespace {

constexpr std::array<SyscallInfo, IOT_NR_SYS> kSyscalls = {{
    {"select", SyscallFamily::Wait},
    {"pselect6", SyscallFamily::Wait},
    {"poll", SyscallFamily::Wait},
    {"ppoll", SyscallFamily::Wait},
    {"epoll_wait", SyscallFamily::Wait},
    {"epoll_pwait", SyscallFamily::Wait},
    {"epoll_pwait2", SyscallFamily::Wait},
    {"epoll_ctl", SyscallFamily::EpollCtl},
    {"recvfrom", SyscallFamily::Recv},
    {"recvmsg", SyscallFamily::Recv},
    {"recvmmsg", SyscallFamily::Recv},
    {"read", SyscallFamily::Recv},
    {"readv", SyscallFamily::Recv},
    {"sendto", SyscallFamily::Send},
    {"sendmsg", SyscallFamily::Send},
    {"sendmmsg", SyscallFamily::Send},
    {"write", SyscallFamily::Send},
    {"writev", SyscallFamily::Send},
    {"accept", SyscallFamily::Accept},
    {"accept4", SyscallFamily::Accept},
    {"close", SyscallFamily::Close},
    {"io_uring_enter", SyscallFamily::AsyncIo},
}};

constexpr std::array<std::string_view, IOT_LOST_NR> kLostReasons = {
    "proc_map_full", "target_map_full", "user_read_failed", "loop_bound",
    "task_storage_full", "ringbuf_full", "kernel_read_failed", "unknown_epoll_registration",
    "fd_map_full", "et_pending_overflow", "offcpu_slot_shared", "epoll_fd_slots_full",
};

constexpr std::array<std::string_view, 11> kFdKinds = {
    "other", "tcp", "tcp6", "udp", "unix", "pipe", "eventfd", "timerfd", "signalfd", "epoll", "file",
};

constexpr std::array<std::string_view, 6> kTriggers = {"", "lt", "et", "oneshot", "select", "poll"};

// A value added to an enum in bpf/iotrace.h needs its name here: an unnamed
// lost reason would otherwise become the JSON key "".
static_assert(!kLostReasons.back().empty(), "a lost reason has no name");
static_assert(kFdKinds.size() == IOT_KIND_FILE + 1, "enum iot_fd_kind and kFdKinds differ");
static_assert(kTriggers.size() == IOT_TRIG_POLL + 1, "enum iot_trigger and kTriggers differ");

}  // namespace

const SyscallInfo& syscall_info(int sys) { return kSyscalls.at(static_cast<size_t>(sys)); }

std::optional<int> syscall_by_name(std::string_view name) {
    for (size_t i = 0; i < kSyscalls.size(); ++i)
        if (kSyscalls[i].name == name) return static_cast<int>(i);
    return std::nullopt;
}

std::string_view lost_reason_name(int reason) { return kLostReasons.at(static_cast<size_t>(reason)); }

std::string_view fd_kind_name(uint32_t kind) { return kind < kFdKinds.size() ? kFdKinds[kind] : "other"; }

std::string_view trigger_name(uint32_t trigger) { return trigger < kTriggers.size() ? kTriggers[trigger] : ""; }

}  // namespace iotrace
