#include "model/availability.h"

#include "iotrace.h"

namespace iotrace {

const char* part_name(Part p) {
    switch (p) {
    case Part::SelectCounts: return "select_counts";
    case Part::PollCounts: return "poll_counts";
    case Part::EpollWaitCounts: return "epoll_wait_counts";
    case Part::EpollCtl: return "epoll_ctl";
    case Part::Recv: return "recv";
    case Part::Send: return "send";
    case Part::Other: return "accept_close_uring";
    case Part::SelectReadiness: return "select_readiness";
    case Part::PollReadiness: return "poll_readiness";
    case Part::EpollReadiness: return "epoll_readiness";
    case Part::WaitCpuTime: return "wait_cpu_time";
    case Part::EpollWatched: return "epoll_watched";
    case Part::Follow: return "follow_forks";
    }
    return "?";
}

const std::vector<int>& syscalls_of(Part p) {
    static const std::vector<int> none, select = {IOT_SELECT, IOT_PSELECT6}, poll = {IOT_POLL, IOT_PPOLL},
                                         epoll_wait = {IOT_EPOLL_WAIT, IOT_EPOLL_PWAIT, IOT_EPOLL_PWAIT2},
                                         epoll_ctl = {IOT_EPOLL_CTL},
                                         recv = {IOT_RECVFROM, IOT_RECVMSG, IOT_RECVMMSG, IOT_READ, IOT_READV},
                                         send = {IOT_SENDTO, IOT_SENDMSG, IOT_SENDMMSG, IOT_WRITE, IOT_WRITEV},
                                         other = {IOT_ACCEPT, IOT_ACCEPT4, IOT_CLOSE, IOT_IO_URING_ENTER};
    switch (p) {
    case Part::SelectCounts: return select;
    case Part::PollCounts: return poll;
    case Part::EpollWaitCounts: return epoll_wait;
    case Part::EpollCtl: return epoll_ctl;
    case Part::Recv: return recv;
    case Part::Send: return send;
    case Part::Other: return other;
    default: return none;
    }
}

const std::vector<Part>& all_parts() {
    static const std::vector<Part> parts = {
        Part::SelectCounts,    Part::PollCounts,    Part::EpollWaitCounts, Part::EpollCtl,    Part::Recv,
        Part::Send,            Part::Other,         Part::SelectReadiness, Part::PollReadiness,
        Part::EpollReadiness,  Part::WaitCpuTime,   Part::EpollWatched,    Part::Follow,
    };
    return parts;
}

}  // namespace iotrace
