// The probed syscalls: kernel names and which family each belongs to.
#pragma once

#include <cstdint>
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

// Names of enum iot_fd_kind ("tcp", "pipe", ...) and enum iot_trigger
// ("lt", "et", "oneshot", "select", "poll"; "" for none).
std::string_view fd_kind_name(uint32_t kind);
std::string_view trigger_name(uint32_t trigger);

}  // namespace iotrace
