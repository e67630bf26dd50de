#include "syscall_numbers.h"

#include <sys/syscall.h>

#include <array>

#include "iotrace.h"

namespace iotrace {
namespace {

// -1: not on this architecture. Same order as enum iot_sys.
constexpr std::array<long, IOT_NR_SYS> kNumbers = {
#ifdef SYS_select
    SYS_select,
#else
    -1,
#endif
    SYS_pselect6,
#ifdef SYS_poll
    SYS_poll,
#else
    -1,
#endif
    SYS_ppoll,
#ifdef SYS_epoll_wait
    SYS_epoll_wait,
#else
    -1,
#endif
    SYS_epoll_pwait,
#ifdef SYS_epoll_pwait2
    SYS_epoll_pwait2,
#else
    441,  // the same on every architecture; older headers lack the name
#endif
    SYS_epoll_ctl,
    SYS_recvfrom,
    SYS_recvmsg,
    SYS_recvmmsg,
    SYS_read,
    SYS_readv,
    SYS_sendto,
    SYS_sendmsg,
    SYS_sendmmsg,
    SYS_write,
    SYS_writev,
#ifdef SYS_accept
    SYS_accept,
#else
    -1,
#endif
    SYS_accept4,
    SYS_close,
    SYS_io_uring_enter,
};

}  // namespace

std::optional<long> syscall_number(int sys) {
    long nr = kNumbers.at(static_cast<size_t>(sys));
    if (nr < 0 || nr >= IOT_SYSNR_MAX) return std::nullopt;
    return nr;
}

}  // namespace iotrace
