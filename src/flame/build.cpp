#include "flame/build.h"

#include <map>
#include <optional>
#include <utility>

#include "model/syscalls.h"
#include "report/format.h"

namespace iotrace::flame {
namespace {

std::optional<uint64_t> weight_of(const FlameCell& c, Weight w) {
    switch (w) {
        case Weight::Time: return c.time_ns;
        case Weight::Cpu: return c.cpu_ns;
        case Weight::Count: return c.calls;
        case Weight::Bytes: return c.bytes;
    }
    return std::nullopt;
}

std::vector<std::string> frames_of(const FlameCell& c, const StackSymbolizer& symbolize) {
    std::vector<std::string> frames{sanitize_frame(process_frame(c))};
    if (c.tid != 0) frames.push_back(sanitize_frame(c.thread_comm + "-" + std::to_string(c.tid)));
    if (!c.model.empty()) frames.push_back(sanitize_frame(std::string(kModelPrefix) + c.model));
    if (symbolize && c.user_stack_id >= 0) {
        for (const std::string& f : symbolize(c.pid, c.user_stack_id)) frames.push_back(sanitize_frame(f));
    }
    frames.push_back(sanitize_frame(syscall_info(c.sys).name));
    if (!c.fd_kind.empty()) frames.push_back(sanitize_frame(c.fd_kind));
    return frames;
}

}  // namespace

std::string process_frame(const FlameCell& c) {
    if (c.group == 0) return c.comm + "-" + std::to_string(c.pid);
    return c.comm + " \u00d7" + group_digits(c.group) + " (children of PID " + std::to_string(c.ppid) + ")";
}

std::string default_title(Weight weight) {
    switch (weight) {
        case Weight::Time: return "iotrace: time inside syscalls (ns)";
        case Weight::Cpu: return "iotrace: on-CPU time inside syscalls (ns)";
        case Weight::Count: return "iotrace: syscalls (calls)";
        case Weight::Bytes: return "iotrace: data bytes received and sent (bytes)";
    }
    return "iotrace";
}

Profile build_profile(const std::vector<FlameCell>& cells, Weight weight, const StackSymbolizer& symbolize) {
    Profile profile;
    profile.weight = weight;
    profile.title = default_title(weight);
    std::map<std::pair<int, std::string>, std::vector<Stack>> by_process;  // (pid, frame): sorted by pid
    uint64_t unknown = 0;
    for (const FlameCell& c : cells) {
        std::optional<uint64_t> w = weight_of(c, weight);
        if (!w) {
            ++unknown;
            continue;
        }
        Stack s{frames_of(c, symbolize), *w};
        by_process[{c.pid, s.frames.front()}].push_back(std::move(s));
    }
    for (auto& [key, stacks] : by_process) {
        std::vector<Stack> merged = merge_stacks(std::move(stacks));
        if (!merged.empty()) profile.processes.push_back({key.first, key.second, std::move(merged)});
    }
    if (unknown > 0) {
        profile.notes.push_back(std::string(weight_name(weight)) + " not known for " + group_digits(unknown) +
                                (unknown == 1 ? " stack" : " stacks") + ": left out");
    }
    return profile;
}

}  // namespace iotrace::flame
