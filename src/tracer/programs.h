// The kernel side's programs and what each one is for: the two syscall
// dispatchers (without them nothing is counted), one entry and one exit
// program per syscall family (an exit may have a simpler fallback without
// the readiness walk), and the scheduler hooks. From which programs loaded,
// which parts of iotrace's figures are available. Pure data: unit-tested.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/availability.h"

namespace iotrace {

// One syscall family: its programs, the parts it provides, its syscalls.
struct Family {
    const char* name;        // "select"
    const char* enter;       // "enter_select"
    const char* exit;        // "exit_select"
    const char* exit_basic;  // "exit_select_basic", or nullptr: no fallback
    Part counts;             // missing when enter or every exit is missing
    bool has_readiness;      // `readiness` is meaningful
    Part readiness;          // missing when only exit_basic loaded
    // its syscalls (enum iot_sys): syscalls_of(counts)
};

const std::vector<Family>& families();

// Programs attached to tracepoints, in attach order: the dispatchers first.
struct Hook {
    const char* name;  // "on_switch"
    bool core;         // iotrace cannot run without it
    bool has_part;
    Part part;         // what is missing without it
    const char* without;  // for the warning: what goes without it
};
const std::vector<Hook>& hooks();

// Programs loaded only as another's fallback (off unless it failed).
bool is_fallback(const std::string& program);
// The fallback of a program, or "" if it has none.
std::string fallback_of(const std::string& program);
// sys_enter, sys_exit: a failure of these ends iotrace.
bool is_core(const std::string& program);

// The exit program a family runs with these programs loaded: its full exit,
// else its fallback; "" when the family cannot run (enter or exits missing).
std::string family_exit(const Family& f, const std::set<std::string>& loaded);

// Which parts are missing, given the programs that loaded and attached and
// why the others did not (program -> reason). EpollWatched is not decided
// here (it depends on the kernel's structures, not on a program).
Availability availability_of(const std::set<std::string>& loaded, const std::map<std::string, std::string>& why);

}  // namespace iotrace
