/*
 * forkstorm: a fork-per-connection server and its load client, for the test
 * of `iotrace -f` under a fork storm (tests/integration/forkstorm_test.cpp).
 *
 *   forkstorm serve K
 *   forkstorm client PORT K SECONDS SERVER_PID WORKERS
 *
 * serve: listens on 127.0.0.1 (ephemeral port), prints "var port P" and
 * "ready", then forks one child per accepted connection. Each child makes
 * exactly K recvfrom calls of 64 bytes and K sendto calls of 64 bytes (the
 * client answers in lockstep, so each recvfrom returns one whole message)
 * and exits. SIGUSR1 ends the accepting; the server reaps every child,
 * prints "var children N" and waits up to 30 s for SIGTERM/SIGINT, so that
 * iotrace's -d, not the server's exit, ends the trace. Exits 0.
 *
 * client: WORKERS processes connect to PORT again and again for SECONDS (as
 * fast as they can, one connection at a time each: a lockstep exchange
 * waits on the server's child, so one connection at a time would measure
 * the scheduler), do K exchanges on each; then the client prints
 * "var connections N" (all workers) and sends SIGUSR1 to SERVER_PID. Run it
 * untraced.
 *
 * So a traced child's figures are known: recvfrom K calls (64 K bytes),
 * sendto K calls (64 K bytes), nothing else probed (the listening socket is
 * dropped with close_range, exit closes the connection). The server itself
 * makes ppoll and accept4 calls (not asserted exactly). The same rules as
 * iowork.c: set-up and output through unprobed syscalls, every probed call
 * made with syscall(SYS_...) and its result checked without a syscall.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORKLOAD_NAME "forkstorm"
#include "workload.h"

#define MSG 64

static volatile sig_atomic_t g_quit;

static void on_usr1(int sig)
{
	(void)sig;
	g_quit = 1;
}

static __attribute__((noreturn)) void usage(void)
{
	uputs(2, "usage: forkstorm serve K | forkstorm client PORT K SECONDS SERVER_PID WORKERS\n");
	_exit(2);
}

static __attribute__((noreturn)) void child(int conn, int k)
{
	char buf[MSG];
	g_scenario = "serve(child)";
	for (int i = 0; i < k; i++) {
		check("recvfrom", syscall(SYS_recvfrom, conn, buf, MSG, MSG_WAITALL, NULL, NULL), MSG);
		check("sendto", syscall(SYS_sendto, conn, buf, MSG, 0, NULL, 0), MSG);
	}
	_exit(0);
}

static int serve(int k)
{
	g_scenario = "serve";
	int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof a;
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 1024) != 0 ||
	    getsockname(ls, (struct sockaddr *)&a, &alen) != 0)
		die("listen");
	nonblock(ls);

	/* SIGUSR1 is blocked but in ppoll: no lost wakeup between the check
	 * of g_quit and the wait */
	struct sigaction sa = {.sa_handler = on_usr1};
	sigemptyset(&sa.sa_mask);
	sigset_t usr1, during;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	if (sigaction(SIGUSR1, &sa, NULL) != 0 || sigprocmask(SIG_BLOCK, &usr1, &during) != 0)
		die("signals");
	sigdelset(&during, SIGUSR1);

	var("port", ntohs(a.sin_port));
	uputs(1, "ready\n");

	long children = 0;
	while (!g_quit) {
		struct pollfd p = {.fd = ls, .events = POLLIN};
		/* the kernel's sigset is 8 bytes, glibc's sigset_t 128 */
		long n = syscall(SYS_ppoll, &p, 1, NULL, &during, (size_t)8);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("ppoll");
		for (;;) {
			long c = syscall(SYS_accept4, ls, NULL, NULL, SOCK_CLOEXEC);
			if (c < 0 && errno == EAGAIN)
				break;
			if (c < 0)
				die("accept4");
			pid_t pid = fork();
			if (pid < 0)
				die("fork");
			if (pid == 0) {
				if (syscall(SYS_close_range, ls, ls, 0) != 0)
					die("close_range");
				child((int)c, k);
			}
			children++;
			if (syscall(SYS_close_range, c, c, 0) != 0)
				die("close_range");
		}
		/* reap what has exited, without blocking */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (waitpid(-1, NULL, 0) > 0)
		;
	var("children", children);

	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	if (sigprocmask(SIG_BLOCK, &stop, NULL) != 0)
		die("sigprocmask");
	struct timespec limit = {30, 0};
	sigtimedwait(&stop, NULL, &limit);
	_exit(0);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static long connect_loop(int port, int k, double end)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	char buf[MSG];
	memset(buf, 'x', sizeof buf);
	long connections = 0;
	while (now_s() < end) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0)
			die("connect");
		for (int i = 0; i < k; i++) {
			check("send", send(s, buf, MSG, 0), MSG);
			check("recv", recv(s, buf, MSG, MSG_WAITALL), MSG);
		}
		close(s);
		connections++;
	}
	return connections;
}

static int client(int port, int k, double seconds, pid_t server, int workers)
{
	g_scenario = "client";
	long *counts = mmap(NULL, sizeof(long) * (size_t)workers, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (counts == MAP_FAILED)
		die("mmap");
	double end = now_s() + seconds;
	for (int w = 0; w < workers; w++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			counts[w] = connect_loop(port, k, end);
			_exit(0);
		}
	}
	long connections = 0;
	for (int w = 0; w < workers; w++) {
		int st;
		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			die("client worker");
	}
	for (int w = 0; w < workers; w++)
		connections += counts[w];
	var("connections", connections);
	if (kill(server, SIGUSR1) != 0)
		die("kill");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "serve") == 0)
		return serve(atoi(argv[2]));
	if (argc == 7 && strcmp(argv[1], "client") == 0)
		return client(atoi(argv[2]), atoi(argv[3]), atof(argv[4]), (pid_t)atoi(argv[5]), atoi(argv[6]));
	usage();
}
