// A terminal for the tests of iotrace top: a detached tmux session on a
// server of its own (tmux -L), running a shell, that the test types into
// (send-keys) and reads (capture-pane), as a user at a terminal would.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace itest {

class Tmux {
public:
    // A session of cols x rows running sh with the prompt "itest$ ".
    Tmux(int cols = 120, int rows = 40);
    ~Tmux();  // kills the server (and what still runs in it)
    Tmux(const Tmux&) = delete;
    Tmux& operator=(const Tmux&) = delete;

    // Types text literally (no key names), then Enter when asked.
    void type(const std::string& text, bool enter = false);
    // Sends tmux key names: "Enter", "Escape", "Down", "q", "C-c", ...
    void keys(const std::vector<std::string>& names);
    // The visible screen, one line each (trailing spaces removed by tmux).
    std::string screen() const;
    // Whether the program in the pane has the alternate screen on (ncurses).
    bool alternate_on() const;
    void resize(int cols, int rows);
    // Waits until pred(screen()) holds; the last screen in *last. False on timeout.
    bool wait_for(const std::function<bool(const std::string&)>& pred,
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(15000),
                  std::string* last = nullptr) const;
    bool wait_for_text(const std::string& text, std::chrono::milliseconds timeout = std::chrono::milliseconds(15000),
                       std::string* last = nullptr) const;

private:
    // tmux -L socket ARGS..., its stdout (capture_out false: none, to /dev/null)
    std::string run(const std::vector<std::string>& args, bool capture_out = true) const;
    std::string socket_;
    int server_ = -1;
};

}  // namespace itest
