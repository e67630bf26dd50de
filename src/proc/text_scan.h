// Tokenizing helpers for the /proc parsers: the kernel's tables are lines of
// whitespace-separated fields, numbers in a fixed base with no prefix.
#pragma once

#include <charconv>
#include <optional>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <vector>

namespace iotrace {

// Splits on spaces and tabs; runs of them count as one separator.
inline std::vector<std::string_view> split_fields(std::string_view line) {
    std::vector<std::string_view> fields;
    size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
        size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
        if (i > start) fields.push_back(line.substr(start, i - start));
    }
    return fields;
}

// The lines of TEXT without their '\n'; a missing final newline is tolerated.
inline std::vector<std::string_view> split_lines(std::string_view text) {
    std::vector<std::string_view> lines;
    while (!text.empty()) {
        size_t nl = text.find('\n');
        lines.push_back(text.substr(0, nl));
        if (nl == std::string_view::npos) break;
        text.remove_prefix(nl + 1);
    }
    return lines;
}

// The whole of S as an unsigned or signed integer in BASE; nullopt if S is
// empty, has anything else in it, or overflows T.
template <typename T>
std::optional<T> parse_number(std::string_view s, int base = 10) {
    static_assert(std::is_integral_v<T>);
    T value{};
    const char* end = s.data() + s.size();
    auto [p, ec] = std::from_chars(s.data(), end, value, base);
    if (s.empty() || ec != std::errc() || p != end) return std::nullopt;
    return value;
}

}  // namespace iotrace
