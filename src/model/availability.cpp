#include "model/availability.h"

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

const std::vector<Part>& all_parts() {
    static const std::vector<Part> parts = {
        Part::SelectCounts,    Part::PollCounts,    Part::EpollWaitCounts, Part::EpollCtl,    Part::Recv,
        Part::Send,            Part::Other,         Part::SelectReadiness, Part::PollReadiness,
        Part::EpollReadiness,  Part::WaitCpuTime,   Part::EpollWatched,    Part::Follow,
    };
    return parts;
}

}  // namespace iotrace
