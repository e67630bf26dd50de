#include "util/utf8.h"

namespace iotrace {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

struct Match {
    size_t matched;  // bytes from i that fit the sequence their lead byte begins
    bool complete;   // and they make a whole, well-formed sequence
};

// Unicode 15, table 3-7: the allowed range of the second byte depends on
// the first (no overlong forms, no surrogates, nothing above U+10FFFF).
Match match_at(std::string_view s, size_t i) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
    unsigned char b0 = byte(i);
    if (b0 < 0x80) return {1, true};
    size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        if (b0 == 0xE0) lo = 0xA0;
        if (b0 == 0xED) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;
    } else {
        return {1, false};
    }
    size_t n = 1;
    for (; n < len && i + n < s.size(); ++n) {
        unsigned char b = byte(i + n);
        if (n == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80) break;
    }
    return {n, n == len};
}

}  // namespace

std::string valid_utf8(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        Match m = match_at(s, i);
        if (m.complete)
            out.append(s.substr(i, m.matched));
        else
            out.append(kReplacement);
        i += m.matched;
    }
    return out;
}

}  // namespace iotrace
