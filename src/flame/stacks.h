// The weighted-stacks model every flame output renders: per process, stacks
// of frame names (root first) with a weight each. Built from the tracer's
// cells (src/flame/build.h), rendered by folded.h, svg.h and speedscope.h.
// Plain types, no libbpf: the renderers are tested on hand-built stacks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace iotrace::flame {

struct Stack {
    std::vector<std::string> frames;  // root first; the process frame is frames[0]
    uint64_t weight = 0;
};

// What a weight counts (iotrace flame --weight).
enum class Weight {
    Time,   // ns inside the syscall, blocked or not
    Cpu,    // ns on CPU inside the syscall
    Count,  // calls
    Bytes,  // data bytes received and sent
};

// One process (or one grouped entry, src/model/group.h) and its stacks.
struct ProcessStacks {
    int pid = 0;       // the entry's pid (a group's lowest)
    std::string name;  // its frame: "nginx-1234", or the group's label
    std::vector<Stack> stacks;
};

struct Profile {
    Weight weight = Weight::Time;
    std::string title;                   // the SVG's heading, the speedscope file's name
    std::vector<ProcessStacks> processes;  // by pid
    // What the stacks leave out and why, one sentence each ("cpu time of 3
    // syscall rows unknown: left out"); the SVG shows them under the title.
    std::vector<std::string> notes;
};

// The prefix of the IO model's frame ("model: epoll-lt"), so it is not
// taken for the syscall of the same name ("select", "poll").
inline constexpr std::string_view kModelPrefix = "model: ";

// "time", "cpu", "count", "bytes": the --weight names.
std::string_view weight_name(Weight w);
bool weight_from_name(std::string_view name, Weight& out);
// speedscope's unit: "nanoseconds", "none" or "bytes".
std::string_view weight_unit(Weight w);
// How one unit of weight reads in text: "ns", "calls", "bytes".
std::string_view weight_unit_short(Weight w);
// What a weight counts, as the outputs state it: "ns inside syscalls,
// blocked or not", "ns on CPU inside syscalls", "calls", "data bytes
// received and sent".
std::string_view weight_description(Weight w);
// "1,234 ns", "3 calls", "1 byte"... with the digits grouped.
std::string weight_label(Weight w, uint64_t value);

// A frame name every format can carry: ';' (folded's separator) becomes
// ':', control characters (newlines, tabs) become spaces, bytes that are not
// UTF-8 become U+FFFD, leading and trailing spaces go; an empty name becomes
// "[unknown]".
std::string sanitize_frame(std::string_view name);

// Sums the weights of identical stacks, drops those that weigh 0, and sorts
// the rest by their frames (lexicographically, frame by frame), so the same
// stacks in any order give the same result.
std::vector<Stack> merge_stacks(std::vector<Stack> stacks);

// Sum of the weights.
uint64_t total_weight(const std::vector<Stack>& stacks);
uint64_t total_weight(const Profile& profile);

}  // namespace iotrace::flame
