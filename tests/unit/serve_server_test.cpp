// The metrics endpoint's server (src/serve/http_server.h) over loopback,
// with real sockets: answers, limits, timeouts, stop, and a port in use.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "serve/http_server.h"
#include "util/failure.h"

namespace iotrace {
namespace {

using namespace std::chrono_literals;

ListenAddress loopback() { return {"127.0.0.1", 0}; }

ScrapeHandler scrape_of(std::string body) {
    return [body](ExpositionFormat f) {
        return (f == ExpositionFormat::OpenMetrics ? "om " : "text ") + body;
    };
}

UniqueFd connect_to(uint16_t port) {
    UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    timeval tv{3, 0};  // no test hangs on a server that does not answer
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    return fd;
}

void send_all(int fd, const std::string& s) {
    ASSERT_EQ(send(fd, s.data(), s.size(), MSG_NOSIGNAL), static_cast<ssize_t>(s.size()));
}

// Everything until the server closes (or 3 s pass).
std::string read_to_close(int fd) {
    std::string out;
    char buf[65536];
    for (ssize_t n; (n = recv(fd, buf, sizeof buf, 0)) > 0;) out.append(buf, static_cast<size_t>(n));
    return out;
}

// A server on its own thread, stopped and joined at the end of the test.
struct Running {
    HttpServer server;
    std::thread thread;
    Running(ScrapeHandler h, ServerLimits limits = {}, std::string path = "/metrics")
        : server(loopback(), std::move(path), std::move(h), limits), thread([this] { server.run(); }) {}
    ~Running() {
        server.stop();
        thread.join();
    }
    std::string exchange(const std::string& request) {
        UniqueFd c = connect_to(server.port());
        send_all(c.get(), request);
        return read_to_close(c.get());
    }
};

TEST(ServeServer, AnswersScrapesInTheNegotiatedFormat) {
    Running r(scrape_of("iotrace_x 1\n"));
    std::string resp = r.exchange("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(resp.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << resp;
    EXPECT_NE(resp.find("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"), std::string::npos);
    EXPECT_NE(resp.find("Connection: close\r\n"), std::string::npos);
    EXPECT_EQ(resp.substr(resp.find("\r\n\r\n") + 4), "text iotrace_x 1\n");

    resp = r.exchange("GET /metrics HTTP/1.1\r\nAccept: application/openmetrics-text;version=1.0.0,"
                      "text/plain;version=0.0.4;q=0.5\r\n\r\n");
    EXPECT_NE(resp.find("Content-Type: application/openmetrics-text; version=1.0.0; charset=utf-8\r\n"),
              std::string::npos);
    EXPECT_EQ(resp.substr(resp.find("\r\n\r\n") + 4), "om iotrace_x 1\n");

    resp = r.exchange("HEAD /metrics HTTP/1.1\r\n\r\n");
    EXPECT_NE(resp.find("Content-Length: 17\r\n"), std::string::npos) << resp;
    EXPECT_EQ(resp.substr(resp.find("\r\n\r\n") + 4), "");
}

TEST(ServeServer, LandingPageErrorsAndMethods) {
    Running r(scrape_of(""), {}, "/m");
    EXPECT_NE(r.exchange("GET / HTTP/1.1\r\n\r\n").find("<a href=\"/m\">"), std::string::npos);
    EXPECT_EQ(r.exchange("GET /metrics HTTP/1.1\r\n\r\n").rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
    std::string resp = r.exchange("DELETE /m HTTP/1.1\r\n\r\n");
    EXPECT_EQ(resp.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u);
    EXPECT_NE(resp.find("Allow: GET, HEAD\r\n"), std::string::npos);
    EXPECT_EQ(r.exchange("hello\r\n\r\n").rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u);
}

TEST(ServeServer, RequestHeadIsBounded) {
    ServerLimits limits;
    limits.max_request_bytes = 1024;
    Running r(scrape_of(""), limits);
    std::string resp = r.exchange("GET /metrics HTTP/1.1\r\nX: " + std::string(4096, 'a') + "\r\n\r\n");
    EXPECT_EQ(resp.rfind("HTTP/1.1 431 ", 0), 0u) << resp.substr(0, 100);
}

// A response larger than the socket buffers goes out over several rounds.
TEST(ServeServer, LargeBodiesArriveWhole) {
    std::string body(8 << 20, 'x');
    Running r([&](ExpositionFormat) { return body; });
    std::string resp = r.exchange("GET /metrics HTTP/1.1\r\n\r\n");
    ASSERT_NE(resp.find("\r\n\r\n"), std::string::npos);
    EXPECT_EQ(resp.size() - (resp.find("\r\n\r\n") + 4), body.size());
}

// A client that sends half a request is answered 408 and closed at the deadline.
TEST(ServeServer, SlowClientsTimeOut) {
    ServerLimits limits;
    limits.timeout_ms = 200;
    Running r(scrape_of(""), limits);
    UniqueFd c = connect_to(r.server.port());
    send_all(c.get(), "GET /metrics HTTP/1.1\r\n");
    auto t0 = std::chrono::steady_clock::now();
    std::string resp = read_to_close(c.get());
    auto took = std::chrono::steady_clock::now() - t0;
    EXPECT_EQ(resp.rfind("HTTP/1.1 408 ", 0), 0u) << resp;
    EXPECT_GE(took, 150ms);
    EXPECT_LT(took, 1500ms);
}

// Past max_connections a new connection is answered 503 and closed; driven
// by serve_once on this thread, so the order is certain.
TEST(ServeServer, ConnectionsAreBounded) {
    ServerLimits limits;
    limits.max_connections = 2;
    HttpServer s(loopback(), "/metrics", scrape_of("ok\n"), limits);
    UniqueFd a = connect_to(s.port()), b = connect_to(s.port());
    for (int i = 0; i < 10 && s.connections() < 2; ++i) s.serve_once(50);
    ASSERT_EQ(s.connections(), 2u);
    UniqueFd c = connect_to(s.port());
    for (int i = 0; i < 5; ++i) s.serve_once(20);
    EXPECT_EQ(read_to_close(c.get()).rfind("HTTP/1.1 503 ", 0), 0u);
    EXPECT_EQ(s.connections(), 2u);
    // The two held still work.
    send_all(a.get(), "GET /metrics HTTP/1.1\r\n\r\n");
    for (int i = 0; i < 5; ++i) s.serve_once(20);
    EXPECT_NE(read_to_close(a.get()).find("\r\n\r\ntext ok\n"), std::string::npos);
}

TEST(ServeServer, StopsWithinASecondWithAClientConnected) {
    auto server = std::make_unique<HttpServer>(loopback(), "/metrics", scrape_of(""));
    std::thread t([&] { server->run(); });
    UniqueFd idle = connect_to(server->port());
    send_all(idle.get(), "GET /met");
    std::this_thread::sleep_for(100ms);
    auto t0 = std::chrono::steady_clock::now();
    server->stop();
    t.join();
    server.reset();  // closes the connection
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
    EXPECT_EQ(read_to_close(idle.get()), "");
}

TEST(ServeServer, APortInUseIsAClearError) {
    HttpServer first(loopback(), "/metrics", scrape_of(""));
    ListenAddress same{"127.0.0.1", first.port()};
    try {
        HttpServer second(same, "/metrics", scrape_of(""));
        FAIL() << "a second server bound the same port";
    } catch (const Failure& f) {
        std::string msg = f.what();
        EXPECT_EQ(f.exit_code(), kExitFailure);
        EXPECT_NE(msg.find("cannot listen on 127.0.0.1:" + std::to_string(first.port())), std::string::npos) << msg;
        EXPECT_NE(msg.find("Address already in use"), std::string::npos) << msg;
        EXPECT_NE(msg.find("--listen"), std::string::npos) << msg;
    }
    EXPECT_THROW(HttpServer(ListenAddress{"192.0.2.1", 0}, "/metrics", scrape_of("")), Failure);  // not ours
}

}  // namespace
}  // namespace iotrace
