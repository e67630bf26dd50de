// The thin ncurses adapter: copies a Grid to the screen (stdscr) and
// refreshes it. The driver owns initscr()/endwin(), the keys and the signals;
// it calls paint(state.render(LINES, COLS)) after every update() and every
// key() that returned Action::Redraw. Needs setlocale(LC_ALL, "") before
// initscr() for the non-ASCII characters (the diagnosis texts use "—"),
// keypad(stdscr, TRUE) so that getch() returns the KEY_* values keys.h
// names, and a short ESCDELAY (set_escdelay(25)) so that Esc acts at once.
#pragma once

#include "top/grid.h"

namespace iotrace {

void paint(const Grid& g);

}  // namespace iotrace
