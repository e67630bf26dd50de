// Starts `-- CMD`: forks a child that drops to -u USER, then waits until the
// tracer has made it a target before it execs, so nothing CMD does is missed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "util/unique_fd.h"

namespace iotrace {

class Launched {
public:
    // Forks; the child is stopped before exec until release(). Throws Failure
    // (unknown user, fork failure).
    Launched(const std::vector<std::string>& command, const std::string& user);
    ~Launched();
    Launched(const Launched&) = delete;
    Launched& operator=(const Launched&) = delete;

    pid_t pid() const { return pid_; }
    // Lets the child exec; throws Failure if exec failed ("cannot run ...").
    void release();
    // Reaps the child if it has exited; true once it has.
    bool reap();

private:
    pid_t pid_ = -1;
    bool reaped_ = false;
    std::string name_;
    UniqueFd go_;   // write end: one byte lets the child exec
    UniqueFd err_;  // read end: the child's errno if exec failed, EOF if it worked
};

}  // namespace iotrace
