#include "top/screen.h"

#include <curses.h>
#include <unistd.h>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "util/failure.h"

namespace iotrace {
namespace {

SCREEN* g_screen = nullptr;

}  // namespace

Screen::Screen() {
    std::setlocale(LC_ALL, "");  // the view draws non-ASCII characters
    g_screen = newterm(nullptr, stdout, stdin);
    if (!g_screen) {
        const char* term = std::getenv("TERM");
        throw Failure("cannot draw on this terminal (TERM=" + std::string(term ? term : "") +
                      "): run iotrace top -b for plain text");
    }
    set_term(g_screen);
    cbreak();  // Ctrl-C stays a signal: the stop flag, then this destructor
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);  // Esc closes things: do not wait a second for a sequence
}

Screen::~Screen() {
    endwin();
    delscreen(g_screen);
    g_screen = nullptr;
    std::fflush(stdout);
}

int Screen::key(int timeout_ms) {
    timeout(timeout_ms);
    int k = getch();
    return k == ERR ? -1 : k;
}

int Screen::rows() const { return LINES; }
int Screen::cols() const { return COLS; }

}  // namespace iotrace
