#include "proc/proc_info.h"

#include <dirent.h>
#include <signal.h>

#include <cerrno>
#include <cstdlib>
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

std::optional<int> read_uid(int pid) { return status_field(pid, "Uid"); }

std::optional<ProcIdentity> read_identity(int pid) {
    auto comm = read_comm(pid);
    if (!comm) return std::nullopt;
    ProcIdentity id{*comm, 0, -1};
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    bool ppid = false, uid = false;
    while ((!ppid || !uid) && std::getline(in, line)) {
        try {
            if (line.rfind("PPid:", 0) == 0) id.ppid = std::stoi(line.substr(5)), ppid = true;
            if (line.rfind("Uid:", 0) == 0) id.uid = std::stoi(line.substr(4)), uid = true;
        } catch (...) {
        }
    }
    if (!ppid || !uid) return std::nullopt;  // gone between the two reads
    return id;
}

std::vector<int> list_pids() {
    std::vector<int> out;
    DIR* dir = ::opendir("/proc");
    if (!dir) return out;
    while (const dirent* e = ::readdir(dir)) {
        char* end = nullptr;
        long n = std::strtol(e->d_name, &end, 10);
        if (end != e->d_name && *end == '\0' && n > 0) out.push_back(static_cast<int>(n));
    }
    ::closedir(dir);
    return out;
}

}  // namespace iotrace
