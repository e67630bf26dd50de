#include "format.h"

#include <cmath>
#include <fmt/format.h>

namespace iotrace {
namespace {

// Inserts a comma every three digits of a run of decimal digits.
std::string group_digit_run(const std::string& digits) {
    std::string out;
    out.reserve(digits.size() + digits.size() / 3);
    size_t lead = digits.size() % 3;
    if (lead == 0) lead = 3;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i >= lead && (i - lead) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

}  // namespace

std::string group_digits(uint64_t n) { return group_digit_run(std::to_string(n)); }

std::string fixed_grouped(double value, int decimals) {
    std::string s = fmt::format("{:.{}f}", value, decimals < 0 ? 0 : decimals);
    if (!std::isfinite(value)) return s;  // callers avoid this; never mangle it
    std::string sign;
    if (!s.empty() && s[0] == '-') {
        sign = "-";
        s.erase(0, 1);
    }
    size_t point = s.find('.');
    std::string int_part = s.substr(0, point);
    std::string rest = point == std::string::npos ? "" : s.substr(point);
    return sign + group_digit_run(int_part) + rest;
}

std::string ratio(uint64_t num, uint64_t den, int decimals) {
    if (den == 0) return "-";
    return fixed_grouped(static_cast<double>(num) / static_cast<double>(den), decimals);
}

std::string percent(uint64_t part, uint64_t whole, int decimals) {
    if (whole == 0) return "-";
    return fixed_grouped(100.0 * static_cast<double>(part) / static_cast<double>(whole), decimals) + "%";
}

std::string human_duration_ns(double ns) {
    if (!std::isfinite(ns) || ns < 0) return "-";
    // Thresholds sit where rounding to the printed precision would reach
    // 1000 of the smaller unit, so 999.97 us prints "1.00 ms", not "1000.0 us".
    if (ns < 999.5) return fmt::format("{:.0f} ns", ns);
    if (ns < 999'950.0) return fmt::format("{:.1f} us", ns / 1e3);
    if (ns < 999'995'000.0) return fmt::format("{:.2f} ms", ns / 1e6);
    return fixed_grouped(ns / 1e9, 2) + " s";
}

std::string seconds_6(uint64_t ns) {
    return fmt::format("{}.{:06}", ns / 1'000'000'000u, (ns / 1'000u) % 1'000'000u);
}

}  // namespace iotrace
