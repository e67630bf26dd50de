// The two formats `iotrace serve` writes its metrics in, and their HTTP
// content types (docs/prometheus.md).
#pragma once

#include <string_view>

namespace iotrace {

enum class ExpositionFormat {
    PrometheusText,  // the Prometheus text format 0.0.4 (the default)
    OpenMetrics,     // OpenMetrics 1.0.0: units, state sets, info, `# EOF`
};

constexpr std::string_view content_type(ExpositionFormat f) {
    return f == ExpositionFormat::OpenMetrics ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
                                              : "text/plain; version=0.0.4; charset=utf-8";
}

}  // namespace iotrace
