#include "tracer/launcher.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>

#include "util/failure.h"

namespace iotrace {
namespace {

// What execvp would run for `name`, checked before anything is loaded, so a
// mistyped command is an error and not a "tracing" line then an error.
// Returns "" when found, else why not.
std::string find_command(const std::string& name) {
    auto runnable = [](const std::string& path) { return ::access(path.c_str(), X_OK) == 0; };
    if (name.find('/') != std::string::npos)
        return runnable(name) ? "" : std::strerror(errno);
    const char* env = std::getenv("PATH");
    std::string path = env ? env : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= path.size()) {
        size_t end = path.find(':', start);
        if (end == std::string::npos) end = path.size();
        std::string dir = path.substr(start, end - start);
        if (runnable((dir.empty() ? "." : dir) + "/" + name)) return "";
        start = end + 1;
    }
    return "not found in PATH";
}

}  // namespace

Launched::Launched(const std::vector<std::string>& command, const std::string& user) : name_(command.at(0)) {
    // Resolve the user before forking: the child must not read /etc files
    // once it is traced.
    uid_t uid = 0;
    gid_t gid = 0;
    if (!user.empty()) {
        passwd* pw = getpwnam(user.c_str());
        if (!pw) throw Failure("user '" + user + "' does not exist (-u)", kExitUsage);
        uid = pw->pw_uid;
        gid = pw->pw_gid;
    }
    if (std::string why = find_command(name_); !why.empty())
        throw Failure("cannot run '" + name_ + "': " + why);
    int go[2], err[2];
    if (pipe2(go, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
        throw Failure(std::string("cannot create a pipe: ") + std::strerror(errno));

    std::vector<char*> argv;
    for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);

    pid_ = fork();
    if (pid_ < 0) throw Failure(std::string("cannot fork: ") + std::strerror(errno));
    if (pid_ == 0) {
        // Child: everything that makes syscalls happens before the go byte.
        ::close(go[1]);
        ::close(err[0]);
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        int e = 0;
        if (!user.empty() &&
            (initgroups(user.c_str(), gid) != 0 || setgid(gid) != 0 || setuid(uid) != 0))
            e = errno ? errno : EPERM;
        char b;
        while (::read(go[0], &b, 1) < 0 && errno == EINTR) {
        }
        if (e == 0) {
            execvp(argv[0], argv.data());
            e = errno;
        }
        (void)!::write(err[1], &e, sizeof(e));
        _exit(127);
    }
    ::close(go[0]);
    ::close(err[1]);
    go_.reset(go[1]);
    err_.reset(err[0]);
}

void Launched::release() {
    char b = 1;
    (void)!::write(go_.get(), &b, 1);
    go_.reset();
    int e = 0;
    ssize_t n;
    while ((n = ::read(err_.get(), &e, sizeof(e))) < 0 && errno == EINTR) {
    }
    err_.reset();
    if (n == static_cast<ssize_t>(sizeof(e))) {
        reap();
        throw Failure("cannot run '" + name_ + "': " + std::strerror(e));
    }
}

bool Launched::reap() {
    if (reaped_) return true;
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) reaped_ = true;
    return reaped_;
}

Launched::~Launched() {
    if (go_) {  // never released: do not leave it hanging
        go_.reset();
        ::kill(pid_, SIGKILL);
    }
    if (!reaped_) waitpid(pid_, nullptr, WNOHANG);
}

}  // namespace iotrace
