// A self-contained, interactive flame graph in SVG, drawn from
// layout_flame() (src/flame/layout.h) with frame_colour() (colour.h): the
// root at the bottom, one row per depth. Its script (svg_script.h) gives
// hover details with the weight and its share, click to zoom, Reset Zoom,
// and a regular-expression search (Ctrl-F or the Search button) with the
// share of the weight matched. Pure: the same profile gives the same bytes.
#pragma once

#include <string>

#include "flame/stacks.h"

namespace iotrace::flame {

struct SvgOptions {
    int width = 1200;         // px
    int frame_height = 16;    // px per row
    int font_size = 12;       // px
    double min_width = 0.1;   // px: narrower frames are not drawn
};

std::string render_svg(const Profile& profile, const SvgOptions& options = {});

// How many characters of `name` fit in `width_px` at `font_size` (an
// average glyph is 0.59 em wide): the name, or its start and "..", or ""
// when fewer than 3 characters fit. Counts UTF-8 characters, not bytes.
// The script does the same after a zoom.
std::string fit_label(const std::string& name, double width_px, int font_size);

}  // namespace iotrace::flame
