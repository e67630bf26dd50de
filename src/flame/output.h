// Writing an output file safely: iotrace runs as root, often under sudo, in
// directories other users can write to (/tmp). It never writes through a
// symbolic link and never leaves a half-written file under the final name,
// and what it writes belongs to the user who ran sudo.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <sys/types.h>

namespace iotrace {

// The invoking user's ids under sudo: SUDO_UID and SUDO_GID when the
// effective user is root and SUDO_UID is a plain decimal number (SUDO_GID
// missing or malformed: the group is left as it is, -1). nullopt otherwise.
struct Owner {
    uid_t uid;
    gid_t gid;  // (gid_t)-1: leave the group
};
std::optional<Owner> sudo_owner();

// Writes `bytes` to `path`: "-" is stdout; otherwise into a new temporary
// file in the same directory (O_EXCL: never an existing file or link),
// permissions 0666 less the umask, chowned to sudo_owner() when there is
// one, flushed, then renamed over `path`. Throws Failure (exit 1) naming the
// path and the fix when `path` is a symbolic link or a directory, or when a
// step fails; the temporary file is removed then.
void write_output(const std::string& path, std::string_view bytes);

}  // namespace iotrace
