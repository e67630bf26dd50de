#include "proc/proc_info.h"

#include <signal.h>

#include <cerrno>
#include <fstream>
#include <string>

namespace iotrace {
namespace {

std::optional<int> status_field(int pid, const std::string& key) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(key + ":", 0) == 0) {
            try {
                return std::stoi(line.substr(key.size() + 1));
            } catch (...) {
                return std::nullopt;
            }
        }
    }
    return std::nullopt;
}

}  // namespace

bool process_exists(int pid) {
    // kill(0) answers EPERM for a live process we may not signal: still alive.
    return pid > 0 && (::kill(pid, 0) == 0 || errno == EPERM);
}

std::optional<std::string> read_comm(int pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
    std::string comm;
    if (!std::getline(in, comm)) return std::nullopt;
    return comm;
}

std::optional<int> read_tgid(int tid) { return status_field(tid, "Tgid"); }

std::optional<int> read_ppid(int pid) { return status_field(pid, "PPid"); }

}  // namespace iotrace
