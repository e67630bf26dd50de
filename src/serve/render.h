// Writes metric families (metric_family.h) in the Prometheus text format
// 0.0.4 or in OpenMetrics 1.0.0. Pure: the same families always give the
// same bytes.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "serve/exposition_format.h"
#include "serve/metric_family.h"

namespace iotrace {

// Text 0.0.4: `# HELP` and `# TYPE` name the samples' name (a counter's
// HELP is on NAME_total), state sets and infos are gauges, no units.
// OpenMetrics: `# TYPE` (counter, gauge, histogram, stateset, info),
// `# UNIT` when the family has one, `# HELP`, the samples, then `# EOF`.
std::string render_families(const std::vector<MetricFamily>& families, ExpositionFormat format);

// A label value as both formats write it between quotes: \ " and newline
// escaped as \\ \" \n; everything else (UTF-8 included) as is.
std::string escape_label_value(std::string_view v);

// A number as both formats write it: integers in full, doubles in the
// shortest form that reads back exactly ("0.5", "2e-09"), +Inf, -Inf, NaN.
std::string format_value(const SampleValue& v);
std::string format_double(double d);

}  // namespace iotrace
