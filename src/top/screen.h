// The terminal of iotrace top: ncurses set up for the life of this object
// and restored by its destructor, on every way out (q, a signal's flag, an
// exception unwinding through the driver). newterm, not initscr: a terminal
// ncurses cannot use is a Failure here, where initscr would exit().
#pragma once

namespace iotrace {

class Screen {
public:
    Screen();  // throws Failure when the terminal cannot be used
    ~Screen();
    Screen(const Screen&) = delete;
    Screen& operator=(const Screen&) = delete;

    // The next key (getch's value: KEY_RESIZE after a resize), or -1 when
    // none came within timeout_ms (or a signal interrupted the wait).
    int key(int timeout_ms);
    int rows() const;
    int cols() const;
};

}  // namespace iotrace
