#include "proc/epoll_fdinfo.h"

#include <map>
#include <string>

#include "proc/proc_file.h"
#include "proc/text_scan.h"

namespace iotrace {
namespace {

constexpr std::string_view kEpollLink = "anon_inode:[eventpoll]";

// A tfd line as key → value. The kernel pads values after "key:" with spaces
// for tfd, events and data ("events:       19") but not for pos, ino and
// sdev ("ino:6e28"), so both spellings are accepted.
std::map<std::string_view, std::string_view> key_values(std::string_view line) {
    std::map<std::string_view, std::string_view> kv;
    std::vector<std::string_view> fields = split_fields(line);
    for (size_t i = 0; i < fields.size(); ++i) {
        size_t colon = fields[i].find(':');
        if (colon == std::string_view::npos) continue;
        std::string_view key = fields[i].substr(0, colon);
        std::string_view value = fields[i].substr(colon + 1);
        if (value.empty() && i + 1 < fields.size()) value = fields[++i];
        kv.emplace(key, value);
    }
    return kv;
}

std::optional<EpollRegistration> parse_line(std::string_view line) {
    if (line.substr(0, 4) != "tfd:") return std::nullopt;
    auto kv = key_values(line);
    auto fd = parse_number<int>(kv["tfd"], 10);
    auto events = parse_number<uint32_t>(kv["events"], 16);
    auto data = parse_number<uint64_t>(kv["data"], 16);
    if (!fd || !events || !data) return std::nullopt;
    EpollRegistration r{*fd, *events, *data};
    // Older kernels print only tfd, events and data: pos, ino and sdev were
    // appended later, so they are optional.
    if (auto ino = parse_number<uint64_t>(kv["ino"], 16)) r.ino = *ino;
    if (auto sdev = parse_number<uint32_t>(kv["sdev"], 16)) r.sdev = *sdev;
    return r;
}

}  // namespace

std::vector<EpollRegistration> parse_epoll_fdinfo(std::string_view text) {
    std::vector<EpollRegistration> regs;
    for (std::string_view line : split_lines(text))
        if (auto r = parse_line(line)) regs.push_back(*r);
    return regs;
}

std::vector<int> epoll_fds(int pid) {
    std::vector<int> out;
    for (int fd : list_fds(pid)) {
        auto link = read_link(proc_path(pid, "fd/" + std::to_string(fd)));
        if (link && *link == kEpollLink) out.push_back(fd);
    }
    return out;
}

std::optional<std::vector<EpollRegistration>> read_epoll_registrations(int pid, int epfd) {
    // Without this check any other fd's fdinfo would parse as an epoll fd
    // with no registrations.
    auto link = read_link(proc_path(pid, "fd/" + std::to_string(epfd)));
    if (!link || *link != kEpollLink) return std::nullopt;
    auto text = read_text_file(proc_path(pid, "fdinfo/" + std::to_string(epfd)));
    if (!text) return std::nullopt;
    return parse_epoll_fdinfo(*text);
}

}  // namespace iotrace
