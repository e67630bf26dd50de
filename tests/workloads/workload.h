/*
 * Shared by the test workloads (iowork.c, readiness.c, models.c): output and
 * checks through calls iotrace does not probe, fd placement, and the --wait
 * handshake. Each workload defines WORKLOAD_NAME ("iowork", ...) before
 * including this, and sets g_scenario to what it is running.
 *
 * Functions are static and marked unused: a workload takes what it needs.
 */
#ifndef IOTRACE_WORKLOAD_H
#define IOTRACE_WORKLOAD_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#define WL_FN static __attribute__((unused))

static const char *g_scenario = "?";

/* pwritev2 with offset -1 behaves as writev but is not a probed syscall. */
WL_FN long uwrite(int fd, const void *p, size_t n)
{
	struct iovec iov = {(void *)p, n};
	return syscall(SYS_pwritev2, fd, &iov, 1, (long)-1, 0L, 0);
}

WL_FN void uputs(int fd, const char *s) { uwrite(fd, s, strlen(s)); }

/* A set-up step failed: not what is being measured (exit 4). */
__attribute__((noreturn)) WL_FN void die(const char *what)
{
	char msg[256];
	snprintf(msg, sizeof msg, WORKLOAD_NAME ": %s: setup failed: %s: %s\n", g_scenario, what,
		 strerror(errno));
	uputs(2, msg);
	_exit(4);
}

/* Checks a raw syscall() result: want >= 0 is the expected return value,
 * want < 0 the expected -errno. No syscall unless it fails (exit 3). */
WL_FN void check(const char *label, long ret, long want)
{
	long got = ret < 0 ? -errno : ret;
	if (got == want)
		return;
	char msg[256];
	snprintf(msg, sizeof msg, WORKLOAD_NAME ": FAIL %s %s: got %ld want %ld\n", g_scenario, label,
		 got, want);
	uputs(2, msg);
	_exit(3);
}

WL_FN void expect(const char *label, int cond)
{
	if (!cond)
		check(label, 0, 1);
}

/* "var NAME VALUE\n" on fd 1: values the test needs (ports, tids). */
WL_FN void var(const char *name, long value)
{
	char line[128];
	snprintf(line, sizeof line, "var %s %ld\n", name, value);
	uputs(1, line);
}

/* Moves fd to number target (dup2, then close_range on the original: neither
 * is the probed close). */
WL_FN void place(int fd, int target)
{
	if (fd < 0)
		die("create fd");
	if (fd == target)
		return;
	if (dup2(fd, target) != target)
		die("dup2");
	if (syscall(SYS_close_range, fd, fd, 0) != 0)
		die("close_range");
}

WL_FN void nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0)
		die("fcntl");
}

/* A unix socketpair of `type` at fds a and b; a non-blocking if asked. */
WL_FN void pair(int type, int a, int b, int a_nonblock)
{
	int sv[2];
	if (socketpair(AF_UNIX, type, 0, sv) != 0)
		die("socketpair");
	place(sv[0], a);
	place(sv[1], b);
	if (a_nonblock)
		nonblock(a);
}

/* --wait: blocks SIGUSR1, says "ready" on fd 1, waits for SIGUSR1 in
 * sigwaitinfo (rt_sigtimedwait: not probed). */
WL_FN void wait_for_go(void)
{
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, &s, NULL) != 0)
		die("sigprocmask");
	uputs(1, "ready\n");
	int sig;
	while ((sig = sigwaitinfo(&s, NULL)) < 0 && errno == EINTR)
		;
	if (sig != SIGUSR1)
		die("sigwaitinfo");
}

#endif /* IOTRACE_WORKLOAD_H */
