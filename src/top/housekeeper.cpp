#include "top/housekeeper.h"

#include <poll.h>
#include <signal.h>

#include "tracer/tracer.h"

namespace iotrace {

Housekeeper::Housekeeper(Tracer& tracer) : tracer_(tracer) {
    // the thread inherits this mask: signals stay with the driver's thread
    // (the stop flag, ncurses' SIGWINCH)
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    thread_ = std::thread([this] { run(); });
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

Housekeeper::~Housekeeper() {
    stop_ = true;
    thread_.join();
}

void Housekeeper::rethrow() {
    if (failed_) std::rethrow_exception(error_);
}

void Housekeeper::run() {
    pollfd ring{tracer_.ring_fd(), POLLIN, 0};
    try {
        while (!stop_) {
            // wait for events without the lock, then take them under it
            ::poll(&ring, 1, 50);
            auto held = lock();
            tracer_.poll(0, false);
        }
    } catch (...) {
        error_ = std::current_exception();
        failed_ = true;
    }
}

}  // namespace iotrace
