#include "tracer/libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <deque>
#include <string>

namespace iotrace {
namespace {

bool g_verbose = false;
std::deque<std::string> g_lines;
constexpr size_t kKeep = 200;

int print_fn(enum libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_DEBUG && !g_verbose) return 0;
    char buf[1024];
    int n = vsnprintf(buf, sizeof(buf), fmt, args);
    if (g_verbose) fputs(buf, stderr);
    std::string line(buf, n > 0 ? std::min<size_t>(static_cast<size_t>(n), sizeof(buf) - 1) : 0);
    while (!line.empty() && line.back() == '\n') line.pop_back();
    g_lines.push_back(line);
    if (g_lines.size() > kKeep) g_lines.pop_front();
    return n;
}

}  // namespace

void libbpf_log_init(bool verbose) {
    g_verbose = verbose;
    libbpf_set_print(print_fn);
}

std::string libbpf_log_tail(size_t max_lines) {
    std::string out;
    size_t start = g_lines.size() > max_lines ? g_lines.size() - max_lines : 0;
    for (size_t i = start; i < g_lines.size(); ++i) out += "\n  " + g_lines[i];
    return out;
}

}  // namespace iotrace
