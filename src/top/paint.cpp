#include "top/paint.h"

#include <algorithm>

#include <curses.h>

#include "top/keys.h"

namespace iotrace {

static_assert(keys::kDown == KEY_DOWN && keys::kUp == KEY_UP && keys::kLeft == KEY_LEFT && keys::kRight == KEY_RIGHT);
static_assert(keys::kHome == KEY_HOME && keys::kEnd == KEY_END && keys::kBackspace == KEY_BACKSPACE);
static_assert(keys::kPageDown == KEY_NPAGE && keys::kPageUp == KEY_PPAGE && keys::kEnter == KEY_ENTER);
static_assert(keys::kF6 == KEY_F(6) && keys::kResize == KEY_RESIZE);

namespace {

attr_t curses_attr(uint8_t a) {
    attr_t out = A_NORMAL;
    if (a & kAttrBold) out |= A_BOLD;
    if (a & kAttrReverse) out |= A_REVERSE;
    if (a & kAttrDim) out |= A_DIM;
    if (a & kAttrUnderline) out |= A_UNDERLINE;
    return out;
}

}  // namespace

void paint(const Grid& g) {
    werase(stdscr);
    int rows = std::min(g.rows(), getmaxy(stdscr));
    int cols = std::min(g.cols(), getmaxx(stdscr));
    for (int r = 0; r < rows; ++r) {
        // The bottom-right cell is left alone: writing it would scroll.
        int end = r == rows - 1 && rows == getmaxy(stdscr) && cols == getmaxx(stdscr) ? cols - 1 : cols;
        int c = 0;
        while (c < end) {
            int run = c;
            while (run < end && g.attr(r, run) == g.attr(r, c)) ++run;
            wattrset(stdscr, curses_attr(g.attr(r, c)));
            mvwaddstr(stdscr, r, c, g.text(r, c, run - c).c_str());
            c = run;
        }
    }
    wattrset(stdscr, A_NORMAL);
    wnoutrefresh(stdscr);
    doupdate();
}

}  // namespace iotrace
