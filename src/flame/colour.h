// A frame's colour, from its name alone, so the same input gives the same
// picture (and the same bytes) every time and a frame keeps its colour
// across graphs. Syscalls are coloured by what they do, the rest by a hash.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "flame/stacks.h"

namespace iotrace::flame {

struct Rgb {
    uint8_t r = 0, g = 0, b = 0;
    bool operator==(const Rgb&) const = default;
};

// "all" (the root): grey. A model frame: purple. A probed syscall: blue for
// the waits and io_uring_enter, green for receives, yellow for sends, aqua
// for epoll_ctl, accept and close. An fd kind (tcp, unix, pipe, ...):
// brown. Anything else (processes, threads, user stack frames): warm
// (reds and oranges), picked by a hash of the name (FNV-1a), never random.
// Within a hue the shade also follows the hash, so neighbours differ.
Rgb frame_colour(std::string_view name);

// "rgb(205,120,60)".
std::string css_rgb(Rgb c);

}  // namespace iotrace::flame
