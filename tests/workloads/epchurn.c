/*
 * epchurn: an event loop that changes its epoll registrations while iotrace
 * attaches, then a deterministic phase (issue 10 item 6: registrations made
 * or seen around attach must all be known: lost_events 0).
 *
 *   epchurn [--wait]
 *
 * Set-up (before "ready"): epoll fd 50; STABLE stream pairs at fds 60.. with
 * their peers at 80.., each registered level-triggered for EPOLLIN with
 * data 0x1000 + i and kept readable (one byte queued, never read while
 * churning); CHURN pairs at 100.. (peers 110..), readable too (one byte
 * queued, never read); /dev/null at fds 128 to 999, so that iotrace's read
 * of the fd table from /proc takes milliseconds (a wait ending before the
 * registrations are seeded would then surely be seen).
 * A churn thread then loops until told to stop (at most 30 s): each round
 * ADDs every churn fd with fresh data, waits (epoll_wait, timeout 0: STABLE
 * + CHURN events), MODs each to other data, waits (the same), DELs each,
 * waits (STABLE events). A change the probes missed while iotrace attached
 * (made between its reads of /proc and its target bit, or in flight during
 * them) leaves an event whose data names no known registration: lost.
 * A late thread, before "ready", enters epoll_ctl(ADD, LATE 70 (a readable
 * pair, peer 90), EPOLLIN, data 0x3000) with its event on a page that a
 * userfaultfd holds missing: the call is stuck inside the kernel (copying
 * the event in) across the whole attach, and completes only after SIGUSR1,
 * when the main thread fills the page: an epoll_ctl entered before iotrace
 * attached that changes the registrations after it did.
 * After SIGUSR1 the main thread stops the churn thread (a flag, then
 * pthread_join: futex, not probed), lets the late ADD complete (UFFDIO_COPY,
 * an ioctl: not probed), joins the late thread and, alone, makes:
 *   epoll_wait(50, 64, 0) -> STABLE + 1 events
 *   recvfrom(60, 16) -> 1 (short)
 *   epoll_wait(50, 64, 0) -> STABLE events
 * so its thread figures are exact: 2 waits, 2 epoll waits, 2*STABLE + 1
 * ready, 1 recv. Prints "var main_tid N", "var churn_tid N" and
 * "var late_tid N".
 * Conventions as iowork.c (probed calls through syscall(), "epchurn: FAIL").
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <linux/userfaultfd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#define WORKLOAD_NAME "epchurn"
#include "workload.h"

enum { FD_EP = 50, STABLE = 8, FD_STABLE = 60, FD_STABLE_PEER = 80, CHURN = 4, FD_CHURN = 100, FD_CHURN_PEER = 110 };
enum { FD_LATE = 70, FD_LATE_PEER = 90, LATE_DATA = 0x3000 };
/* Idle fds (/dev/null) up to FD_FILL_END: reading the fd table from /proc
 * takes milliseconds, so a seeding that raced the probes would lose. */
enum { FD_FILL = 128, FD_FILL_END = 1000 };

static volatile int g_stop;
static volatile long g_churn_tid, g_late_tid;

static long ctl(int op, int fd, uint64_t data)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = data};
	return syscall(SYS_epoll_ctl, FD_EP, op, fd, &ev);
}

static long wait0(void)
{
	struct epoll_event ev[64];
	return syscall(SYS_epoll_wait, FD_EP, ev, 64, 0);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts); /* vDSO: no syscall */
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *churn(void *unused)
{
	(void)unused;
	g_churn_tid = syscall(SYS_gettid);
	double end = now_s() + 30;
	for (uint64_t gen = 0; !g_stop && now_s() < end; gen++) {
		for (int j = 0; j < CHURN; j++)
			check("churn add", ctl(EPOLL_CTL_ADD, FD_CHURN + j, 0x100000 + gen * 16 + j), 0);
		check("churn wait 1", wait0(), STABLE + CHURN);
		for (int j = 0; j < CHURN; j++)
			check("churn mod", ctl(EPOLL_CTL_MOD, FD_CHURN + j, 0x200000 + gen * 16 + j), 0);
		check("churn wait 2", wait0(), STABLE + CHURN);
		for (int j = 0; j < CHURN; j++)
			check("churn del", ctl(EPOLL_CTL_DEL, FD_CHURN + j, 0), 0);
		check("churn wait 3", wait0(), STABLE);
	}
	return NULL;
}

/* The ADD whose event sits on a missing userfaultfd page: it blocks in the
 * kernel until the main thread fills the page. */
static void *late_add(void *page)
{
	g_late_tid = syscall(SYS_gettid);
	check("late add", syscall(SYS_epoll_ctl, FD_EP, EPOLL_CTL_ADD, FD_LATE, page), 0);
	return NULL;
}

/* A page registered missing with a new userfaultfd (root: kernel-mode
 * faults are handled too); its fd in *uffd. */
static void *missing_page(int *uffd)
{
	*uffd = syscall(SYS_userfaultfd, O_CLOEXEC);
	if (*uffd < 0)
		die("userfaultfd");
	struct uffdio_api api = {.api = UFFD_API};
	if (ioctl(*uffd, UFFDIO_API, &api) != 0)
		die("UFFDIO_API");
	void *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		die("mmap");
	struct uffdio_register reg = {.range = {(unsigned long)page, 4096}, .mode = UFFDIO_REGISTER_MODE_MISSING};
	if (ioctl(*uffd, UFFDIO_REGISTER, &reg) != 0)
		die("UFFDIO_REGISTER");
	return page;
}

/* Waits for the fault (preadv2 at offset -1 reads as readv, unprobed). */
static void wait_fault(int uffd)
{
	struct uffd_msg msg;
	struct iovec iov = {&msg, sizeof msg};
	if (syscall(SYS_preadv2, uffd, &iov, 1, (long)-1, 0L, 0) != sizeof msg || msg.event != UFFD_EVENT_PAGEFAULT)
		die("userfaultfd read");
}

/* Fills the page with the late ADD's event: the stuck call goes on. */
static void fill_page(int uffd, void *page)
{
	static char src[4096] __attribute__((aligned(4096)));
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = LATE_DATA};
	memcpy(src, &ev, sizeof ev);
	struct uffdio_copy cp = {.dst = (unsigned long)page, .src = (unsigned long)src, .len = 4096};
	if (ioctl(uffd, UFFDIO_COPY, &cp) != 0)
		die("UFFDIO_COPY");
}

int main(int argc, char **argv)
{
	int wait = argc > 1 && strcmp(argv[1], "--wait") == 0;
	if (argc > 2 || (argc == 2 && !wait)) {
		uputs(2, "usage: epchurn [--wait]\n");
		return 2;
	}
	g_scenario = "churn";
	place(epoll_create1(0), FD_EP);
	for (int i = 0; i < STABLE; i++) {
		pair(SOCK_STREAM, FD_STABLE + i, FD_STABLE_PEER + i, 1);
		uwrite(FD_STABLE_PEER + i, "x", 1);
		struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0x1000 + i};
		if (epoll_ctl(FD_EP, EPOLL_CTL_ADD, FD_STABLE + i, &ev) != 0)
			die("epoll_ctl");
	}
	for (int fd = FD_FILL; fd < FD_FILL_END; fd++)
		place(open("/dev/null", O_RDONLY), fd);
	for (int j = 0; j < CHURN; j++) {
		pair(SOCK_STREAM, FD_CHURN + j, FD_CHURN_PEER + j, 1);
		uwrite(FD_CHURN_PEER + j, "x", 1);
	}
	pair(SOCK_STREAM, FD_LATE, FD_LATE_PEER, 1);
	uwrite(FD_LATE_PEER, "x", 1);
	int uffd;
	void *page = missing_page(&uffd);
	pthread_t late;
	if (pthread_create(&late, NULL, late_add, page) != 0)
		die("pthread_create");
	wait_fault(uffd);
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &s, NULL) != 0)
		die("sigprocmask");
	pthread_t t;
	if (pthread_create(&t, NULL, churn, NULL) != 0)
		die("pthread_create");
	while (!g_churn_tid)
		;
	var("main_tid", syscall(SYS_gettid));
	var("churn_tid", g_churn_tid);
	var("late_tid", g_late_tid);
	if (wait)
		wait_for_go();
	g_stop = 1;
	if (pthread_join(t, NULL) != 0)
		die("pthread_join");
	fill_page(uffd, page);
	if (pthread_join(late, NULL) != 0)
		die("pthread_join");

	char buf[16];
	check("wait 1", wait0(), STABLE + 1);
	check("recvfrom", syscall(SYS_recvfrom, FD_STABLE, buf, sizeof buf, 0, NULL, 0), 1);
	check("wait 2", wait0(), STABLE);
	_exit(0);
}
