#include "tmux.h"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <thread>

#include "harness.h"

namespace itest {
namespace {

// Runs argv, returns its stdout (stderr to /dev/null); waits for it. With
// capture false, stdout goes to /dev/null too: the command that starts the
// tmux server must not hand it our pipe (it would never see EOF).
std::string capture(const std::vector<std::string>& argv, bool capture = true) {
    int out[2];
    if (pipe(out) != 0) return "";
    pid_t pid = fork();
    if (pid == 0) {
        int null = open("/dev/null", O_WRONLY);
        dup2(capture ? out[1] : null, 1);
        dup2(null, 2);
        close(out[0]);
        close(out[1]);
        std::vector<char*> av;
        for (const auto& a : argv) av.push_back(const_cast<char*>(a.c_str()));
        av.push_back(nullptr);
        execvp(av[0], av.data());
        _exit(127);
    }
    close(out[1]);
    std::string text;
    char buf[4096];
    ssize_t n;
    while ((n = read(out[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<size_t>(n));
    close(out[0]);
    int status;
    waitpid(pid, &status, 0);
    return text;
}

}  // namespace

Tmux::Tmux(int cols, int rows) : socket_("itest-top-" + std::to_string(getpid()) + "-" + std::to_string(rand())) {
    run({"new-session", "-d", "-x", std::to_string(cols), "-y", std::to_string(rows), "env", "PS1=itest$ ", "sh"},
        false);
    // a session size that follows -x/-y, not the (absent) client's
    run({"set-option", "-g", "window-size", "manual"});
    server_ = std::atoi(run({"display-message", "-p", "#{pid}"}).c_str());
    wait_for_text("itest$");  // capture-pane drops the trailing blank
}

// The server is our child (the harness is a subreaper): reaped here.
Tmux::~Tmux() {
    run({"kill-server"});
    if (server_ > 0) kill_and_reap(server_);
}

std::string Tmux::run(const std::vector<std::string>& args, bool capture_out) const {
    std::vector<std::string> argv{"tmux", "-L", socket_};
    argv.insert(argv.end(), args.begin(), args.end());
    return capture(argv, capture_out);
}

void Tmux::type(const std::string& text, bool enter) {
    run({"send-keys", "-t", "0", "-l", text});
    if (enter) keys({"Enter"});
}

void Tmux::keys(const std::vector<std::string>& names) {
    std::vector<std::string> args{"send-keys", "-t", "0"};
    args.insert(args.end(), names.begin(), names.end());
    run(args);
}

std::string Tmux::screen() const { return run({"capture-pane", "-p", "-t", "0"}); }

bool Tmux::alternate_on() const { return run({"display-message", "-p", "-t", "0", "#{alternate_on}"}) == "1\n"; }

void Tmux::resize(int cols, int rows) {
    run({"resize-window", "-t", "0", "-x", std::to_string(cols), "-y", std::to_string(rows)});
}

bool Tmux::wait_for(const std::function<bool(const std::string&)>& pred, std::chrono::milliseconds timeout,
                    std::string* last) const {
    auto deadline = Clock::now() + timeout;
    for (;;) {
        std::string s = screen();
        if (last) *last = s;
        if (pred(s)) return true;
        if (Clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
}

bool Tmux::wait_for_text(const std::string& text, std::chrono::milliseconds timeout, std::string* last) const {
    return wait_for([&](const std::string& s) { return s.find(text) != std::string::npos; }, timeout, last);
}

}  // namespace itest
