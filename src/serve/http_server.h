// The metrics endpoint's HTTP/1.1 server: one thread, poll(), GET and HEAD
// (routes.h), one request per connection (Connection: close), a bounded
// number of connections, bounded request heads, a deadline per connection.
// The scrape handler runs on the thread that calls serve_once()/run(), so a
// driver that owns the tracer can answer scrapes from its own loop.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "serve/listen_address.h"
#include "serve/routes.h"
#include "util/unique_fd.h"

namespace iotrace {

struct ServerLimits {
    size_t max_connections = 32;      // more at once are answered 503 and closed
    size_t max_request_bytes = 8192;  // a longer request head is answered 431
    int timeout_ms = 10000;           // from accept to the response sent; past it the connection is closed
};

class HttpServer {
public:
    // Binds and listens. Throws Failure (src/util/failure.h, exit 1) naming
    // the address and the fix: "cannot listen on 127.0.0.1:19435: Address
    // already in use (another iotrace serve or exporter? choose another
    // port with --listen)".
    HttpServer(const ListenAddress& addr, std::string metrics_path, ScrapeHandler scrape, ServerLimits limits = {});
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    uint16_t port() const { return port_; }  // the bound port (the kernel's pick for port 0)

    // Waits up to timeout_ms (>= 0; a negative one is taken as 1000) for
    // something to do, does it (accepts, reads, answers, writes, closes what
    // timed out) and returns. Returns at once after stop().
    void serve_once(int timeout_ms);
    // serve_once until stop().
    void run();
    // From any thread, or a signal handler (an atomic store and a write to a
    // pipe): run() returns, serve_once() wakes. Open connections are closed
    // when the server is destroyed.
    void stop();
    bool stopped() const { return stop_.load(); }

    size_t connections() const { return conns_.size(); }

private:
    using Clock = std::chrono::steady_clock;
    enum class State { Reading, Writing, Draining };
    struct Conn {
        UniqueFd fd;
        State state = State::Reading;
        std::string in;
        std::string out;
        size_t sent = 0;
        Clock::time_point deadline;
    };

    void accept_new();
    void on_readable(Conn& c);
    void on_writable(Conn& c);
    void answer(Conn& c, const HttpResponse& r);
    bool done(const Conn& c) const;

    std::string metrics_path_;
    ScrapeHandler scrape_;
    ServerLimits limits_;
    UniqueFd listener_;
    UniqueFd wake_r_, wake_w_;
    uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    Clock::time_point accept_paused_until_{};  // accept failed for want of fds: retry after this
    std::vector<Conn> conns_;
};

}  // namespace iotrace
