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
    "task_storage_full", "ringbuf_full", "kernel_read_failed",
};

}  // namespace

const SyscallInfo& syscall_info(int sys) { return kSyscalls.at(static_cast<size_t>(sys)); }

std::optional<int> syscall_by_name(std::string_view name) {
    for (size_t i = 0; i < kSyscalls.size(); ++i)
        if (kSyscalls[i].name == name) return static_cast<int>(i);
    return std::nullopt;
}

std::string_view lost_reason_name(int reason) { return kLostReasons.at(static_cast<size_t>(reason)); }

}  // namespace iotrace
