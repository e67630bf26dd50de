// The pieces TopState::render() lays out (internal to src/top): the table,
// the detail pane, the help screen. Each pane is a list of lines that
// render() scrolls.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "top/grid.h"
#include "top/top_state.h"

namespace iotrace {

struct Line {
    std::string text;
    uint8_t attr = kAttrNormal;
};

struct TopRender {
    static void table(const TopState& s, Grid& g, int top, int bottom);
    static void chooser(const TopState& s, Grid& g, int top, int bottom);
    static std::string status(const TopState& s);
    static std::vector<Line> detail(const TopState& s, int cols);
    static std::vector<Line> help(const TopState& s, int cols);
};

// Words of text in lines of at most width columns, the first prefixed by
// first, the others by rest (both counted in the width).
std::vector<std::string> wrap(const std::string& text, int width, const std::string& first, const std::string& rest);

}  // namespace iotrace
