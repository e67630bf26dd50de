#include "serve/negotiate.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace iotrace {
namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    for (;;) {
        size_t at = s.find(sep);
        out.push_back(trim(s.substr(0, at)));
        if (at == std::string_view::npos) return out;
        s.remove_prefix(at + 1);
    }
}

// "0.8" -> 800, "1" -> 1000 (qvalue: at most three decimals); nullopt when malformed.
std::optional<int> qvalue(std::string_view v) {
    if (v.empty() || (v[0] != '0' && v[0] != '1')) return std::nullopt;
    int q = (v[0] - '0') * 1000;
    if (v.size() == 1) return q;
    if (v[1] != '.' || v.size() > 5) return std::nullopt;
    int scale = 100;
    for (char c : v.substr(2)) {
        if (c < '0' || c > '9') return std::nullopt;
        q += (c - '0') * scale;
        scale /= 10;
    }
    return q > 1000 ? std::nullopt : std::optional<int>(q);
}

struct Range {
    std::optional<ExpositionFormat> serves;  // what this server answers it with, if anything
    int q = 1000;
    size_t order = 0;
};

std::string unquote(std::string_view v) {
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    return std::string(v);
}

Range parse_range(std::string_view item, size_t order) {
    Range r;
    r.order = order;
    std::vector<std::string_view> parts = split(item, ';');
    std::string type = lower(parts[0]);
    std::string version;
    for (size_t i = 1; i < parts.size(); ++i) {
        size_t eq = parts[i].find('=');
        if (eq == std::string_view::npos) continue;
        std::string key = lower(trim(parts[i].substr(0, eq)));
        std::string_view value = trim(parts[i].substr(eq + 1));
        if (key == "q") {
            r.q = qvalue(value).value_or(0);  // a malformed q is no preference: refused
        } else if (key == "version") {
            version = unquote(value);
        }
    }
    if (type == "application/openmetrics-text") {
        if (version.empty() || version == "1.0.0" || version == "0.0.1") r.serves = ExpositionFormat::OpenMetrics;
    } else if (type == "text/plain") {
        if (version.empty() || version == "0.0.4") r.serves = ExpositionFormat::PrometheusText;
    } else if (type == "text/*" || type == "*/*") {
        r.serves = ExpositionFormat::PrometheusText;
    }
    return r;
}

}  // namespace

ExpositionFormat negotiate(std::string_view accept) {
    std::vector<Range> ranges;
    size_t order = 0;
    for (std::string_view item : split(accept, ','))
        if (!item.empty()) ranges.push_back(parse_range(item, order++));
    std::stable_sort(ranges.begin(), ranges.end(), [](const Range& a, const Range& b) { return a.q > b.q; });
    for (const Range& r : ranges)
        if (r.q > 0 && r.serves) return *r.serves;
    return ExpositionFormat::PrometheusText;
}

}  // namespace iotrace
