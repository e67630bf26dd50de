/*
 * epclose: epoll registrations taken out while another thread's wait is
 * returning their events (issue 10: lost_events must be 0 on a
 * steady-state server). The shape of Go's netpoller: several threads wait
 * on one epoll fd, and the thread that closes a connection deletes its
 * registration, whatever the waiters are doing.
 *
 *   epclose [ROUNDS]
 *
 * WAITERS threads loop on epoll_wait(epfd, 64 events, 10 ms) on one shared
 * epoll fd, counting what they get back, until told to stop. The main
 * thread makes ROUNDS rounds (default 20000) of:
 *   socketpair (not probed) -> a, b
 *   epoll_ctl(ADD, a, EPOLLIN, data = a fresh number)
 *   a byte written to b (pwritev2: not probed): a is readable, a waiter
 *   wakes and returns its event
 *   a spin of 0 to ~2 us (varies with the round), then, by round % 3:
 *     0: epoll_ctl(DEL, a), close(a)      (as Go closes a connection); the
 *        byte is written before the ADD: a is readable as it is added (as
 *        Go adds a new connection, writable at once), and a waiter may
 *        return its event while the ADD is still in the kernel
 *     1: close(a)                          (the registration goes with it)
 *     2: epoll_ctl(MOD, a, other data), epoll_ctl(DEL, a), close(a): the
 *        event under the new data comes at once, and the old data's may
 *        still be on its way back
 *   close(b)
 * so that the making and the removal land at every point of a waiter's
 * return. Then it
 * stops the waiters (a flag; pthread_join: futex, not probed) and prints
 * "var rounds N", "var waits N" (the waiters' epoll_wait calls) and
 * "var events N" (the events they returned). Every event is EPOLLIN (with
 * EPOLLHUP once b is closed): one readable report each.
 * Then a number reused while its closer is away: a pair at REUSE 40
 * (peer 41) is added (EPOLLIN, data REUSE_DATA); a new thread closes 40
 * and, making no more calls, spins until told; the main thread places a
 * new pair at 40 (peer 42; dup2: not probed), adds it with the same data,
 * writes to 42, epoll_wait(0) -> 1; the closing thread then makes a call
 * (close(-1) -> EBADF) and ends; epoll_wait(0) -> 1 again: fd 40 is
 * reported twice, by its new registration.
 * Under `iotrace --` every call is counted, so the test asserts the counts
 * exactly, every event attributed to its fd (the fds' reports sum to the
 * events) and nothing lost.
 * Conventions as iowork.c (probed calls through syscall(), "epclose: FAIL").
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>

#define WORKLOAD_NAME "epclose"
#include "workload.h"

enum { WAITERS = 2, DEFAULT_ROUNDS = 20000 };
enum { FD_REUSE = 40, FD_REUSE_PEER = 41, FD_REUSE_PEER2 = 42, REUSE_DATA = 0x7000 };

static int g_ep;
static volatile int g_stop;
static long g_waits[WAITERS], g_events[WAITERS];

static void *waiter(void *arg)
{
	long i = (long)arg;
	struct epoll_event ev[64];

	while (!g_stop) {
		long n = syscall(SYS_epoll_wait, g_ep, ev, 64, 10);
		if (n < 0)
			check("epoll_wait", n, 0);
		g_waits[i]++;
		g_events[i] += n;
	}
	return NULL;
}

static long ctl(int op, int fd, uint64_t data)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = data};
	return syscall(SYS_epoll_ctl, g_ep, op, fd, &ev);
}

static volatile int g_reuse_step;

/* Closes REUSE, then makes no call until the main thread has made a new
 * registration under the number. */
static void *reuse_closer(void *unused)
{
	(void)unused;
	check("reuse close", syscall(SYS_close, FD_REUSE), 0);
	g_reuse_step = 1;
	while (g_reuse_step != 2)
		__asm__ volatile("" ::: "memory");
	check("reuse next call", syscall(SYS_close, -1), -EBADF);
	return NULL;
}

static void reuse_phase(void)
{
	struct epoll_event ev[64];

	pair(SOCK_STREAM, FD_REUSE, FD_REUSE_PEER, 1);
	check("reuse add 1", ctl(EPOLL_CTL_ADD, FD_REUSE, REUSE_DATA), 0);
	pthread_t t;
	if (pthread_create(&t, NULL, reuse_closer, NULL) != 0)
		die("pthread_create");
	while (g_reuse_step != 1)
		__asm__ volatile("" ::: "memory");
	pair(SOCK_STREAM, FD_REUSE, FD_REUSE_PEER2, 1);
	check("reuse add 2", ctl(EPOLL_CTL_ADD, FD_REUSE, REUSE_DATA), 0);
	uwrite(FD_REUSE_PEER2, "x", 1);
	check("reuse wait 1", syscall(SYS_epoll_wait, g_ep, ev, 64, 0), 1);
	g_reuse_step = 2;
	if (pthread_join(t, NULL) != 0)
		die("pthread_join");
	check("reuse wait 2", syscall(SYS_epoll_wait, g_ep, ev, 64, 0), 1);
}

int main(int argc, char **argv)
{
	long rounds = argc > 1 ? atol(argv[1]) : DEFAULT_ROUNDS;
	if (argc > 2 || rounds <= 0) {
		uputs(2, "usage: epclose [ROUNDS]\n");
		return 2;
	}
	g_scenario = "close";
	g_ep = epoll_create1(0);
	if (g_ep < 0)
		die("epoll_create1");
	pthread_t t[WAITERS];
	for (long i = 0; i < WAITERS; i++)
		if (pthread_create(&t[i], NULL, waiter, (void *)i) != 0)
			die("pthread_create");
	for (long r = 0; r < rounds; r++) {
		int sv[2];
		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0)
			die("socketpair");
		uint64_t data = 0x10000 + (uint64_t)r * 4;
		if (r % 3 == 0)
			uwrite(sv[1], "x", 1);
		check("add", ctl(EPOLL_CTL_ADD, sv[0], data), 0);
		if (r % 3 != 0)
			uwrite(sv[1], "x", 1);
		for (volatile long k = 0; k < (r * 37) % 600; k++)
			;
		switch (r % 3) {
		case 0:
			check("del", ctl(EPOLL_CTL_DEL, sv[0], 0), 0);
			break;
		case 2:
			check("mod", ctl(EPOLL_CTL_MOD, sv[0], data + 1), 0);
			check("del", ctl(EPOLL_CTL_DEL, sv[0], 0), 0);
			break;
		}
		check("close a", syscall(SYS_close, sv[0]), 0);
		check("close b", syscall(SYS_close, sv[1]), 0);
	}
	g_stop = 1;
	long waits = 0, events = 0;
	for (long i = 0; i < WAITERS; i++) {
		if (pthread_join(t[i], NULL) != 0)
			die("pthread_join");
		waits += g_waits[i];
		events += g_events[i];
	}
	reuse_phase();
	var("rounds", rounds);
	var("waits", waits);
	var("events", events);
	_exit(0);
}
