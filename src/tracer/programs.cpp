#include "tracer/programs.h"

namespace iotrace {

const std::vector<Family>& families() {
    static const std::vector<Family> f = {
        {"select", "enter_select", "exit_select", "exit_select_basic", Part::SelectCounts, true,
         Part::SelectReadiness},
        {"poll", "enter_poll", "exit_poll", "exit_poll_basic", Part::PollCounts, true, Part::PollReadiness},
        {"epoll_wait", "enter_epoll_wait", "exit_epoll_wait", "exit_epoll_wait_basic", Part::EpollWaitCounts, true,
         Part::EpollReadiness},
        {"epoll_ctl", "enter_epoll_ctl", "exit_epoll_ctl", nullptr, Part::EpollCtl, false, Part::EpollCtl},
        {"recv", "enter_recv", "exit_recv", nullptr, Part::Recv, false, Part::Recv},
        {"send", "enter_send", "exit_send", nullptr, Part::Send, false, Part::Send},
        {"other", "enter_other", "exit_other", nullptr, Part::Other, false, Part::Other},
    };
    return f;
}

const std::vector<Hook>& hooks() {
    static const std::vector<Hook> h = {
        {"sys_enter", true, false, Part::Other, "nothing is counted"},
        {"sys_exit", true, false, Part::Other, "nothing is counted"},
        {"on_switch", false, true, Part::WaitCpuTime, "on-CPU time in waits (waits.cpu_ns) is unavailable"},
        {"on_fork", false, true, Part::Follow, "-f and launched commands do not follow forked children"},
        {"on_exec", false, false, Part::Other, "a traced process keeps its old name after exec"},
        {"on_exit", false, false, Part::Other,
         "exits are noticed within a second by polling, and exited threads' slots are not reused"},
    };
    return h;
}

bool is_fallback(const std::string& program) {
    for (const Family& f : families())
        if (f.exit_basic && program == f.exit_basic) return true;
    return false;
}

std::string fallback_of(const std::string& program) {
    for (const Family& f : families())
        if (program == f.exit && f.exit_basic) return f.exit_basic;
    return "";
}

bool is_core(const std::string& program) { return program == "sys_enter" || program == "sys_exit"; }

std::string family_exit(const Family& f, const std::set<std::string>& loaded) {
    if (!loaded.count(f.enter)) return "";
    if (loaded.count(f.exit)) return f.exit;
    if (f.exit_basic && loaded.count(f.exit_basic)) return f.exit_basic;
    return "";
}

namespace {

std::string reason(const std::map<std::string, std::string>& why, const std::string& program) {
    auto it = why.find(program);
    return program + ": " + (it == why.end() ? std::string("not loaded") : it->second);
}

}  // namespace

Availability availability_of(const std::set<std::string>& loaded, const std::map<std::string, std::string>& why) {
    Availability a;
    for (const Family& f : families()) {
        std::string exit = family_exit(f, loaded);
        if (exit.empty()) {
            std::string culprit = !loaded.count(f.enter) ? f.enter : f.exit;
            a.missing[f.counts] = reason(why, culprit);
            if (f.has_readiness) a.missing[f.readiness] = reason(why, culprit);
        } else if (f.has_readiness && exit != f.exit) {
            a.missing[f.readiness] = reason(why, f.exit);
        }
    }
    for (const Hook& h : hooks())
        if (h.has_part && !loaded.count(h.name)) a.missing[h.part] = reason(why, h.name);
    return a;
}

}  // namespace iotrace
