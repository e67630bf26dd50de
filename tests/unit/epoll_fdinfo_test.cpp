#include "proc/epoll_fdinfo.h"

#include <gtest/gtest.h>
#include <sys/epoll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <ostream>

#include "util/unique_fd.h"

namespace iotrace {

void PrintTo(const EpollRegistration& r, std::ostream* os) {
    *os << std::hex << "{tfd " << std::dec << r.fd << std::hex << " events 0x" << r.events
        << " data 0x" << r.data << " ino 0x" << r.ino << " sdev 0x" << r.sdev << "}" << std::dec;
}

namespace {

// Fixtures are /proc/PID/fdinfo/EPFD as read on Linux 6.18 (x86_64).

// A python3 process: select.epoll() with
//   fd 4  pipe read end   EPOLLIN                      (level-triggered)
//   fd 6  eventfd         EPOLLIN|EPOLLET
//   fd 7  TCP listener    EPOLLIN|EPOLLEXCLUSIVE
//   fd 8  TCP client      EPOLLIN|EPOLLOUT|EPOLLONESHOT
//   fd 9  TCP accepted    EPOLLOUT|EPOLLONESHOT|EPOLLET
//   fd 11 TCP6 listener   EPOLLIN|EPOLLRDHUP
// python passes data = the fd.
constexpr const char* kPythonBeforePoll = R"(pos:	0
flags:	02000002
mnt_id:	17
ino:	1038
tfd:        9 events: c000001c data:                9  pos:0 ino:127f3 sdev:9
tfd:       11 events:     2019 data:                b  pos:0 ino:127f4 sdev:9
tfd:        8 events: 4000001d data:                8  pos:0 ino:127f2 sdev:9
tfd:        4 events:       19 data:                4  pos:0 ino:127f0 sdev:f
tfd:        7 events: 10000019 data:                7  pos:0 ino:127f1 sdev:9
tfd:        6 events: 80000019 data:                6  pos:0 ino:40e sdev:10
)";

// The same epoll fd after one epoll_wait: fds 8 and 9 were writable, so their
// one-shot registrations fired and were disarmed.
constexpr const char* kPythonAfterPoll = R"(pos:	0
flags:	02000002
mnt_id:	17
ino:	1038
tfd:        9 events: c0000000 data:                9  pos:0 ino:127f3 sdev:9
tfd:       11 events:     2019 data:                b  pos:0 ino:127f4 sdev:9
tfd:        8 events: 40000000 data:                8  pos:0 ino:127f2 sdev:9
tfd:        4 events:       19 data:                4  pos:0 ino:127f0 sdev:f
tfd:        7 events: 10000019 data:                7  pos:0 ino:127f1 sdev:9
tfd:        6 events: 80000019 data:                6  pos:0 ino:40e sdev:10
)";

// A C program, epoll_create1(EPOLL_CLOEXEC), with chosen data words:
//   fd 4  pipe read end   EPOLLIN                              data 0xdeadbeefcafef00d
//   fd 6  eventfd         EPOLLIN|EPOLLET                      data 0x7f00000000aa
//   fd 5  pipe write end  EPOLLOUT|EPOLLONESHOT                data 42
//   fd 7  timerfd         EPOLLIN|EPOLLONESHOT|EPOLLET         data 0
//   fd 8  signalfd        EPOLLIN|EPOLLPRI|EPOLLRDHUP|EPOLLWAKEUP  data ~0
//   fd 12 another epoll   EPOLLIN                              data 7
//   fd 9  unix socket     EPOLLIN|EPOLLOUT                     data 5, then
//         dup(9) = 14 and close(9): the registration stays, under tfd 9;
//         later an eventfd reused the number 9 and the line did not change.
constexpr const char* kCBeforeWait = R"(pos:	0
flags:	02000002
mnt_id:	17
ino:	1038
tfd:        4 events:       19 data: deadbeefcafef00d  pos:0 ino:1283f sdev:f
tfd:       12 events:       19 data:                7  pos:0 ino:40e sdev:10
tfd:        9 events:       1d data:                5  pos:0 ino:12840 sdev:9
tfd:        8 events:     201b data: ffffffffffffffff  pos:0 ino:40e sdev:10
tfd:        6 events: 80000019 data:     7f00000000aa  pos:0 ino:40e sdev:10
tfd:        5 events: 4000001c data:               2a  pos:0 ino:1283f sdev:f
tfd:        7 events: c0000019 data:                0  pos:0 ino:40e sdev:10
)";

// After epoll_wait (fd 5 fired) and EPOLL_CTL_MOD of fd 5 to
// EPOLLOUT|EPOLLONESHOT, data 43: re-armed. Only the fd 5 line differs.
constexpr const char* kCAfterRearm = R"(pos:	0
flags:	02000002
mnt_id:	17
ino:	1038
tfd:        4 events:       19 data: deadbeefcafef00d  pos:0 ino:1283f sdev:f
tfd:       12 events:       19 data:                7  pos:0 ino:40e sdev:10
tfd:        9 events:       1d data:                5  pos:0 ino:12840 sdev:9
tfd:        8 events:     201b data: ffffffffffffffff  pos:0 ino:40e sdev:10
tfd:        6 events: 80000019 data:     7f00000000aa  pos:0 ino:40e sdev:10
tfd:        5 events: 4000001c data:               2b  pos:0 ino:1283f sdev:f
tfd:        7 events: c0000019 data:                0  pos:0 ino:40e sdev:10
)";

// fdinfo of fds that are not epoll fds: an eventfd and a timerfd.
constexpr const char* kEventfdFdinfo = R"(pos:	0
flags:	04002
mnt_id:	17
ino:	1038
eventfd-count:                1
eventfd-id: 2
eventfd-semaphore: 0
)";
constexpr const char* kTimerfdFdinfo = R"(pos:	0
flags:	04002
mnt_id:	17
ino:	1038
clockid: 1
ticks: 0
settime flags: 00
it_value: (0, 0)
it_interval: (0, 0)
)";

constexpr uint32_t kErrHup = EPOLLERR | EPOLLHUP;  // added by epoll_ctl to every registration

TEST(EpollFdinfo, PythonRegistrationsInKernelOrder) {
    EXPECT_EQ(parse_epoll_fdinfo(kPythonBeforePoll),
              (std::vector<EpollRegistration>{
                  {9, 0xc000001c, 9, 0x127f3, 0x9},
                  {11, 0x2019, 11, 0x127f4, 0x9},
                  {8, 0x4000001d, 8, 0x127f2, 0x9},
                  {4, 0x19, 4, 0x127f0, 0xf},
                  {7, 0x10000019, 7, 0x127f1, 0x9},
                  {6, 0x80000019, 6, 0x40e, 0x10},
              }));
}

TEST(EpollFdinfo, EventBitsMeanWhatWasAsked) {
    auto regs = parse_epoll_fdinfo(kPythonBeforePoll);
    ASSERT_EQ(regs.size(), 6u);
    auto by_fd = [&](int fd) {
        return *std::find_if(regs.begin(), regs.end(), [fd](const auto& r) { return r.fd == fd; });
    };
    EXPECT_EQ(by_fd(4).events, EPOLLIN | kErrHup);
    EXPECT_FALSE(by_fd(4).edge_triggered());
    EXPECT_FALSE(by_fd(4).one_shot());

    EXPECT_EQ(by_fd(6).events, EPOLLIN | EPOLLET | kErrHup);
    EXPECT_TRUE(by_fd(6).edge_triggered());
    EXPECT_FALSE(by_fd(6).one_shot());

    EXPECT_EQ(by_fd(7).events, EPOLLIN | EPOLLEXCLUSIVE | kErrHup);
    EXPECT_EQ(by_fd(11).events, EPOLLIN | EPOLLRDHUP | kErrHup);

    EXPECT_EQ(by_fd(8).events, EPOLLIN | EPOLLOUT | EPOLLONESHOT | kErrHup);
    EXPECT_TRUE(by_fd(8).one_shot());
    EXPECT_FALSE(by_fd(8).disarmed());
    EXPECT_FALSE(by_fd(8).edge_triggered());

    EXPECT_EQ(by_fd(9).events, EPOLLOUT | EPOLLONESHOT | EPOLLET | kErrHup);
    EXPECT_TRUE(by_fd(9).one_shot());
    EXPECT_TRUE(by_fd(9).edge_triggered());
    EXPECT_FALSE(by_fd(9).disarmed());
}

TEST(EpollFdinfo, FiredOneShotKeepsOnlyThePrivateBits) {
    auto regs = parse_epoll_fdinfo(kPythonAfterPoll);
    ASSERT_EQ(regs.size(), 6u);
    EXPECT_EQ(regs[0], (EpollRegistration{9, EPOLLONESHOT | EPOLLET, 9, 0x127f3, 0x9}));
    EXPECT_TRUE(regs[0].disarmed());
    EXPECT_TRUE(regs[0].edge_triggered());  // the mode bits survive the disarming
    EXPECT_EQ(regs[2], (EpollRegistration{8, EPOLLONESHOT, 8, 0x127f2, 0x9}));
    EXPECT_TRUE(regs[2].disarmed());
    EXPECT_FALSE(regs[5].disarmed());  // not one-shot: never disarmed
}

TEST(EpollFdinfo, DataIsTheFull64BitWord) {
    EXPECT_EQ(parse_epoll_fdinfo(kCBeforeWait),
              (std::vector<EpollRegistration>{
                  {4, 0x19, 0xdeadbeefcafef00dULL, 0x1283f, 0xf},
                  {12, 0x19, 7, 0x40e, 0x10},
                  {9, 0x1d, 5, 0x12840, 0x9},
                  {8, 0x201b, 0xffffffffffffffffULL, 0x40e, 0x10},
                  {6, 0x80000019, 0x7f00000000aaULL, 0x40e, 0x10},
                  {5, 0x4000001c, 42, 0x1283f, 0xf},
                  {7, 0xc0000019, 0, 0x40e, 0x10},
              }));
}

TEST(EpollFdinfo, WakeupIsDroppedWithoutCapBlockSuspend) {
    auto regs = parse_epoll_fdinfo(kCBeforeWait);
    ASSERT_EQ(regs.size(), 7u);
    EXPECT_EQ(regs[3].fd, 8);
    EXPECT_EQ(regs[3].events, EPOLLIN | EPOLLPRI | EPOLLRDHUP | kErrHup);  // no EPOLLWAKEUP
}

TEST(EpollFdinfo, ModReArmsAOneShot) {
    auto regs = parse_epoll_fdinfo(kCAfterRearm);
    ASSERT_EQ(regs.size(), 7u);
    EXPECT_EQ(regs[5], (EpollRegistration{5, EPOLLOUT | EPOLLONESHOT | kErrHup, 43, 0x1283f, 0xf}));
    EXPECT_FALSE(regs[5].disarmed());
}

TEST(EpollFdinfo, OtherFdinfoHasNoRegistrations) {
    EXPECT_TRUE(parse_epoll_fdinfo(kEventfdFdinfo).empty());
    EXPECT_TRUE(parse_epoll_fdinfo(kTimerfdFdinfo).empty());
    EXPECT_TRUE(parse_epoll_fdinfo("").empty());
}

TEST(EpollFdinfo, ToleratesShortAndDamagedLines) {
    // Kernels before pos/ino/sdev were appended print only the first three.
    EXPECT_EQ(parse_epoll_fdinfo("tfd:        5 events:       19 data:                5"),
              (std::vector<EpollRegistration>{{5, 0x19, 5, 0, 0}}));
    // A line missing a field, or with a number in the wrong base, is skipped.
    EXPECT_TRUE(parse_epoll_fdinfo("tfd:        5 events:       19\n").empty());
    EXPECT_TRUE(parse_epoll_fdinfo("tfd:      0x5 events:       19 data: 5\n").empty());
    EXPECT_TRUE(parse_epoll_fdinfo("tfd:        5 events:      1g9 data: 5\n").empty());
}

// The readers against this very process. Not skipped as root or otherwise:
// a process may always read its own /proc entries.
TEST(EpollFdinfo, ReadsOwnEpollFd) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    UniqueFd rd(p[0]), wr(p[1]);
    UniqueFd ep(::epoll_create1(EPOLL_CLOEXEC));
    ASSERT_TRUE(ep);

    epoll_event in{};
    in.events = EPOLLIN | EPOLLET;
    in.data.u64 = 0x1234567890abcdefULL;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, rd.get(), &in), 0);
    epoll_event out{};
    out.events = EPOLLOUT | EPOLLONESHOT;
    out.data.u64 = 77;
    ASSERT_EQ(::epoll_ctl(ep.get(), EPOLL_CTL_ADD, wr.get(), &out), 0);

    std::vector<int> eps = epoll_fds(::getpid());
    EXPECT_NE(std::find(eps.begin(), eps.end(), ep.get()), eps.end());
    EXPECT_EQ(std::find(eps.begin(), eps.end(), rd.get()), eps.end());

    auto regs = read_epoll_registrations(::getpid(), ep.get());
    ASSERT_TRUE(regs.has_value());
    ASSERT_EQ(regs->size(), 2u);
    std::sort(regs->begin(), regs->end(), [](const auto& a, const auto& b) { return a.fd < b.fd; });
    EXPECT_EQ((*regs)[0].fd, rd.get());
    EXPECT_EQ((*regs)[0].events, EPOLLIN | EPOLLET | kErrHup);
    EXPECT_EQ((*regs)[0].data, 0x1234567890abcdefULL);
    EXPECT_TRUE((*regs)[0].edge_triggered());
    EXPECT_EQ((*regs)[1].fd, wr.get());
    EXPECT_EQ((*regs)[1].events, EPOLLOUT | EPOLLONESHOT | kErrHup);
    EXPECT_EQ((*regs)[1].data, 77u);
    EXPECT_NE((*regs)[0].ino, 0u);
    EXPECT_EQ((*regs)[0].ino, (*regs)[1].ino);  // both ends of one pipe

    // The pipe is writable: the one-shot fires and is disarmed.
    epoll_event ev[2];
    ASSERT_EQ(::epoll_wait(ep.get(), ev, 2, 0), 1);
    regs = read_epoll_registrations(::getpid(), ep.get());
    ASSERT_TRUE(regs.has_value());
    auto w = std::find_if(regs->begin(), regs->end(), [&](const auto& r) { return r.fd == wr.get(); });
    ASSERT_NE(w, regs->end());
    EXPECT_TRUE(w->disarmed());
    EXPECT_EQ(w->events, static_cast<uint32_t>(EPOLLONESHOT));
}

TEST(EpollFdinfo, NotAnEpollFdOrNoSuchFd) {
    int p[2];
    ASSERT_EQ(::pipe(p), 0);
    UniqueFd rd(p[0]), wr(p[1]);
    EXPECT_FALSE(read_epoll_registrations(::getpid(), rd.get()).has_value());
    int closed = ::dup(rd.get());
    ::close(closed);
    EXPECT_FALSE(read_epoll_registrations(::getpid(), closed).has_value());
}

TEST(EpollFdinfo, VanishedProcessIsEmptyNotAnError) {
    pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) ::_exit(0);
    ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // reaped: its /proc entry is gone
    EXPECT_TRUE(epoll_fds(child).empty());
    EXPECT_FALSE(read_epoll_registrations(child, 3).has_value());
}

}  // namespace
}  // namespace iotrace
