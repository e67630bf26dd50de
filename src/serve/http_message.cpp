#include "serve/http_message.h"

namespace iotrace {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
        if (x != y) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// tchar of RFC 9110 5.6.2: what a method or a header name is made of.
bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

// The end of the head: the index just past the blank line, or npos.
size_t head_end(std::string_view b) {
    for (size_t i = 0; i < b.size(); ++i) {
        if (b[i] != '\n') continue;
        if (i + 1 < b.size() && b[i + 1] == '\n') return i + 2;
        if (i + 2 < b.size() && b[i + 1] == '\r' && b[i + 2] == '\n') return i + 3;
    }
    return std::string_view::npos;
}

bool parse_request_line(std::string_view line, HttpRequest& r) {
    size_t sp1 = line.find(' ');
    if (sp1 == std::string_view::npos) return false;
    size_t sp2 = line.find(' ', sp1 + 1);
    if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) return false;
    r.method = line.substr(0, sp1);
    r.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
    r.version = line.substr(sp2 + 1);
    if (!is_token(r.method) || r.target.empty() || r.target[0] != '/') return false;
    if (r.version != "HTTP/1.1" && r.version != "HTTP/1.0") return false;
    for (char c : r.target)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
    r.path = r.target.substr(0, r.target.find('?'));
    return true;
}

}  // namespace

std::string HttpRequest::header(std::string_view name) const {
    std::string out;
    for (const auto& [n, v] : headers)
        if (iequals(n, name)) out += (out.empty() ? "" : ", ") + v;
    return out;
}

ParsedRequest parse_request(std::string_view buffered, size_t max_bytes) {
    ParsedRequest p;
    // Blank lines before the request line are allowed (RFC 9112 2.2).
    while (!buffered.empty() && (buffered.front() == '\r' || buffered.front() == '\n')) buffered.remove_prefix(1);
    size_t end = head_end(buffered);
    if (end == std::string_view::npos) {
        p.status = buffered.size() > max_bytes ? ParseStatus::TooLarge : ParseStatus::Incomplete;
        return p;
    }
    if (end > max_bytes) {
        p.status = ParseStatus::TooLarge;
        return p;
    }
    std::string_view head = buffered.substr(0, end);
    size_t eol = head.find('\n');
    if (!parse_request_line(trim(head.substr(0, eol)), p.request)) {
        p.status = ParseStatus::Malformed;
        return p;
    }
    head.remove_prefix(eol + 1);
    while (!head.empty()) {
        eol = head.find('\n');
        std::string_view line = head.substr(0, eol);
        head.remove_prefix(eol == std::string_view::npos ? head.size() : eol + 1);
        if (trim(line).empty()) break;
        size_t colon = line.find(':');
        // No obsolete line folding, no space before the colon (RFC 9112 5.1, 5.2).
        if (colon == std::string_view::npos || !is_token(line.substr(0, colon))) {
            p.status = ParseStatus::Malformed;
            return p;
        }
        p.request.headers.emplace_back(std::string(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
    }
    p.status = ParseStatus::Complete;
    return p;
}

std::string_view reason_phrase(int status) {
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    }
    return "Unknown";
}

std::string HttpResponse::serialize() const {
    std::string out = "HTTP/1.1 " + std::to_string(status) + " " + std::string(reason_phrase(status)) + "\r\n";
    for (const auto& [n, v] : headers) out += n + ": " + v + "\r\n";
    out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    out += "Connection: close\r\n\r\n";
    if (!head) out += body;
    return out;
}

}  // namespace iotrace
