#include "tracer/libbpf_log.h"

#include <bpf/libbpf.h>

#include <cstdarg>
#include <cstdio>
#include <deque>
#include <string>
#include <vector>

namespace iotrace {
namespace {

bool g_verbose = false;
std::deque<std::string> g_lines;
constexpr size_t kKeep = 200;
std::optional<ProgramFailure> g_failure;

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

// "libbpf: prog 'NAME': REST" -> NAME and REST
bool prog_message(const std::string& msg, std::string& name, std::string& rest) {
    auto p = msg.find("prog '");
    if (p == std::string::npos) return false;
    auto q = msg.find("': ", p + 6);
    if (q == std::string::npos) return false;
    name = msg.substr(p + 6, q - p - 6);
    rest = msg.substr(q + 3);
    return true;
}

// libbpf reports a refused program in two messages: "BPF program load
// failed: ERR", then the verifier's log between BEGIN/END markers.
void note_failure(const std::string& msg) {
    std::string name, rest;
    if (!prog_message(msg, name, rest)) return;
    if (starts_with(rest, "BPF program load failed: ")) {
        if (g_failure && g_failure->program != name) return;  // keep the first
        g_failure = ProgramFailure{name, rest.substr(25), "", ""};
        while (!g_failure->error.empty() && g_failure->error.back() == '\n') g_failure->error.pop_back();
    } else if (starts_with(rest, "-- BEGIN PROG LOAD LOG --") && g_failure && g_failure->program == name) {
        std::string log = rest.substr(25);
        if (!log.empty() && log.front() == '\n') log.erase(0, 1);
        auto end = log.rfind("-- END PROG LOAD LOG --");
        if (end != std::string::npos) log.erase(end);
        g_failure->verifier_log = log;
        g_failure->last_line = verifier_verdict(log);
    }
}

int print_fn(enum libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_DEBUG && !g_verbose) return 0;
    va_list copy;
    va_copy(copy, args);
    int n = vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return n;
    // A verifier log arrives as one message of up to megabytes.
    std::vector<char> buf(static_cast<size_t>(n) + 1);
    vsnprintf(buf.data(), buf.size(), fmt, args);
    std::string msg(buf.data(), static_cast<size_t>(n));
    if (g_verbose) fputs(msg.c_str(), stderr);
    note_failure(msg);
    size_t start = 0;
    while (start < msg.size()) {
        size_t nl = msg.find('\n', start);
        std::string line = msg.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        g_lines.push_back(line);
        if (g_lines.size() > kKeep) g_lines.pop_front();
        if (nl == std::string::npos) break;
        start = nl + 1;
    }
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

void libbpf_log_reset_failure() { g_failure.reset(); }

std::optional<ProgramFailure> libbpf_log_failure() { return g_failure; }

std::string verifier_verdict(const std::string& log) {
    std::string verdict;
    size_t start = 0;
    while (start < log.size()) {
        size_t nl = log.find('\n', start);
        std::string line = log.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
        start = nl == std::string::npos ? log.size() : nl + 1;
        if (line.empty() || starts_with(line, "processed ") || starts_with(line, "verification time") ||
            starts_with(line, "stack depth") || starts_with(line, "Validating "))
            continue;
        verdict = line;
    }
    return verdict;
}

}  // namespace iotrace
