// Cells to weighted stacks: the merge step of a flame output. Frames, root
// first: process ("nginx-1234"), thread ("nginx-1235"), IO model
// ("model: epoll-et"), [user stack], syscall ("epoll_wait"), fd kind ("tcp").
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "flame/cell.h"
#include "flame/stacks.h"

namespace iotrace::flame {

// The frames of a user stack, root (outermost caller) first; the builder
// sanitizes them. Empty: the id is unknown (no frames inserted).
using StackSymbolizer = std::function<std::vector<std::string>(int pid, int64_t stack_id)>;

// The process frame of a cell: "nginx-1234", or "httpd ×412 (children of PID 100)".
std::string process_frame(const FlameCell& cell);

// The stacks of `weight`, one ProcessStacks per pid (sorted by pid), each
// merged (merge_stacks). A cell whose figure for `weight` is not known
// (cpu_ns or bytes nullopt) is left out and counted in the notes;
// a process whose stacks all weigh 0 is left out. User
// stacks are inserted only with a symbolizer and a cell's user_stack_id >= 0.
Profile build_profile(const std::vector<FlameCell>& cells, Weight weight, const StackSymbolizer& symbolize = {});

// "iotrace: time inside syscalls (ns)", ... : the title build_profile gives.
std::string default_title(Weight weight);

}  // namespace iotrace::flame
