// Which format a scrape gets, from its Accept header (RFC 9110 12.5.1):
// OpenMetrics when the client prefers it (Prometheus asks for
// `application/openmetrics-text;version=1.0.0` first since 2.5), the text
// format 0.0.4 otherwise (curl, a browser, no header). Pure.
#pragma once

#include <string_view>

#include "serve/exposition_format.h"

namespace iotrace {

// The media ranges are taken by quality (q, default 1; q=0 refuses), ties
// in header order; the first one this server can serve decides:
// application/openmetrics-text with version 1.0.0, 0.0.1 (the same format's
// draft, which Prometheus parses alike) or none -> OpenMetrics 1.0.0;
// text/plain with version 0.0.4 or none, text/*, */* -> text 0.0.4. Types
// it cannot serve (protobuf, ...) are passed over. Nothing served asked
// for: text 0.0.4, as Prometheus' own client libraries do.
ExpositionFormat negotiate(std::string_view accept);

}  // namespace iotrace
