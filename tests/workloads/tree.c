/*
 * tree: servers whose children exist before iotrace attaches, for `-f -p`
 * (tests/integration/tree_test.cpp).
 *
 *   tree prefork N [--wait]
 *   tree forkconn N [--wait]
 *   tree epfork N [--wait]
 *
 *   prefork   the master forks N workers before "ready"; worker 0 forks a
 *             helper of its own (a grandchild). After SIGUSR1 each of the
 *             N + 1 children makes, on a unix stream pair of its own,
 *             sendto(5 bytes) and recvfrom(16) -> 5 (short); the master makes no
 *             probed call (it forwards the signal and reaps).
 *   forkconn  a fork-per-connection server: the master listens on
 *             127.0.0.1, connects N clients, accepts each and forks a
 *             handler per connection, all before "ready". After SIGUSR1
 *             the master sends a 4-byte request on each client (sendto) and
 *             reads each 4-byte answer (recvfrom(4) -> 4); each handler reads its
 *             request (recvfrom(16) -> 4, short) and answers (sendto 4).
 * Prints "var child PID" per child of the master and "var grandchild PID".
 *   epfork    the master registers a readable unix socket in an epoll fd
 *             before "ready"; after SIGUSR1 it forks N children one after
 *             the other, each making EPFORK_WAITS epoll_wait(timeout 0) on
 *             the inherited epoll fd (1 event each) right after its fork,
 *             before iotrace has handled the fork event; the master makes
 *             no probed call.
 *
 * Conventions as iowork.c: probed calls through syscall(SYS_...), set-up
 * with unprobed calls (socketpair, socket, bind, listen, connect, fork,
 * preadv2), "ready" then sigwaitinfo for SIGUSR1. The master forwards SIGUSR1 with kill() (not probed) and reaps
 * with wait4 (not probed). Children block SIGUSR1 before they are forked,
 * so none can miss it. The accept4 calls run before "ready", so an attached
 * iotrace never sees them. Exits 0; a child's failure makes the master exit
 * 3 ("tree: FAIL ...").
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/wait.h>

#define WORKLOAD_NAME "tree"
#include "workload.h"

enum { MAX_KIDS = 16 };

static pid_t g_kids[MAX_KIDS + 1];
static int g_nkids;

static void block_usr1(sigset_t *s)
{
	sigemptyset(s);
	sigaddset(s, SIGUSR1);
	if (sigprocmask(SIG_BLOCK, s, NULL) != 0)
		die("sigprocmask");
}

static void await_usr1(const sigset_t *s)
{
	int sig;
	while ((sig = sigwaitinfo(s, NULL)) < 0 && errno == EINTR)
		;
	if (sig != SIGUSR1)
		die("sigwaitinfo");
}

/* Forks a child running fn(arg) after SIGUSR1 (blocked: inherited). */
static void spawn(void (*fn)(int), int arg)
{
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		sigset_t s;
		block_usr1(&s);
		await_usr1(&s);
		fn(arg);
		_exit(0);
	}
	g_kids[g_nkids++] = pid;
}

static void reap_all(void)
{
	for (int i = 0; i < g_nkids; i++) {
		int st;
		if (waitpid(g_kids[i], &st, 0) != g_kids[i])
			die("waitpid");
		expect("child exit", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
}

/* ---- prefork ------------------------------------------------------------ */

static void worker_io(int unused)
{
	(void)unused;
	int sv[2];
	char buf[16];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		die("socketpair");
	check("sendto", syscall(SYS_sendto, sv[0], "hello", 5, 0, NULL, 0), 5);
	check("recvfrom", syscall(SYS_recvfrom, sv[1], buf, sizeof buf, 0, NULL, 0), 5);
}

static void prefork(int n, const sigset_t *s)
{
	/* worker 0 forks the helper and says so on a pipe before the master
	 * goes on (preadv2 at offset -1 reads like readv: not probed) */
	int hs[2];
	char c;
	struct iovec iov = {&c, 1};
	if (pipe(hs) != 0)
		die("pipe");
	pid_t w0 = fork();
	if (w0 < 0)
		die("fork");
	if (w0 == 0) {
		g_nkids = 0;
		spawn(worker_io, 0);
		var("grandchild", g_kids[0]);
		uwrite(hs[1], "x", 1);
		await_usr1(s);
		worker_io(0);
		if (kill(g_kids[0], SIGUSR1) != 0)
			die("kill helper");
		reap_all();
		_exit(0);
	}
	g_kids[g_nkids++] = w0;
	if (syscall(SYS_preadv2, hs[0], &iov, 1, -1L, 0L, 0) != 1)
		die("helper handshake");
	for (int i = 1; i < n; i++)
		spawn(worker_io, 0);
}

/* ---- epfork ------------------------------------------------------------- */

enum { EPFORK_WAITS = 50 };

static int g_epfd;

static void epfork_setup(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		die("socketpair");
	uwrite(sv[1], "x", 1);
	struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0xfeed};
	g_epfd = epoll_create1(0);
	if (g_epfd < 0 || epoll_ctl(g_epfd, EPOLL_CTL_ADD, sv[0], &ev) != 0)
		die("epoll");
}

static void epfork(int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			struct epoll_event ev[4];
			for (int k = 0; k < EPFORK_WAITS; k++)
				check("epoll_wait", syscall(SYS_epoll_wait, g_epfd, ev, 4, 0), 1);
			_exit(0);
		}
		g_kids[g_nkids++] = pid;
		reap_all();
		g_nkids = 0;
	}
}

/* ---- forkconn ----------------------------------------------------------- */

static int g_conn[MAX_KIDS];

static void handler_io(int i)
{
	char buf[16];
	check("handler recvfrom", syscall(SYS_recvfrom, g_conn[i], buf, sizeof buf, 0, NULL, 0), 4);
	check("handler sendto", syscall(SYS_sendto, g_conn[i], "pong", 4, 0, NULL, 0), 4);
}

static void forkconn(int n, int clients[])
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 64) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&a, &len) != 0)
		die("listen");
	for (int i = 0; i < n; i++) {
		clients[i] = socket(AF_INET, SOCK_STREAM, 0);
		if (clients[i] < 0 || connect(clients[i], (struct sockaddr *)&a, sizeof a) != 0)
			die("connect");
		/* before "ready": an attached iotrace never sees these accepts */
		g_conn[i] = accept(lfd, NULL, NULL);
		if (g_conn[i] < 0)
			die("accept");
		spawn(handler_io, i);
		close(g_conn[i]); /* the master's copy (before attach) */
	}
}

static void master_io(int n, int clients[])
{
	char buf[16];
	for (int i = 0; i < n; i++)
		check("client sendto", syscall(SYS_sendto, clients[i], "ping", 4, 0, NULL, 0), 4);
	for (int i = 0; i < n; i++)
		check("client recvfrom", syscall(SYS_recvfrom, clients[i], buf, 4, MSG_WAITALL, NULL, 0), 4);
}

int main(int argc, char **argv)
{
	int wait = argc > 3 && strcmp(argv[3], "--wait") == 0;
	int n = argc > 2 ? atoi(argv[2]) : 0;
	if (argc < 3 || n < 1 || n > MAX_KIDS || (argc > 3 && !wait)) {
		uputs(2, "usage: tree prefork|forkconn|epfork N [--wait]\n");
		return 2;
	}
	g_scenario = argv[1];
	sigset_t s;
	block_usr1(&s);
	int clients[MAX_KIDS];
	if (strcmp(argv[1], "prefork") == 0)
		prefork(n, &s);
	else if (strcmp(argv[1], "forkconn") == 0)
		forkconn(n, clients);
	else if (strcmp(argv[1], "epfork") == 0)
		epfork_setup();
	else
		die("unknown mode");
	for (int i = 0; i < g_nkids; i++)
		var("child", g_kids[i]);
	if (wait) {
		uputs(1, "ready\n");
		await_usr1(&s);
	}
	for (int i = 0; i < g_nkids; i++)
		if (kill(g_kids[i], SIGUSR1) != 0)
			die("kill");
	if (strcmp(argv[1], "forkconn") == 0)
		master_io(n, clients);
	if (strcmp(argv[1], "epfork") == 0)
		epfork(n);
	reap_all();
	_exit(0);
}
