// The JavaScript inside every flame graph SVG (src/flame/svg.h). It reads
// what the renderer wrote: <svg data-width data-pad data-font>, and per frame
// <g data-s data-w data-d> (start, weight, depth) holding <title>NAME
// (DETAILS)</title>, <rect> and <text>; #details, #matched, #search and
// #unzoom. Globals for scripted use: search(regex), reset_search(),
// zoom_to(name), unzoom().
#pragma once

#include <string_view>

namespace iotrace::flame {

extern const std::string_view kSvgScript;

}  // namespace iotrace::flame
