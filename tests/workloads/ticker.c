/*
 * ticker: an event loop with a known rate, for the tests of iotrace top
 * (tests/integration/top_test.cpp): rates on screen, and per-interval
 * counts that must add up to the known total.
 *
 *   ticker epoll|select|poll RATE N [--wait] [--hold] [--idle K]
 *
 * A timerfd expires RATE times a second (periodic: no drift); the loop
 * waits for it N times (epoll_wait, select or poll, timeout -1) and reads
 * its 8-byte expiration count each time, asking for 16 bytes: a short read,
 * which drains it (docs/readiness.md), as a read of a timerfd always does.
 * So, exactly:
 *   waits  N calls, N ready (one fd each time), 0 empty, N wakeups or fewer
 *   recv   N read calls of 8 bytes each (64-bit expiration counts), N short
 *   epoll  1 epoll_ctl (ADD, before "ready"; epoll mode only)
 * at RATE per second. With --wait: "ready" on fd 1, then SIGUSR1 starts the
 * loop (iowork's handshake). At the end "done" on fd 1; with --hold it then
 * waits for SIGTERM/SIGINT (sigwaitinfo, not probed), else exits 0.
 * With --idle K (epoll only): K eventfds more at fds 100.. (never written:
 * never readable), registered for EPOLLIN before "ready", so the epoll set
 * holds exactly K + 1 registrations (the tests of iotrace serve's map
 * occupancy); the figures above do not change but watched (K + 1 a wait).
 * Prints "var pid P" first. Set-up and output through unprobed calls (as
 * iowork.c); a surprise prints "ticker: FAIL ..." and exits 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

#define WORKLOAD_NAME "ticker"
#include "workload.h"

enum { FD_TIMER = 40, FD_EPOLL = 41, FD_IDLE = 100 };

static __attribute__((noreturn)) void usage(void)
{
	uputs(2, "usage: ticker epoll|select|poll RATE N [--wait] [--hold] [--idle K]\n");
	_exit(2);
}

static void hold(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	if (sigprocmask(SIG_BLOCK, &s, NULL) != 0)
		die("sigprocmask");
	int sig;
	while ((sig = sigwaitinfo(&s, NULL)) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	if (argc < 4)
		usage();
	const char *mode = argv[1];
	long rate = atol(argv[2]), n = atol(argv[3]);
	int go_wait = 0, go_hold = 0;
	long idle = 0;
	for (int i = 4; i < argc; i++) {
		if (strcmp(argv[i], "--wait") == 0)
			go_wait = 1;
		else if (strcmp(argv[i], "--hold") == 0)
			go_hold = 1;
		else if (strcmp(argv[i], "--idle") == 0 && i + 1 < argc)
			idle = atol(argv[++i]);
		else
			usage();
	}
	if (rate <= 0 || rate > 1000000 || n < 0 || idle < 0 || idle > 800)
		usage();
	g_scenario = mode;
	var("pid", getpid());

	place(timerfd_create(CLOCK_MONOTONIC, 0), FD_TIMER);
	if (strcmp(mode, "epoll") == 0) {
		place(epoll_create1(0), FD_EPOLL);
		struct epoll_event ev = {.events = EPOLLIN, .data.fd = FD_TIMER};
		check("epoll_ctl", syscall(SYS_epoll_ctl, FD_EPOLL, EPOLL_CTL_ADD, FD_TIMER, &ev), 0);
		for (long i = 0; i < idle; i++) {
			int fd = FD_IDLE + (int)i;
			place(eventfd(0, 0), fd);
			struct epoll_event iev = {.events = EPOLLIN, .data.fd = fd};
			check("epoll_ctl", syscall(SYS_epoll_ctl, FD_EPOLL, EPOLL_CTL_ADD, fd, &iev), 0);
		}
	} else if ((strcmp(mode, "select") != 0 && strcmp(mode, "poll") != 0) || idle) {
		usage();
	}
	if (go_wait)
		wait_for_go();

	long period_ns = 1000000000L / rate;
	struct itimerspec its = {.it_interval = {period_ns / 1000000000L, period_ns % 1000000000L},
				 .it_value = {period_ns / 1000000000L, period_ns % 1000000000L}};
	if (timerfd_settime(FD_TIMER, 0, &its, NULL) != 0)
		die("timerfd_settime");
	for (long i = 0; i < n; i++) {
		if (mode[0] == 'e') {
			struct epoll_event ev;
			check("epoll_wait", syscall(SYS_epoll_wait, FD_EPOLL, &ev, 1, -1), 1);
		} else if (mode[0] == 's') {
			fd_set r;
			FD_ZERO(&r);
			FD_SET(FD_TIMER, &r);
			check("select", syscall(SYS_select, FD_TIMER + 1, &r, NULL, NULL, NULL), 1);
		} else {
			struct pollfd p = {.fd = FD_TIMER, .events = POLLIN};
			check("poll", syscall(SYS_poll, &p, 1, -1), 1);
		}
		uint64_t expirations[2];
		check("read", syscall(SYS_read, FD_TIMER, expirations, sizeof expirations), 8);
	}
	uputs(1, "done\n");
	if (go_hold)
		hold();
	return 0;
}
