#include "flame/output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <vector>

#include "util/failure.h"
#include "util/unique_fd.h"

namespace iotrace {
namespace {

template <typename Id>
std::optional<Id> parse_id(const char* text) {
    if (!text || !*text) return std::nullopt;
    std::string_view s(text);
    unsigned long long v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v >= static_cast<unsigned long long>(Id(-1)))
        return std::nullopt;
    return static_cast<Id>(v);
}

std::string errno_text(int err) { return strerror(err); }

void write_all(int fd, std::string_view bytes, const std::string& what) {
    while (!bytes.empty()) {
        ssize_t n = ::write(fd, bytes.data(), bytes.size());
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) throw Failure("cannot write " + what + ": " + errno_text(errno));
        bytes.remove_prefix(static_cast<size_t>(n));
    }
}

std::string parent_dir(const std::string& path) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos) return ".";
    if (slash == 0) return "/";
    return path.substr(0, slash);
}

// Removes the temporary file unless it was renamed into place.
struct TempFile {
    std::string path;
    bool keep = false;
    ~TempFile() {
        if (!keep && !path.empty()) ::unlink(path.c_str());
    }
};

// Opens an existing device or fifo without following a link and without
// creating or truncating anything, and writes to it.
void write_special(const std::string& path, std::string_view bytes) {
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY));
    if (!fd) throw Failure("cannot write " + path + ": " + errno_text(errno));
    struct stat st;
    if (::fstat(fd.get(), &st) != 0 || S_ISREG(st.st_mode))
        throw Failure("cannot write " + path + ": it changed while being opened; try again");
    write_all(fd.get(), bytes, path);
}

}  // namespace

std::optional<Owner> sudo_owner() {
    if (::geteuid() != 0) return std::nullopt;
    std::optional<uid_t> uid = parse_id<uid_t>(::getenv("SUDO_UID"));
    if (!uid) return std::nullopt;
    std::optional<gid_t> gid = parse_id<gid_t>(::getenv("SUDO_GID"));
    return Owner{*uid, gid.value_or(static_cast<gid_t>(-1))};
}

void write_output(const std::string& path, std::string_view bytes) {
    if (path == "-") {
        write_all(STDOUT_FILENO, bytes, "to stdout");
        return;
    }
    if (path.empty()) throw Failure("no output file named: give -o FILE, or -o - for stdout", kExitUsage);
    struct stat st;
    if (::lstat(path.c_str(), &st) == 0) {
        if (S_ISLNK(st.st_mode))
            throw Failure("refusing to write " + path +
                          ": it is a symbolic link (iotrace never writes through one); remove it or choose "
                          "another name");
        if (S_ISDIR(st.st_mode)) throw Failure("cannot write " + path + ": it is a directory; name a file");
        // A device or a pipe (-o /dev/null, a fifo a viewer reads) is
        // written in place: renaming over it would replace the device node.
        if (!S_ISREG(st.st_mode)) {
            write_special(path, bytes);
            return;
        }
    }

    TempFile tmp;
    std::string pattern = path + ".XXXXXX";
    std::vector<char> name(pattern.begin(), pattern.end());
    name.push_back('\0');
    UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));  // O_CREAT|O_EXCL: never an existing file or link
    if (!fd) {
        throw Failure("cannot create a file in " + parent_dir(path) + " (for " + path + "): " + errno_text(errno) +
                      "; choose a directory you can write to");
    }
    tmp.path = name.data();
    mode_t mask = ::umask(0);
    ::umask(mask);
    if (::fchmod(fd.get(), 0666 & ~mask) != 0)
        throw Failure("cannot set the mode of " + tmp.path + ": " + errno_text(errno));
    if (auto owner = sudo_owner()) {
        if (::fchown(fd.get(), owner->uid, owner->gid) != 0)
            throw Failure("cannot give " + tmp.path + " to uid " + std::to_string(owner->uid) + " (SUDO_UID): " +
                          errno_text(errno));
    }
    write_all(fd.get(), bytes, tmp.path);
    if (::fsync(fd.get()) != 0) throw Failure("cannot write " + tmp.path + ": " + errno_text(errno));
    if (::close(fd.release()) != 0) throw Failure("cannot write " + tmp.path + ": " + errno_text(errno));
    // rename replaces the name itself: a link put there since the check
    // above is replaced, never followed.
    if (::rename(tmp.path.c_str(), path.c_str()) != 0)
        throw Failure("cannot write " + path + ": renaming " + tmp.path + " into place failed: " + errno_text(errno));
    tmp.keep = true;
}

}  // namespace iotrace
