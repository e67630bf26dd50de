// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark echo server for scripts/bench/run: one thread, non-blocking
 * sockets, recv() up to 64 bytes and send() them back, on 127.0.0.1 only.
 *
 *   echo_server --mode epoll|select [--port N] [--max-seconds S]
 *
 * epoll: level-triggered epoll_wait(-1), one recv per readable fd per wakeup.
 * select: select() over the listener and every client, rebuilt each loop.
 * Prints "echo_server pid PID port PORT mode MODE" once listening. Exits on
 * SIGTERM or SIGINT, or after --max-seconds (default 900) as a safety bound,
 * printing "echo_server round_trips N" (messages echoed).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG 64
#define MAX_CLIENTS (FD_SETSIZE - 16)

static volatile sig_atomic_t stop;
static unsigned long long echoed;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

/* Sends all of buf; a full socket buffer (never seen with 64-byte ping-pong
 * on loopback) is waited out with poll so the server stays simple. */
static int send_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			if (stop)
				return -1;
			poll(&p, 1, 100);
		} else {
			return -1;
		}
	}
	return 0;
}

/* One recv and its echo; returns -1 when the client is gone. */
static int serve(int fd)
{
	char buf[MSG];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);

	if (n > 0) {
		if (send_all(fd, buf, (size_t)n))
			return -1;
		echoed++;
		return 0;
	}
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	return -1;
}

static int accept_one(int lfd)
{
	int one = 1, fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd >= 0)
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static void run_epoll(int lfd)
{
	struct epoll_event evs[256], ev = { .events = EPOLLIN };
	int ep = epoll_create1(EPOLL_CLOEXEC);

	if (ep < 0)
		die("epoll_create1");
	ev.data.fd = lfd;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev))
		die("epoll_ctl");
	while (!stop) {
		int n = epoll_wait(ep, evs, 256, -1);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("epoll_wait");
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == lfd) {
				int c = accept_one(lfd);

				if (c >= 0) {
					ev.events = EPOLLIN;
					ev.data.fd = c;
					if (epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev))
						close(c);
				}
			} else if (serve(fd)) {
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				close(fd);
			}
		}
	}
	close(ep);
}

static void run_select(int lfd)
{
	int clients[MAX_CLIENTS], nc = 0;

	while (!stop) {
		fd_set rs;
		int maxfd = lfd, n;

		FD_ZERO(&rs);
		FD_SET(lfd, &rs);
		for (int i = 0; i < nc; i++) {
			FD_SET(clients[i], &rs);
			if (clients[i] > maxfd)
				maxfd = clients[i];
		}
		n = select(maxfd + 1, &rs, NULL, NULL, NULL);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("select");
		}
		for (int i = 0; i < nc; i++) {
			if (!FD_ISSET(clients[i], &rs))
				continue;
			if (serve(clients[i])) {
				close(clients[i]);
				clients[i] = clients[--nc];
				i--;
			}
		}
		if (FD_ISSET(lfd, &rs)) {
			int c = accept_one(lfd);

			if (c >= 0 && (nc >= MAX_CLIENTS || c >= FD_SETSIZE))
				close(c);
			else if (c >= 0)
				clients[nc++] = c;
		}
	}
	for (int i = 0; i < nc; i++)
		close(clients[i]);
}

int main(int argc, char **argv)
{
	const char *mode = "epoll";
	int port = 0, max_seconds = 900, one = 1, lfd;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART: waits return EINTR */

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--mode") && i + 1 < argc)
			mode = argv[++i];
		else if (!strcmp(argv[i], "--port") && i + 1 < argc)
			port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc)
			max_seconds = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s --mode epoll|select [--port N] [--max-seconds S]\n", argv[0]);
			return 2;
		}
	}
	if (strcmp(mode, "epoll") && strcmp(mode, "select")) {
		fprintf(stderr, "echo_server: unknown mode %s\n", mode);
		return 2;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGALRM, &sa, NULL);
	alarm(max_seconds);

	lfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (lfd < 0)
		die("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)port);
	if (bind(lfd, (struct sockaddr *)&a, sizeof(a)) || listen(lfd, 1024))
		die("bind/listen");
	if (getsockname(lfd, (struct sockaddr *)&a, &alen))
		die("getsockname");
	printf("echo_server pid %d port %d mode %s\n", (int)getpid(), ntohs(a.sin_port), mode);
	fflush(stdout);

	if (!strcmp(mode, "epoll"))
		run_epoll(lfd);
	else
		run_select(lfd);
	close(lfd);
	printf("echo_server round_trips %llu\n", echoed);
	return 0;
}
