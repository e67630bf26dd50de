#include "serve/render.h"

#include <charconv>
#include <cmath>

namespace iotrace {
namespace {

// The name `# HELP` and `# TYPE` carry: OpenMetrics names the family, the
// text format the samples (a counter's are NAME_total, an info's NAME_info).
std::string descriptor_name(const MetricFamily& f, ExpositionFormat format) {
    if (format == ExpositionFormat::OpenMetrics) return f.name;
    if (f.type == MetricType::Counter) return f.name + "_total";
    if (f.type == MetricType::Info) return f.name + "_info";
    return f.name;
}

std::string_view type_name(MetricType t, ExpositionFormat format) {
    bool om = format == ExpositionFormat::OpenMetrics;
    switch (t) {
    case MetricType::Counter: return "counter";
    case MetricType::Gauge: return "gauge";
    case MetricType::Histogram: return "histogram";
    case MetricType::StateSet: return om ? "stateset" : "gauge";
    case MetricType::Info: return om ? "info" : "gauge";
    }
    return "unknown";
}

// HELP text: the text format escapes \ and newline; OpenMetrics also ".
std::string escape_help(std::string_view h, ExpositionFormat format) {
    std::string out;
    for (char c : h) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\n')
            out += "\\n";
        else if (c == '"' && format == ExpositionFormat::OpenMetrics)
            out += "\\\"";
        else
            out += c;
    }
    return out;
}

void write_sample(std::string& out, const MetricFamily& f, const Sample& s) {
    out += f.name;
    out += s.suffix;
    if (!s.labels.empty()) {
        out += '{';
        for (size_t i = 0; i < s.labels.size(); ++i) {
            if (i > 0) out += ',';
            out += s.labels[i].first;
            out += "=\"";
            out += escape_label_value(s.labels[i].second);
            out += '"';
        }
        out += '}';
    }
    out += ' ';
    out += format_value(s.value);
    out += '\n';
}

}  // namespace

std::string escape_label_value(std::string_view v) {
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '"')
            out += "\\\"";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
    return out;
}

// As Go's strconv.FormatFloat(d, 'g', -1, 64), which Prometheus and its
// client libraries write: the shortest digits that read back exactly, in
// exponent form when the exponent is below -4 or at least 6 ("2e-09",
// "1.5e+06"), else plain ("0.000123", "123456").
std::string format_double(double d) {
    if (std::isnan(d)) return "NaN";
    if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
    if (d == 0) return std::signbit(d) ? "-0" : "0";
    char buf[64];
    auto sci = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view s(buf, static_cast<size_t>(sci.ptr - buf));
    int exp = 0;
    size_t e = s.find('e');
    std::string_view es = s.substr(e + 1);
    if (!es.empty() && es[0] == '+') es.remove_prefix(1);
    std::from_chars(es.data(), es.data() + es.size(), exp);
    if (exp < -4 || exp >= 6) return std::string(s);
    auto fixed = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    return std::string(buf, fixed.ptr);
}

std::string format_value(const SampleValue& v) { return v.integer ? std::to_string(v.u) : format_double(v.d); }

std::string render_families(const std::vector<MetricFamily>& families, ExpositionFormat format) {
    std::string out;
    bool om = format == ExpositionFormat::OpenMetrics;
    for (const MetricFamily& f : families) {
        std::string name = descriptor_name(f, format);
        if (om) {
            // OpenMetrics: TYPE first, as its examples do; the text format
            // puts HELP first, as the Prometheus clients do.
            out += "# TYPE " + name + " " + std::string(type_name(f.type, format)) + "\n";
            if (!f.unit.empty()) out += "# UNIT " + name + " " + f.unit + "\n";
            out += "# HELP " + name + " " + escape_help(f.help, format) + "\n";
        } else {
            out += "# HELP " + name + " " + escape_help(f.help, format) + "\n";
            out += "# TYPE " + name + " " + std::string(type_name(f.type, format)) + "\n";
        }
        for (const Sample& s : f.samples) write_sample(out, f, s);
    }
    if (om) out += "# EOF\n";
    return out;
}

}  // namespace iotrace
