#include "flame/colour.h"

#include "iotrace.h"
#include "model/syscalls.h"

namespace iotrace::flame {
namespace {

uint64_t fnv1a(std::string_view s) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned char c : s) {
        h ^= c;
        h *= 0x100000001b3ull;
    }
    return h;
}

// A channel value in [lo, hi], from one byte of the hash.
uint8_t shade(uint64_t h, int byte, int lo, int hi) {
    unsigned v = static_cast<unsigned>((h >> (8 * byte)) & 0xFF);
    return static_cast<uint8_t>(lo + (hi - lo) * static_cast<int>(v) / 255);
}

// A base colour varied by the hash: every channel moves by up to `spread`
// together (lighter or darker), the red or blue a little on its own.
Rgb vary(Rgb base, uint64_t h, int spread) {
    int d = shade(h, 0, 0, spread) - spread / 2;
    auto clamp = [](int v) { return static_cast<uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v); };
    return {clamp(base.r + d + shade(h, 1, 0, 10)), clamp(base.g + d), clamp(base.b + d + shade(h, 2, 0, 10))};
}

bool is_fd_kind(std::string_view name) {
    for (uint32_t k = 0; k <= IOT_KIND_FILE; ++k)
        if (fd_kind_name(k) == name) return true;
    return false;
}

}  // namespace

Rgb frame_colour(std::string_view name) {
    uint64_t h = fnv1a(name);
    if (name == "all") return {200, 200, 200};
    if (name.starts_with(kModelPrefix)) return vary({185, 120, 200}, h, 30);
    if (auto sys = syscall_by_name(name)) {
        switch (syscall_info(*sys).family) {
            case SyscallFamily::Wait:
            case SyscallFamily::AsyncIo: return vary({90, 150, 230}, h, 30);
            case SyscallFamily::Recv: return vary({100, 200, 100}, h, 30);
            case SyscallFamily::Send: return vary({220, 210, 80}, h, 30);
            case SyscallFamily::EpollCtl:
            case SyscallFamily::Accept:
            case SyscallFamily::Close: return vary({90, 200, 200}, h, 30);
        }
    }
    if (is_fd_kind(name)) return vary({190, 150, 110}, h, 30);
    return {shade(h, 0, 205, 250), shade(h, 1, 70, 170), shade(h, 2, 30, 80)};
}

std::string css_rgb(Rgb c) {
    return "rgb(" + std::to_string(c.r) + "," + std::to_string(c.g) + "," + std::to_string(c.b) + ")";
}

}  // namespace iotrace::flame
