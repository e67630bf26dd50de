/*
 * habits: what real servers do that the diagnosis must not take for a
 * problem (issue 10), each a known sequence of calls, for
 * tests/integration/diagnosis_models_test.cpp.
 *
 *   habits MODE
 *
 * socat calls recvfrom(MSG_DONTWAIT) on an internal AF_UNIX SOCK_DGRAM
 * socketpair (its queued diagnostics) at every log call site: EAGAIN, since
 * nothing is queued, on an fd no wait ever reports.
 *
 *   socat-accept  socat's fork-mode master: a pselect6 loop over the
 *                 diagnostics socket and the listener that sleeps until a
 *                 connection. A client thread (no probed call: socket,
 *                 connect, nanosleep) connects ACC_CONNS times, ACC_GAP_MS
 *                 apart, and keeps its sockets open. The master checks the
 *                 diagnostics socket ACC_FIRST times, then per connection:
 *                 pselect6 (the listener ready), 1 check, accept4, 3 checks,
 *                 close, 5 checks. Probed calls: ACC_CONNS pselect6, accept4
 *                 and close; 2 + 9 x ACC_CONNS = 92 recvfrom, all EAGAIN.
 *                 Asleep in pselect6 nearly all the time; by the counts 10
 *                 ready events for 102 IO calls and 10 of 112 calls slept.
 *   socat-relay   socat's per-connection child: a pselect6 loop relaying
 *                 RELAY_ROUNDS requests on a connection (a unix stream
 *                 socketpair; the client, a forked process, writes MSG bytes
 *                 and reads the answer, blocking) and RELAY_CHECKS checks of
 *                 the diagnostics socket (not watched) after each read. Per
 *                 round: pselect6, read (the request, short), 7 recvfrom
 *                 EAGAIN, write (the answer); then pselect6, read (end of
 *                 file), close: 10 x RELAY_ROUNDS + 3 probed calls.
 *
 * Conventions (as models.c): probed calls through syscall(SYS_...), fds at
 * fixed numbers, the set-up only through calls iotrace does not probe, a
 * static binary; a surprise prints "habits: FAIL ..." on fd 2 and exits 3
 * (set-up failures exit 4).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORKLOAD_NAME "habits"
#include "workload.h"

enum { DIAG = 40, DIAG_PEER = 41, LISTENER = 42, CONN = 42, CONN_PEER = 43 };
enum { MSG = 64 };
enum { ACC_CONNS = 10, ACC_GAP_MS = 20, ACC_FIRST = 2 };
enum { RELAY_ROUNDS = 200, RELAY_CHECKS = 7 };

static char g_buf[4096];

/* ---- probed calls --------------------------------------------------------- */

/* socat's check for queued diagnostics: nothing is ever queued. */
static void check_diag(int times)
{
	for (int i = 0; i < times; i++)
		check("recvfrom(MSG_DONTWAIT)",
		      syscall(SYS_recvfrom, DIAG, g_buf, sizeof g_buf, MSG_DONTWAIT, NULL, NULL), -EAGAIN);
}

/* pselect6 on the read set {fds}, no timeout: returns the ready count. */
static long wait_readable(const int *fds, int n)
{
	fd_set rs;
	FD_ZERO(&rs);
	int max = 0;
	for (int i = 0; i < n; i++) {
		FD_SET(fds[i], &rs);
		if (fds[i] > max)
			max = fds[i];
	}
	return syscall(SYS_pselect6, max + 1, &rs, NULL, NULL, NULL, NULL);
}

/* ---- untraced helpers ------------------------------------------------------ */

static void msleep(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int g_port;

static void *acc_client(void *arg)
{
	(void)arg;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(g_port),
				 .sin_addr = {htonl(INADDR_LOOPBACK)}};
	for (int i = 0; i < ACC_CONNS; i++) {
		msleep(ACC_GAP_MS); /* the master is asleep in pselect6 by then */
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
			die("connect");
	}
	return NULL;
}

/* ---- socat-accept ---------------------------------------------------------- */

static void run_accept(void)
{
	place(socket(AF_INET, SOCK_STREAM, 0), LISTENER);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = {htonl(INADDR_LOOPBACK)}};
	socklen_t len = sizeof sa;
	if (bind(LISTENER, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(LISTENER, 16) != 0 ||
	    getsockname(LISTENER, (struct sockaddr *)&sa, &len) != 0)
		die("listener");
	g_port = ntohs(sa.sin_port);
	pthread_t client;
	if (pthread_create(&client, NULL, acc_client, NULL) != 0)
		die("pthread_create");

	const int watched[] = {DIAG, LISTENER};
	check_diag(ACC_FIRST);
	for (int i = 0; i < ACC_CONNS; i++) {
		check("pselect6", wait_readable(watched, 2), 1); /* sleeps until a connection */
		check_diag(1);
		long fd = syscall(SYS_accept4, LISTENER, NULL, NULL, 0);
		if (fd < 0)
			check("accept4", fd, 0);
		check_diag(3);
		check("close", syscall(SYS_close, fd), 0); /* socat's master: the child has it */
		check_diag(5);
	}
	if (pthread_join(client, NULL) != 0)
		die("pthread_join");
}

/* ---- socat-relay ----------------------------------------------------------- */

static void relay_client(void)
{
	static const char req[MSG] = "request";
	char ans[MSG];
	for (int i = 0; i < RELAY_ROUNDS; i++) {
		check("client write", syscall(SYS_write, CONN_PEER, req, sizeof req), MSG);
		check("client read", syscall(SYS_read, CONN_PEER, ans, sizeof ans), MSG);
	}
	check("client close", syscall(SYS_close, CONN_PEER), 0);
}

static void run_relay(void)
{
	pair(SOCK_STREAM, CONN, CONN_PEER, 0);
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		g_scenario = "socat-relay client";
		syscall(SYS_close_range, CONN, CONN, 0);
		relay_client();
		_exit(0);
	}
	syscall(SYS_close_range, CONN_PEER, CONN_PEER, 0);
	const int watched[] = {CONN};
	for (int i = 0; i < RELAY_ROUNDS; i++) {
		check("pselect6", wait_readable(watched, 1), 1);
		check("read", syscall(SYS_read, CONN, g_buf, sizeof g_buf), MSG); /* short: all there was */
		check_diag(RELAY_CHECKS);
		check("write", syscall(SYS_write, CONN, g_buf, MSG), MSG);
	}
	check("pselect6 (end)", wait_readable(watched, 1), 1);
	check("read (end of file)", syscall(SYS_read, CONN, g_buf, sizeof g_buf), 0);
	check("close", syscall(SYS_close, CONN), 0);
	int status;
	if (waitpid(child, &status, 0) != child)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		check("client process", status, 0);
}

/* ---- main ------------------------------------------------------------------ */

int main(int argc, char **argv)
{
	if (argc != 2) {
		uputs(2, "usage: habits socat-accept|socat-relay\n");
		_exit(2);
	}
	g_scenario = argv[1];
	pair(SOCK_DGRAM, DIAG, DIAG_PEER, 0); /* blocking, as socat's: MSG_DONTWAIT per call */
	if (strcmp(argv[1], "socat-accept") == 0)
		run_accept();
	else if (strcmp(argv[1], "socat-relay") == 0)
		run_relay();
	else {
		uputs(2, "habits: unknown mode\n");
		_exit(2);
	}
	_exit(0);
}
