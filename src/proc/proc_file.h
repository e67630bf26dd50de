// The primitives the /proc readers share: whole-file reads, link targets and
// the fd list of a process. Processes exit while we read their /proc
// entries, so every failure is an empty answer, never an exception: the
// caller treats "gone" and "unreadable" alike, as "nothing to report".
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace iotrace {

// The whole text of a (pseudo-)file; nullopt if it cannot be opened or read.
std::optional<std::string> read_text_file(const std::string& path);

// The target of a symbolic link, e.g. "socket:[1234]" for /proc/PID/fd/N.
std::optional<std::string> read_link(const std::string& path);

// The open fd numbers of a process, ascending; empty if it is gone.
std::vector<int> list_fds(int pid);

// "/proc/PID/<rest>".
std::string proc_path(int pid, const std::string& rest);

}  // namespace iotrace
