#include "flame/layout.h"

#include <algorithm>

namespace iotrace::flame {

Layout layout_flame(const Profile& profile) {
    Layout out;
    out.total = total_weight(profile);
    if (out.total == 0) return out;
    out.boxes.push_back({"all", 0, 0, out.total, 0});
    // open[d]: index in out.boxes of the box at depth d on the previous
    // stack's path (each ends at x); the next stack extends those whose
    // frames it shares from the root down.
    std::vector<size_t> open{0};
    uint64_t x = 0;
    for (const ProcessStacks& p : profile.processes) {
        for (const Stack& s : p.stacks) {
            if (s.weight == 0) continue;
            size_t shared = 0;  // frames shared with the open path
            while (shared < s.frames.size() && shared + 1 < open.size() &&
                   out.boxes[open[shared + 1]].name == s.frames[shared])
                ++shared;
            open.resize(shared + 1);
            for (size_t d = 0; d < shared; ++d) out.boxes[open[d + 1]].weight += s.weight;
            for (size_t d = shared; d < s.frames.size(); ++d) {
                int depth = static_cast<int>(d) + 1;
                out.boxes.push_back({s.frames[d], depth, x, s.weight, 0});
                open.push_back(out.boxes.size() - 1);
                out.max_depth = std::max(out.max_depth, depth);
            }
            out.boxes[open.back()].self += s.weight;
            x += s.weight;
        }
    }
    return out;
}

}  // namespace iotrace::flame
