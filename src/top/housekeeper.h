// The tracer's work between refreshes, on a thread of its own: lifecycle
// events read as they come and exited processes' counter slots handed back
// to the kernel side at once, however long the view takes to draw a
// refresh. Under a fork storm the kernel side takes a slot for each new
// process; slots held by processes already gone (because nothing read them
// while a refresh was drawn) sent new ones to the procs hash, whose entries
// the kernel allocates as they come and can fail to (counted lost).
//
// Every use of the Tracer goes through lock(): this thread's polls, and
// the driver's frames and liveness checks.
#pragma once

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

namespace iotrace {

class Tracer;

class Housekeeper {
public:
    explicit Housekeeper(Tracer& tracer);  // starts the thread (signals blocked in it)
    ~Housekeeper();                        // stops and joins it
    Housekeeper(const Housekeeper&) = delete;
    Housekeeper& operator=(const Housekeeper&) = delete;

    std::unique_lock<std::mutex> lock() { return std::unique_lock<std::mutex>(mutex_); }

    // What made the thread stop (a failed read of the ring buffer), thrown
    // here, on the driver's thread; nothing while it runs.
    void rethrow();

private:
    void run();

    Tracer& tracer_;
    std::mutex mutex_;
    std::atomic<bool> stop_{false};
    std::atomic<bool> failed_{false};
    std::exception_ptr error_;  // set before failed_
    std::thread thread_;
};

}  // namespace iotrace
