// What the metrics endpoint answers each request with: the landing page at
// `/`, the metrics at the metrics path (format by content negotiation), 404
// elsewhere, 405 for methods other than GET and HEAD. Pure apart from the
// handler, so it is unit-tested without sockets.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "serve/exposition_format.h"
#include "serve/http_message.h"

namespace iotrace {

// Builds the metrics body of one scrape in the negotiated format (the
// driver: snapshot, diagnose, render_metrics). An exception becomes a 500.
using ScrapeHandler = std::function<std::string(ExpositionFormat)>;

HttpResponse respond(const HttpRequest& req, std::string_view metrics_path, const ScrapeHandler& scrape);

// The response to a request that could not be parsed (400, 431), a client
// that sent nothing in time (408), or one over the connection limit (503).
HttpResponse error_response(int status);

// A metrics path as --path may give it: starts with "/", no query, no
// space or control character, not "/" (the landing page).
bool valid_metrics_path(std::string_view path);

}  // namespace iotrace
