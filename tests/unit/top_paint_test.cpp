// The ncurses adapter: a Grid painted on a virtual xterm screen (newterm on
// /dev/null, no terminal needed) reads back with its text and attributes.
#include <gtest/gtest.h>

#include <clocale>
#include <cstdio>
#include <string>

#include "top/paint.h"

#include <curses.h>  // last: its macros (erase, move, ...) stay out of the headers above

namespace iotrace {
namespace {

std::wstring read_back(int row, int col, int n) {
    std::wstring out(static_cast<size_t>(n) + 1, L'\0');
    mvwinnwstr(stdscr, row, col, out.data(), n);
    out.resize(wcslen(out.c_str()));
    return out;
}

TEST(TopPaint, GridOnAVirtualScreen) {
    std::string old_locale = setlocale(LC_ALL, nullptr);
    ASSERT_NE(setlocale(LC_ALL, "C.UTF-8"), nullptr);
    FILE* out = fopen("/dev/null", "w");
    FILE* in = fopen("/dev/null", "r");
    ASSERT_NE(out, nullptr);
    ASSERT_NE(in, nullptr);
    SCREEN* screen = newterm("xterm", out, in);
    ASSERT_NE(screen, nullptr);
    resizeterm(6, 30);

    Grid g(6, 30);
    g.put(0, 0, "iotrace top — header", kAttrBold);
    g.put(2, 4, "selected row", kAttrReverse);
    g.put(3, 0, "exited", kAttrDim | kAttrUnderline);
    g.put(5, 0, std::string(30, '='), kAttrReverse);  // the bottom-right cell is left alone
    paint(g);

    EXPECT_EQ(read_back(0, 0, 20), L"iotrace top — header");
    EXPECT_TRUE(mvwinch(stdscr, 0, 0) & A_BOLD);
    EXPECT_EQ(read_back(2, 4, 12), L"selected row");
    EXPECT_TRUE(mvwinch(stdscr, 2, 4) & A_REVERSE);
    EXPECT_FALSE(mvwinch(stdscr, 2, 3) & A_REVERSE);
    EXPECT_TRUE(mvwinch(stdscr, 3, 0) & A_DIM);
    EXPECT_TRUE(mvwinch(stdscr, 3, 0) & A_UNDERLINE);
    EXPECT_EQ(read_back(5, 0, 29), std::wstring(29, L'='));

    // A smaller grid clears what the last one left.
    paint(Grid(6, 30));
    EXPECT_EQ(read_back(0, 0, 5), L"     ");

    endwin();
    delscreen(screen);
    fclose(out);
    fclose(in);
    setlocale(LC_ALL, old_locale.c_str());
}

}  // namespace
}  // namespace iotrace
