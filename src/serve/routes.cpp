#include "serve/routes.h"

#include <exception>

#include "serve/negotiate.h"
#include "util/markup_escape.h"

namespace iotrace {
namespace {

HttpResponse text(int status, std::string body) {
    HttpResponse r;
    r.status = status;
    r.headers = {{"Content-Type", "text/plain; charset=utf-8"}};
    r.body = std::move(body);
    return r;
}

HttpResponse landing_page(std::string_view metrics_path) {
    HttpResponse r;
    r.headers = {{"Content-Type", "text/html; charset=utf-8"}};
    std::string p = markup_escape(metrics_path);
    r.body = "<!DOCTYPE html>\n<html>\n<head><title>iotrace</title></head>\n<body>\n<h1>iotrace</h1>\n"
             "<p>Which IO model each process uses, and what it costs: <a href=\"" +
             p + "\">" + p + "</a></p>\n</body>\n</html>\n";
    return r;
}

}  // namespace

HttpResponse error_response(int status) {
    switch (status) {
    case 400: return text(400, "bad request\n");
    case 408: return text(408, "request timeout\n");
    case 431: return text(431, "request header too large\n");
    case 503: return text(503, "too many connections\n");
    }
    return text(status, std::string(reason_phrase(status)) + "\n");
}

bool valid_metrics_path(std::string_view path) {
    if (path.size() < 2 || path[0] != '/') return false;
    for (char c : path)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '?' || c == '#') return false;
    return true;
}

HttpResponse respond(const HttpRequest& req, std::string_view metrics_path, const ScrapeHandler& scrape) {
    bool head = req.method == "HEAD";
    if (req.method != "GET" && !head) {
        HttpResponse r = text(405, "only GET and HEAD\n");
        r.headers.emplace_back("Allow", "GET, HEAD");
        return r;
    }
    HttpResponse r;
    if (req.path == metrics_path) {
        ExpositionFormat f = negotiate(req.header("Accept"));
        try {
            r.body = scrape(f);
        } catch (const std::exception& e) {
            r = text(500, std::string("iotrace: could not build the metrics: ") + e.what() + "\n");
            r.head = head;
            return r;
        }
        r.headers = {{"Content-Type", std::string(content_type(f))}, {"Vary", "Accept"}};
    } else if (req.path == "/") {
        r = landing_page(metrics_path);
    } else {
        r = text(404, "not found: the metrics are at " + std::string(metrics_path) + "\n");
    }
    r.head = head;
    return r;
}

}  // namespace iotrace
