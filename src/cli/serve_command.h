// `iotrace serve`'s driver: the system-wide tracer (or -p, -U), a frame
// every second into the cumulative series, and the metrics endpoint
// answering scrapes from them (docs/prometheus.md).
#pragma once

namespace iotrace {

struct Options;

// Until SIGTERM, SIGINT or -d; exit status. Throws Failure (a port in use,
// no permission to trace).
int run_serve(const Options& o);

}  // namespace iotrace
