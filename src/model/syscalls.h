// The probed syscalls: kernel names and which family each belongs to.
#pragma once

#include <optional>
#include <string_view>

#include "iotrace.h"

namespace iotrace {

enum class SyscallFamily { Wait, EpollCtl, Recv, Send, Accept, Close, AsyncIo };

struct SyscallInfo {
    std::string_view name;  // the kernel's name, as in /sys/kernel/tracing/events/syscalls
    SyscallFamily family;
};

const SyscallInfo& syscall_info(int sys);  // sys is an enum iot_sys value
std::optional<int> syscall_by_name(std::string_view name);

// Names of enum iot_lost, for reports ("proc_map_full", ...).
std::string_view lost_reason_name(int reason);

}  // namespace iotrace
