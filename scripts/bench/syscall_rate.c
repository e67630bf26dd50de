// SPDX-License-Identifier: GPL-2.0
/*
 * Syscall-rate microbenchmark for scripts/bench/run: a tight loop of two
 * traced syscalls that do almost nothing in the kernel, so that a tracer's
 * cost per call stands out:
 *   recvfrom(udp_fd, ..., MSG_DONTWAIT) on an empty socket  -> -EAGAIN
 *   epoll_wait(epfd, ..., timeout 0) on that (idle) socket   -> 0
 *
 *   syscall_rate [--iterations N] [--max-seconds S] [--only recvfrom|epoll_wait|ctl] [--wait]
 *
 * --only: one of the two calls alone, to tell their costs apart; or ctl,
 * a connection's registrations instead: a dup of the socket (not traced;
 * writable at once) added to the epoll fd (EPOLLIN|EPOLLOUT|EPOLLET, as Go
 * adds a connection), deleted, closed: 3 traced calls, after one
 * epoll_wait(0) before the loop (the epoll fd has a waiter, as a server's).
 * --wait: print "syscall_rate pid PID waiting" and start only when a line
 * arrives on stdin (the driver attaches a tracer first). The loop stops
 * after N iterations or S seconds, whichever comes first (default 2,000,000
 * and 3 s). Prints:
 *   syscall_rate iterations N seconds S ns_per_iter X ns_per_syscall Y
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	long long iterations = 2000000, done = 0;
	double max_seconds = 3, t0, t1;
	int wait = 0, fd, ep, do_recv = 1, do_wait = 1, do_ctl = 0;
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct epoll_event ev = { .events = EPOLLIN }, out[8];
	char buf[64];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
			iterations = atoll(argv[++i]);
		else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc)
			max_seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc) {
			i++;
			do_recv = !strcmp(argv[i], "recvfrom");
			do_wait = !strcmp(argv[i], "epoll_wait");
			do_ctl = !strcmp(argv[i], "ctl");
			if (!do_recv && !do_wait && !do_ctl) {
				fprintf(stderr, "syscall_rate: --only recvfrom, epoll_wait or ctl\n");
				return 2;
			}
		} else if (!strcmp(argv[i], "--wait"))
			wait = 1;
		else {
			fprintf(stderr, "usage: %s [--iterations N] [--max-seconds S] [--only recvfrom|epoll_wait|ctl] [--wait]\n",
				argv[0]);
			return 2;
		}
	}
	if (iterations <= 0 || max_seconds <= 0 || max_seconds > 600) {
		fprintf(stderr, "syscall_rate: bad arguments\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (fd < 0 || ep < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		perror("syscall_rate: setup");
		return 1;
	}
	ev.data.fd = fd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		perror("syscall_rate: epoll_ctl");
		return 1;
	}
	if (wait) {
		char line[16];

		printf("syscall_rate pid %d waiting\n", (int)getpid());
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			return 1;
	}

	if (do_ctl && epoll_wait(ep, out, 8, 0) != 0) {
		fprintf(stderr, "syscall_rate: epoll_wait did not return 0\n");
		return 1;
	}

	t0 = now_s();
	while (done < iterations) {
		for (int k = 0; k < 1024; k++) {
			if (do_ctl) {
				struct epoll_event c = { .events = EPOLLIN | EPOLLOUT | EPOLLET };
				int d = dup(fd);

				c.data.u64 = (unsigned long long)(done + k) << 8;
				if (d < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, d, &c) || epoll_ctl(ep, EPOLL_CTL_DEL, d, &c) ||
				    close(d)) {
					perror("syscall_rate: ctl");
					return 1;
				}
			}
			if (do_recv && (recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, NULL, NULL) != -1 || errno != EAGAIN)) {
				fprintf(stderr, "syscall_rate: recvfrom did not return EAGAIN\n");
				return 1;
			}
			if (do_wait && epoll_wait(ep, out, 8, 0) != 0) {
				fprintf(stderr, "syscall_rate: epoll_wait did not return 0\n");
				return 1;
			}
		}
		done += 1024;
		if (now_s() - t0 >= max_seconds)
			break;
	}
	t1 = now_s();
	printf("syscall_rate iterations %lld seconds %.6f ns_per_iter %.1f ns_per_syscall %.1f\n", done, t1 - t0,
	       (t1 - t0) * 1e9 / (double)done, (t1 - t0) * 1e9 / (double)done / (do_recv + do_wait + 3 * do_ctl));
	return 0;
}
