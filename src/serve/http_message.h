// The little of HTTP/1.1 the metrics endpoint speaks: a request head
// parsed from the bytes read so far, a response written out whole. Pure,
// so the parsing is unit-tested without sockets.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace iotrace {

struct HttpRequest {
    std::string method;   // "GET", as sent (methods are case-sensitive)
    std::string target;   // "/metrics?x=1"
    std::string path;     // "/metrics": the target without its query
    std::string version;  // "HTTP/1.1"
    std::vector<std::pair<std::string, std::string>> headers;  // in order, values trimmed

    // The value of header `name` (case-insensitive), "" when absent; several
    // with that name are joined with ", " (RFC 9110 5.3).
    std::string header(std::string_view name) const;
};

enum class ParseStatus {
    Incomplete,  // no blank line yet: read more
    Complete,
    TooLarge,    // the head is longer than max_bytes (431)
    Malformed,   // not an HTTP/1.x request (400)
};

struct ParsedRequest {
    ParseStatus status = ParseStatus::Incomplete;
    HttpRequest request;  // when Complete
};

// The request head in `buffered` (up to the first blank line; CRLF or a bare
// LF end lines), at most max_bytes long. A body, if any, is not read: every
// response closes the connection.
ParsedRequest parse_request(std::string_view buffered, size_t max_bytes);

struct HttpResponse {
    int status = 200;
    std::vector<std::pair<std::string, std::string>> headers;  // Content-Length and Connection are added
    std::string body;
    bool head = false;  // a HEAD request: headers only, Content-Length the GET's

    // The status line, the headers, Content-Length, Connection: close, a blank
    // line and (not for HEAD) the body.
    std::string serialize() const;
};

// "OK", "Not Found", ...: the reason phrase of the statuses this server sends.
std::string_view reason_phrase(int status);

}  // namespace iotrace
