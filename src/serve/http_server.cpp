#include "serve/http_server.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/failure.h"

namespace iotrace {
namespace {

constexpr int kBacklog = 64;
constexpr size_t kAcceptsPerRound = 64;   // the rest wait in the backlog for the next round
constexpr size_t kReadChunk = 4096;
constexpr auto kDrainFor = std::chrono::milliseconds(1000);  // after the response: wait for the client to close
constexpr auto kAcceptPause = std::chrono::milliseconds(100); // after accept failed for want of resources

std::string listen_error(const ListenAddress& addr, const std::string& what) {
    return "cannot listen on " + addr.text() + ": " + what;
}

UniqueFd bind_listener(const ListenAddress& addr, uint16_t& port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV | AI_ADDRCONFIG;
    addrinfo* res = nullptr;
    std::string service = std::to_string(addr.port);
    int gai = getaddrinfo(addr.host.c_str(), service.c_str(), &hints, &res);
    if (gai != 0) throw Failure(listen_error(addr, std::string(gai_strerror(gai)) + " (--listen takes ADDR:PORT)"));
    std::string why = "no address";
    UniqueFd fd;
    for (addrinfo* ai = res; ai; ai = ai->ai_next) {
        UniqueFd s(socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol));
        if (!s) {
            why = std::strerror(errno);
            continue;
        }
        int one = 1;
        setsockopt(s.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);  // restarts past TIME_WAIT; never shares a listening port
        if (bind(s.get(), ai->ai_addr, ai->ai_addrlen) != 0 || listen(s.get(), kBacklog) != 0) {
            int err = errno;
            why = std::strerror(err);
            if (err == EADDRINUSE)
                why += " (another iotrace serve or exporter? choose another port with --listen)";
            else if (err == EADDRNOTAVAIL)
                why += " (no interface of this machine has that address)";
            else if (err == EACCES)
                why += " (ports below 1024 need CAP_NET_BIND_SERVICE)";
            continue;
        }
        fd = std::move(s);
        break;
    }
    freeaddrinfo(res);
    if (!fd) throw Failure(listen_error(addr, why));
    sockaddr_storage ss{};
    socklen_t len = sizeof ss;
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len);
    port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                          : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
    return fd;
}

}  // namespace

HttpServer::HttpServer(const ListenAddress& addr, std::string metrics_path, ScrapeHandler scrape, ServerLimits limits)
    : metrics_path_(std::move(metrics_path)), scrape_(std::move(scrape)), limits_(limits) {
    listener_ = bind_listener(addr, port_);
    int p[2];
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) throw Failure(std::string("pipe2: ") + std::strerror(errno));
    wake_r_.reset(p[0]);
    wake_w_.reset(p[1]);
}

void HttpServer::stop() {
    stop_.store(true);
    char b = 1;
    ssize_t n = write(wake_w_.get(), &b, 1);  // full pipe: a wake-up is pending anyway
    (void)n;
}

void HttpServer::run() {
    while (!stop_.load()) serve_once(1000);
}

void HttpServer::answer(Conn& c, const HttpResponse& r) {
    c.out = r.serialize();
    c.sent = 0;
    c.state = State::Writing;
    c.in.clear();
    c.in.shrink_to_fit();
}

bool HttpServer::done(const Conn& c) const { return !c.fd; }

void HttpServer::accept_new() {
    for (size_t i = 0; i < kAcceptsPerRound; ++i) {
        UniqueFd fd(accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC));
        if (!fd) {
            // Out of fds (EMFILE, ENFILE, ENOBUFS, ENOMEM): the connection stays
            // in the backlog and the listener stays readable; pause accepting
            // rather than spin on it.
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                accept_paused_until_ = Clock::now() + kAcceptPause;
            return;
        }
        if (conns_.size() >= limits_.max_connections) {
            std::string busy = error_response(503).serialize();  // best effort: the socket's buffer is empty
            ssize_t n = send(fd.get(), busy.data(), busy.size(), MSG_NOSIGNAL);
            (void)n;
            continue;
        }
        Conn c;
        c.fd = std::move(fd);
        c.deadline = Clock::now() + std::chrono::milliseconds(limits_.timeout_ms);
        conns_.push_back(std::move(c));
    }
}

void HttpServer::on_readable(Conn& c) {
    char buf[kReadChunk];
    for (;;) {
        ssize_t n = recv(c.fd.get(), buf, sizeof buf, 0);
        if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
        if (n <= 0) {  // the client closed (or reset) before a whole request; or after the response
            c.fd.reset();
            return;
        }
        if (c.state == State::Draining) continue;  // discarded: one request per connection
        c.in.append(buf, static_cast<size_t>(n));
        ParsedRequest p = parse_request(c.in, limits_.max_request_bytes);
        switch (p.status) {
        case ParseStatus::Incomplete: continue;
        case ParseStatus::TooLarge: answer(c, error_response(431)); break;
        case ParseStatus::Malformed: answer(c, error_response(400)); break;
        case ParseStatus::Complete: answer(c, respond(p.request, metrics_path_, scrape_)); break;
        }
        on_writable(c);
        return;
    }
}

void HttpServer::on_writable(Conn& c) {
    while (c.sent < c.out.size()) {
        ssize_t n = send(c.fd.get(), c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return;
        if (n <= 0) {
            c.fd.reset();
            return;
        }
        c.sent += static_cast<size_t>(n);
    }
    // Sent: half-close and read until the client closes, so that what it may
    // still send does not make the kernel reset the connection under the
    // response it has not read yet.
    c.out.clear();
    c.out.shrink_to_fit();
    shutdown(c.fd.get(), SHUT_WR);
    c.state = State::Draining;
    c.deadline = std::min(c.deadline, Clock::now() + kDrainFor);
}

void HttpServer::serve_once(int timeout_ms) {
    if (stop_.load()) return;
    if (timeout_ms < 0) timeout_ms = 1000;
    auto now = Clock::now();
    bool accepting = now >= accept_paused_until_;
    if (!accepting) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(accept_paused_until_ - now).count() + 1;
        timeout_ms = static_cast<int>(std::min<long long>(left, timeout_ms));
    }
    for (const Conn& c : conns_) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(c.deadline - now).count() + 1;
        timeout_ms = static_cast<int>(std::clamp<long long>(left, 0, timeout_ms));
    }
    std::vector<pollfd> fds;
    fds.reserve(conns_.size() + 2);
    fds.push_back({wake_r_.get(), POLLIN, 0});
    fds.push_back({accepting ? listener_.get() : -1, POLLIN, 0});  // a negative fd is skipped
    for (const Conn& c : conns_)
        fds.push_back({c.fd.get(), static_cast<short>(c.state == State::Writing ? POLLOUT : POLLIN), 0});
    int n = poll(fds.data(), fds.size(), timeout_ms);
    if (n < 0) return;  // EINTR: the caller's loop checks its flags and comes back

    if (fds[0].revents) {
        char drain[64];
        while (read(wake_r_.get(), drain, sizeof drain) > 0) {
        }
    }
    if (stop_.load()) return;
    // Connections first (their pollfds are in conns_ order), then new ones.
    for (size_t i = 0; i < conns_.size(); ++i) {
        short ev = fds[i + 2].revents;
        if (ev == 0) continue;
        Conn& c = conns_[i];
        if (c.state == State::Writing)
            on_writable(c);
        else
            on_readable(c);
    }
    if (fds[1].revents & POLLIN) accept_new();

    now = Clock::now();
    for (Conn& c : conns_)
        if (c.fd && now >= c.deadline) {
            // A client that sent no whole request in time is told so; one that
            // does not read its response, or does not close, is closed on.
            if (c.state == State::Reading) {
                std::string late = error_response(408).serialize();
                ssize_t w = send(c.fd.get(), late.data(), late.size(), MSG_NOSIGNAL);
                (void)w;
            }
            c.fd.reset();
        }
    conns_.erase(std::remove_if(conns_.begin(), conns_.end(), [this](const Conn& c) { return done(c); }),
                 conns_.end());
}

}  // namespace iotrace
