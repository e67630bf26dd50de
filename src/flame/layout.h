// Where each frame of a flame graph goes, in weight units, before any pixel
// or colour: stacks sharing a prefix share its frames; children sit left to
// right in the order of the stacks (merge_stacks sorts them by name), each
// as wide as the weight below it. The SVG renderer scales this to pixels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "flame/stacks.h"

namespace iotrace::flame {

struct FrameBox {
    std::string name;
    int depth = 0;       // 0: the root ("all"); 1: the processes; ...
    uint64_t start = 0;  // weight to the left of the box, from the root's left edge
    uint64_t weight = 0;
    uint64_t self = 0;   // weight of stacks that end at this frame
};

struct Layout {
    std::vector<FrameBox> boxes;  // parents before children, siblings left to right
    uint64_t total = 0;           // the root's weight
    int max_depth = 0;
};

// The root box "all" spans every process's stacks (processes in the
// profile's order); stacks within a process are taken in their order, and a
// frame merges with its left neighbour when both have the same parent and
// name. Boxes of weight 0 are not made.
Layout layout_flame(const Profile& profile);

}  // namespace iotrace::flame
