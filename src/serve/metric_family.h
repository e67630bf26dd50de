// Metrics as plain data, in the OpenMetrics model: a family has one name,
// type, unit and help, and samples. The exposition (exposition.h) builds
// them from a snapshot; render_families (render.h) writes them in either
// format, so the two formats cannot disagree on a value or a label.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace iotrace {

enum class MetricType {
    Counter,    // samples NAME_total
    Gauge,      // samples NAME
    Histogram,  // samples NAME_bucket{le}, NAME_sum, NAME_count
    StateSet,   // samples NAME{NAME="state"} 0 or 1 (a gauge in the text format)
    Info,       // samples NAME_info 1 (a gauge NAME_info in the text format)
};

using Label = std::pair<std::string, std::string>;  // name, value (raw: escaped when written)

// A sample value: an exact integer or a double (seconds...).
struct SampleValue {
    bool integer = true;
    uint64_t u = 0;
    double d = 0;
    static SampleValue of(uint64_t v) { return {true, v, 0}; }
    static SampleValue real(double v) { return {false, 0, v}; }
};

struct Sample {
    std::string suffix;  // appended to the family name: "_total", "_bucket", "_sum", "_count", "_info", ""
    std::vector<Label> labels;
    SampleValue value;
};

struct MetricFamily {
    std::string name;  // the OpenMetrics family name: no _total, no _info ("iotrace_waits", "iotrace_build")
    MetricType type = MetricType::Gauge;
    std::string unit;  // "seconds", "bytes" or "": when set, name ends in "_" + unit
    std::string help;  // one line
    std::vector<Sample> samples;  // one metric's samples together (a histogram's buckets, sum, count)
};

}  // namespace iotrace
