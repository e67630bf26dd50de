#include "flame/stacks.h"

#include <map>

#include "report/format.h"

namespace iotrace::flame {
namespace {

struct WeightInfo {
    std::string_view name, unit, unit_short, description;
};

// Indexed by Weight.
constexpr WeightInfo kWeights[] = {
    {"time", "nanoseconds", "ns", "ns inside syscalls, blocked or not"},
    {"cpu", "nanoseconds", "ns", "ns on CPU inside syscalls"},
    {"count", "none", "calls", "calls"},
    {"bytes", "bytes", "bytes", "data bytes received and sent"},
};

const WeightInfo& info(Weight w) { return kWeights[static_cast<size_t>(w)]; }

}  // namespace

std::string_view weight_name(Weight w) { return info(w).name; }
std::string_view weight_unit(Weight w) { return info(w).unit; }
std::string_view weight_unit_short(Weight w) { return info(w).unit_short; }
std::string_view weight_description(Weight w) { return info(w).description; }

bool weight_from_name(std::string_view name, Weight& out) {
    for (Weight w : {Weight::Time, Weight::Cpu, Weight::Count, Weight::Bytes}) {
        if (weight_name(w) == name) {
            out = w;
            return true;
        }
    }
    return false;
}

std::string weight_label(Weight w, uint64_t value) {
    std::string unit(weight_unit_short(w));
    if (value == 1 && w == Weight::Count) unit = "call";
    if (value == 1 && w == Weight::Bytes) unit = "byte";
    return group_digits(value) + " " + unit;
}

namespace {

// Length of the valid UTF-8 sequence at s[i], or 0 when it is not one
// (overlong forms, surrogates and code points past U+10FFFF included).
size_t utf8_sequence(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char c = byte(i);
    if (c < 0x80) return 1;
    size_t len = 0;
    uint32_t cp = 0, min = 0;
    if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F, min = 0x80;
    else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F, min = 0x800;
    else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07, min = 0x10000;
    else return 0;
    if (i + len > s.size()) return 0;
    for (size_t k = 1; k < len; ++k) {
        if ((byte(i + k) & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (byte(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

}  // namespace

std::string sanitize_frame(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (size_t i = 0; i < name.size();) {
        unsigned char c = static_cast<unsigned char>(name[i]);
        size_t len = utf8_sequence(name, i);
        if (len == 0) {
            out += "\xEF\xBF\xBD";  // U+FFFD
            ++i;
        } else if (c == ';') {
            out += ':';
            ++i;
        } else if (c < 0x20 || c == 0x7F) {
            out += ' ';
            ++i;
        } else {
            out.append(name.substr(i, len));
            i += len;
        }
    }
    size_t first = out.find_first_not_of(' ');
    if (first == std::string::npos) return "[unknown]";
    size_t last = out.find_last_not_of(' ');
    return out.substr(first, last - first + 1);
}

std::vector<Stack> merge_stacks(std::vector<Stack> stacks) {
    std::map<std::vector<std::string>, uint64_t> sums;  // ordered: the sort comes with it
    for (Stack& s : stacks) {
        if (s.weight == 0) continue;
        sums[std::move(s.frames)] += s.weight;
    }
    std::vector<Stack> out;
    out.reserve(sums.size());
    for (auto& [frames, weight] : sums) out.push_back({frames, weight});
    return out;
}

uint64_t total_weight(const std::vector<Stack>& stacks) {
    uint64_t n = 0;
    for (const Stack& s : stacks) n += s.weight;
    return n;
}

uint64_t total_weight(const Profile& profile) {
    uint64_t n = 0;
    for (const ProcessStacks& p : profile.processes) n += total_weight(p.stacks);
    return n;
}

}  // namespace iotrace::flame
