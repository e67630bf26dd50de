// The metrics endpoint without sockets: request parsing
// (src/serve/http_message.h), routing (src/serve/routes.h) and --listen.
#include <gtest/gtest.h>

#include <stdexcept>

#include "serve/http_message.h"
#include "serve/listen_address.h"
#include "serve/routes.h"

namespace iotrace {
namespace {

HttpRequest parsed(const std::string& raw) {
    ParsedRequest p = parse_request(raw, 8192);
    EXPECT_EQ(p.status, ParseStatus::Complete) << raw;
    return p.request;
}

TEST(ServeHttp, ParsesARequestHead) {
    HttpRequest r = parsed("GET /metrics?name[]=x HTTP/1.1\r\nHost: h:1\r\nAccept:  text/plain \r\n"
                           "accept: */*\r\n\r\nbody");
    EXPECT_EQ(r.method, "GET");
    EXPECT_EQ(r.target, "/metrics?name[]=x");
    EXPECT_EQ(r.path, "/metrics");
    EXPECT_EQ(r.version, "HTTP/1.1");
    EXPECT_EQ(r.header("ACCEPT"), "text/plain, */*");
    EXPECT_EQ(r.header("Host"), "h:1");
    EXPECT_EQ(r.header("X-None"), "");
    EXPECT_EQ(parsed("\r\nHEAD / HTTP/1.0\n\n").method, "HEAD");  // bare LF, a leading blank line
}

TEST(ServeHttp, IncompleteTooLargeMalformed) {
    EXPECT_EQ(parse_request("GET /metrics HTTP/1.1\r\nHost: x\r\n", 8192).status, ParseStatus::Incomplete);
    EXPECT_EQ(parse_request("", 8192).status, ParseStatus::Incomplete);
    std::string big = "GET / HTTP/1.1\r\nX: " + std::string(200, 'a') + "\r\n";
    EXPECT_EQ(parse_request(big, 100).status, ParseStatus::TooLarge);          // no end in sight
    EXPECT_EQ(parse_request(big + "\r\n", 100).status, ParseStatus::TooLarge);  // ends, past the limit
    for (const char* bad : {"GET /metrics\r\n\r\n", "GET metrics HTTP/1.1\r\n\r\n", "GET / HTTP/2\r\n\r\n",
                            "GET  / HTTP/1.1\r\n\r\n", "G(T / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
                            "GET / HTTP/1.1\r\nBad Name: x\r\n\r\n", "GET / HTTP/1.1\r\n folded\r\n\r\n",
                            "GET /a\x01 HTTP/1.1\r\n\r\n"})
        EXPECT_EQ(parse_request(bad, 8192).status, ParseStatus::Malformed) << bad;
}

TEST(ServeHttp, ResponsesCloseAndHeadHasNoBody) {
    HttpResponse r;
    r.headers = {{"Content-Type", "text/plain"}};
    r.body = "hello";
    EXPECT_EQ(r.serialize(),
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    r.head = true;
    EXPECT_EQ(r.serialize(),
              "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
}

struct Routed {
    int calls = 0;
    ExpositionFormat last = ExpositionFormat::PrometheusText;
    ScrapeHandler handler() {
        return [this](ExpositionFormat f) {
            ++calls;
            last = f;
            return std::string("iotrace_x 1\n");
        };
    }
};

TEST(ServeHttp, MetricsPathNegotiates) {
    Routed s;
    HttpResponse r = respond(parsed("GET /metrics HTTP/1.1\r\n\r\n"), "/metrics", s.handler());
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, "iotrace_x 1\n");
    EXPECT_EQ(r.headers.at(0).second, "text/plain; version=0.0.4; charset=utf-8");
    r = respond(parsed("GET /metrics HTTP/1.1\r\nAccept: application/openmetrics-text;version=1.0.0\r\n\r\n"),
                "/metrics", s.handler());
    EXPECT_EQ(s.last, ExpositionFormat::OpenMetrics);
    EXPECT_EQ(r.headers.at(0).second, "application/openmetrics-text; version=1.0.0; charset=utf-8");
    r = respond(parsed("HEAD /metrics?x=1 HTTP/1.1\r\n\r\n"), "/metrics", s.handler());
    EXPECT_TRUE(r.head);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(s.calls, 3);
}

TEST(ServeHttp, LandingPageNotFoundAndMethods) {
    Routed s;
    HttpResponse r = respond(parsed("GET / HTTP/1.1\r\n\r\n"), "/m<x>", s.handler());
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("<a href=\"/m&lt;x&gt;\">"), std::string::npos);
    EXPECT_EQ(respond(parsed("GET /metricsx HTTP/1.1\r\n\r\n"), "/metrics", s.handler()).status, 404);
    EXPECT_EQ(respond(parsed("GET /metrics/ HTTP/1.1\r\n\r\n"), "/metrics", s.handler()).status, 404);
    r = respond(parsed("POST /metrics HTTP/1.1\r\n\r\n"), "/metrics", s.handler());
    EXPECT_EQ(r.status, 405);
    EXPECT_EQ(r.headers.back(), (std::pair<std::string, std::string>{"Allow", "GET, HEAD"}));
    EXPECT_EQ(respond(parsed("get /metrics HTTP/1.1\r\n\r\n"), "/metrics", s.handler()).status, 405);
    EXPECT_EQ(s.calls, 0);
}

TEST(ServeHttp, AFailingScrapeIs500) {
    HttpResponse r = respond(parsed("GET /metrics HTTP/1.1\r\n\r\n"), "/metrics",
                             [](ExpositionFormat) -> std::string { throw std::runtime_error("maps gone"); });
    EXPECT_EQ(r.status, 500);
    EXPECT_NE(r.body.find("maps gone"), std::string::npos);
}

TEST(ServeHttp, MetricsPaths) {
    EXPECT_TRUE(valid_metrics_path("/metrics"));
    EXPECT_TRUE(valid_metrics_path("/a/b"));
    for (const char* bad : {"", "/", "metrics", "/m?x", "/m x", "/m#x"}) EXPECT_FALSE(valid_metrics_path(bad)) << bad;
}

TEST(ServeHttp, ListenAddresses) {
    auto a = parse_listen_address("127.0.0.1:19435");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "127.0.0.1");
    EXPECT_EQ(a->port, 19435);
    EXPECT_EQ(a->text(), "127.0.0.1:19435");
    a = parse_listen_address("[::1]:0");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->host, "::1");
    EXPECT_EQ(a->text(), "[::1]:0");
    EXPECT_TRUE(parse_listen_address("localhost:80"));
    EXPECT_TRUE(parse_listen_address(kDefaultListen));
    for (const char* bad : {"", "19435", ":19435", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "::1:80",
                            "[127.0.0.1]:80", "127.0.0.1:80x", "[]:80"})
        EXPECT_FALSE(parse_listen_address(bad)) << bad;
}

}  // namespace
}  // namespace iotrace
