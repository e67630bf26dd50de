// The interest list of an epoll fd, as /proc/PID/fdinfo/EPFD shows it
// (fs/eventpoll.c, ep_show_fdinfo): one line per registration,
//
//   tfd:        5 events:       19 data:                5  pos:0 ino:6e28 sdev:f
//
// tfd in decimal; events, data, ino and sdev in hex. What the kernel stores,
// as observed on Linux 6.18:
// * events always has EPOLLERR|EPOLLHUP (0x18) added by epoll_ctl, whether or
//   not the caller asked: EPOLLIN alone reads back as 0x19.
// * EPOLLWAKEUP is dropped unless the caller has CAP_BLOCK_SUSPEND and the
//   kernel has CONFIG_PM_SLEEP.
// * An EPOLLONESHOT registration that has fired is disarmed by clearing every
//   bit outside EP_PRIVATE_BITS (WAKEUP|ONESHOT|ET|EXCLUSIVE): it reads back
//   as 0x40000000 (or 0xc0000000 with EPOLLET) until EPOLL_CTL_MOD re-arms it.
// * tfd is the fd number given to EPOLL_CTL_ADD. The kernel keys the
//   registration on the open file, so after dup()+close() or fd passing the
//   number may name a closed fd, or a different file that reused it; ino
//   (and sdev) identify the file actually registered. All anon_inode files
//   (eventfd, timerfd, signalfd, epoll) share one inode, so ino only tells
//   those apart from sockets, pipes and files.
// * Lines come in the kernel's red-black tree order, not fd order.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace iotrace {

// The bits of the events word that are modes, not readiness (uapi eventpoll.h).
inline constexpr uint32_t kEpollExclusive = 1u << 28;
inline constexpr uint32_t kEpollWakeup = 1u << 29;
inline constexpr uint32_t kEpollOneShot = 1u << 30;
inline constexpr uint32_t kEpollEt = 1u << 31;
inline constexpr uint32_t kEpollPrivateBits =
    kEpollExclusive | kEpollWakeup | kEpollOneShot | kEpollEt;

struct EpollRegistration {
    int fd = -1;          // tfd: the fd number at EPOLL_CTL_ADD time
    uint32_t events = 0;  // as stored by the kernel, see above
    uint64_t data = 0;    // epoll_event.data, opaque to the kernel
    uint64_t ino = 0;     // inode of the registered file
    uint32_t sdev = 0;    // its superblock's device, kernel dev_t encoding (major << 20 | minor)

    bool edge_triggered() const { return events & kEpollEt; }
    bool one_shot() const { return events & kEpollOneShot; }
    // A one-shot registration that fired and waits for EPOLL_CTL_MOD.
    bool disarmed() const { return one_shot() && (events & ~kEpollPrivateBits) == 0; }

    bool operator==(const EpollRegistration&) const = default;
};

// Parses the text of an epoll fd's fdinfo. Lines other than "tfd:" lines
// (pos, flags, mnt_id, ino of the epoll fd itself) are ignored, and so is a
// tfd line lacking tfd, events or data in the expected base.
std::vector<EpollRegistration> parse_epoll_fdinfo(std::string_view text);

// The fds of a process that are epoll instances (link "anon_inode:[eventpoll]"),
// ascending; empty if the process is gone.
std::vector<int> epoll_fds(int pid);

// The registrations of epoll fd EPFD of process PID; nullopt if the process or
// the fd is gone, or the fd is not an epoll fd.
std::optional<std::vector<EpollRegistration>> read_epoll_registrations(int pid, int epfd);

}  // namespace iotrace
