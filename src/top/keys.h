// The keys TopState::key() understands, as ints. The special keys have
// ncurses' values (KEY_UP, KEY_NPAGE, ...), so the driver passes getch()'s
// result unchanged; paint.cpp checks the values against <curses.h>. Plain
// characters are themselves ('q', '/', ' ', ...).
#pragma once

namespace iotrace::keys {

inline constexpr int kDown = 0402;       // KEY_DOWN
inline constexpr int kUp = 0403;         // KEY_UP
inline constexpr int kLeft = 0404;       // KEY_LEFT
inline constexpr int kRight = 0405;      // KEY_RIGHT
inline constexpr int kHome = 0406;       // KEY_HOME
inline constexpr int kBackspace = 0407;  // KEY_BACKSPACE
inline constexpr int kF0 = 0410;         // KEY_F0; F(n) is kF0 + n
inline constexpr int kF6 = kF0 + 6;      // KEY_F(6)
inline constexpr int kPageDown = 0522;   // KEY_NPAGE
inline constexpr int kPageUp = 0523;     // KEY_PPAGE
inline constexpr int kEnter = 0527;      // KEY_ENTER (keypad); '\n' and '\r' too
inline constexpr int kEnd = 0550;        // KEY_END
inline constexpr int kResize = 0632;     // KEY_RESIZE
inline constexpr int kEscape = 27;
inline constexpr int kCtrlC = 3;         // in raw mode; with cbreak the driver sees SIGINT instead

}  // namespace iotrace::keys
