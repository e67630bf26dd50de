/*
 * iowork: deterministic IO-syscall workloads for the iotrace integration tests.
 *
 *   iowork SCENARIO [--wait]
 *   iowork spin [N] [--wait]
 *
 * Every scenario is a fixed sequence of traced syscalls (the ones iotrace
 * probes) whose return values are known in advance; tests/integration/
 * expects every figure iotrace reports from that sequence, so any change
 * here must be mirrored in the tables of tests/integration/expected.cpp.
 *
 * Rules that keep the figures exact:
 *  - The set-up (sockets, pipes, data in queues, full buffers) uses only
 *    syscalls iotrace does not probe: socketpair, socket, bind, listen,
 *    connect, dup2, close_range, fcntl, shutdown, epoll_create1, mmap,
 *    io_uring_setup, getsockopt, nanosleep, rt_sigaction, tgkill and
 *    pwritev2(offset -1), which writes like writev but is another syscall.
 *    So a traced launch (`iotrace -- iowork S`) sees exactly the scenario's
 *    syscalls too (the binary is static: no loader reads libraries).
 *  - Every probed syscall is made with syscall(SYS_...), so the variant is
 *    the one named, whatever glibc's wrappers would pick.
 *  - fds sit at fixed numbers (FD_* below) so nfds and fd sets are known.
 *  - With --wait the program blocks SIGUSR1, writes "ready\n" to fd 1,
 *    waits in sigwaitinfo() (rt_sigtimedwait: not probed) for SIGUSR1, then
 *    runs the scenario. After that point it makes no probed syscall but the
 *    scenario's: no stdio, _exit() (exit_group) at the end.
 *  - Every return value is checked against the expected one without any
 *    syscall; a mismatch prints "iowork: FAIL ..." on fd 2 (with pwritev2)
 *    and exits 3, so a test can tell a workload surprise from a tracer bug.
 *  - Nothing blocks: waits use timeout 0 (or are interrupted by a signal
 *    already pending), receives find data, EOF or an empty non-blocking
 *    socket.
 *
 * Scenarios: select pselect6 poll ppoll epoll_wait epoll_pwait epoll_pwait2
 * eintr recvfrom recvmsg recvmmsg read readv sendto sendmsg sendmmsg write
 * writev accept accept4 close uring; "all" runs them all in that order (each
 * set-up, untraced, right before its run). Plus:
 *   spin [N]  recvfrom on an empty non-blocking socket (EAGAIN) every 1 ms
 *             until SIGTERM/SIGINT; with N, stop after N calls, print
 *             "done\n" (pwritev2) and wait for SIGTERM/SIGINT. Exits 0.
 *   fork      the parent forks a child that makes 3 calls; the parent reaps
 *             it and makes 1 call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WORKLOAD_NAME "iowork"
#include "workload.h"

/* Fixed fd numbers (all below 64, so select's nfds never exceeds the
 * process's fd table size and the kernel never clamps it). */
enum {
	FD_A = 40,       /* stream socket A / readable end */
	FD_B = 41,       /* its peer */
	FD_IDLE = 42,    /* stream socket nobody writes to (non-blocking) */
	FD_IDLE_PEER = 43,
	FD_PIPE_R = 44,  /* pipe read end (non-blocking) */
	FD_PIPE_W = 45,  /* pipe write end */
	FD_DG = 46,      /* datagram socket */
	FD_DG_PEER = 47,
	FD_DG2 = 48,     /* second datagram socket (empty or full, non-blocking) */
	FD_DG2_PEER = 49,
	FD_EPOLL = 50,
	FD_LISTEN = 51,  /* TCP listener, non-blocking */
	FD_CLIENT1 = 52,
	FD_CLIENT2 = 53,
	FD_URING = 55,
	FD_UNUSED = 61,  /* never open: EBADF */
};

static char g_buf[4096];
static char g_big[300000]; /* larger than a unix datagram may be: EMSGSIZE */

/* ---- untraced helpers (the shared ones are in workload.h) --------------- */

static void mkpipe(void)
{
	int p[2];
	if (pipe2(p, O_NONBLOCK) != 0)
		die("pipe2");
	place(p[0], FD_PIPE_R);
	place(p[1], FD_PIPE_W);
}

/* Puts n bytes into fd's peer queue, as one write. */
static void preload(int fd, size_t n)
{
	if (uwrite(fd, g_buf, n) != (long)n)
		die("preload");
}

/* Writes into non-blocking fd until it says EAGAIN. */
static void fill(int fd, size_t chunk)
{
	for (int i = 0; i < 100000; i++) {
		long r = uwrite(fd, g_buf, chunk);
		if (r < 0) {
			if (errno == EAGAIN)
				return;
			die("fill");
		}
	}
	die("fill never blocked");
}

static void clean(void)
{
	/* Scenarios run one after another in "all": start from a known table. */
	syscall(SYS_close_range, 40, ~0U, 0);
}

/* ---- wait scenarios --------------------------------------------------- */

/* FD_A readable (5 bytes queued by FD_B), FD_B writable, FD_IDLE and
 * FD_IDLE_PEER neither readable nor signalled. */
static void setup_ready_fds(void)
{
	clean();
	pair(SOCK_STREAM, FD_A, FD_B, 0);
	pair(SOCK_STREAM, FD_IDLE, FD_IDLE_PEER, 1);
	preload(FD_B, 5);
}

typedef long (*select_fn)(int n, fd_set *r, fd_set *w, fd_set *e);

static long do_select(int n, fd_set *r, fd_set *w, fd_set *e)
{
	struct timeval tv = {0, 0};
	return syscall(SYS_select, n, r, w, e, &tv);
}

static long do_pselect6(int n, fd_set *r, fd_set *w, fd_set *e)
{
	struct timespec ts = {0, 0};
	return syscall(SYS_pselect6, n, r, w, e, &ts, NULL);
}

static void run_select_family(select_fn f)
{
	fd_set r, w, e;

	/* 1: three sets, nfds 45; fd 50 in r is >= nfds and ignored. -> 2 */
	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(FD_A, &r);
	FD_SET(FD_IDLE, &r);
	FD_SET(50, &r);
	FD_SET(FD_B, &w);
	FD_SET(FD_A, &e);
	check("select1", f(45, &r, &w, &e), 2);
	expect("select1 sets", FD_ISSET(FD_A, &r) && !FD_ISSET(FD_IDLE, &r) &&
				       FD_ISSET(FD_B, &w) && !FD_ISSET(FD_A, &e));

	/* 2: one set, nfds 43, nothing ready. -> 0 */
	FD_ZERO(&r);
	FD_SET(FD_IDLE, &r);
	check("select2", f(43, &r, NULL, NULL), 0);

	/* 3: no sets at all, nfds 0. -> 0 */
	check("select3", f(0, NULL, NULL, NULL), 0);

	/* 4: a set naming a closed fd. -> EBADF */
	FD_ZERO(&r);
	FD_SET(FD_A, &r);
	FD_SET(FD_UNUSED, &r);
	check("select4", f(62, &r, NULL, NULL), -EBADF);
}

static void run_select(void) { run_select_family(do_select); }
static void run_pselect6(void) { run_select_family(do_pselect6); }

typedef long (*poll_fn)(struct pollfd *fds, unsigned long n);

static long do_poll(struct pollfd *fds, unsigned long n)
{
	return syscall(SYS_poll, fds, n, 0);
}

static long do_ppoll(struct pollfd *fds, unsigned long n)
{
	struct timespec ts = {0, 0};
	return syscall(SYS_ppoll, fds, n, &ts, NULL, (size_t)8);
}

static void run_poll_family(poll_fn f)
{
	/* 1: five entries, two with fd < 0. -> 2 (FD_A in, FD_B out) */
	struct pollfd p1[5] = {
		{FD_A, POLLIN, 0}, {FD_IDLE, POLLIN, 0}, {-1, POLLIN, 0},
		{FD_B, POLLOUT, 0}, {-7, POLLIN, 0},
	};
	check("poll1", f(p1, 5), 2);
	expect("poll1 revents", p1[0].revents == POLLIN && p1[1].revents == 0 &&
					p1[2].revents == 0 && p1[3].revents == POLLOUT &&
					p1[4].revents == 0);

	/* 2: one idle entry. -> 0 */
	struct pollfd p2[1] = {{FD_IDLE, POLLIN, 0}};
	check("poll2", f(p2, 1), 0);

	/* 3: no entries. -> 0 */
	check("poll3", f(NULL, 0), 0);

	/* 4: a closed fd: reported ready with POLLNVAL, not an error. -> 1 */
	struct pollfd p4[1] = {{FD_UNUSED, POLLIN, 0}};
	check("poll4", f(p4, 1), 1);
	expect("poll4 revents", p4[0].revents == POLLNVAL);
}

static void run_poll(void) { run_poll_family(do_poll); }
static void run_ppoll(void) { run_poll_family(do_ppoll); }

static void setup_epoll(void)
{
	setup_ready_fds();
	place(epoll_create1(0), FD_EPOLL);
}

typedef long (*epoll_fn)(int ep, struct epoll_event *ev, int max);

static long do_epoll_wait(int ep, struct epoll_event *ev, int max)
{
	return syscall(SYS_epoll_wait, ep, ev, max, 0);
}

static long do_epoll_pwait(int ep, struct epoll_event *ev, int max)
{
	return syscall(SYS_epoll_pwait, ep, ev, max, 0, NULL, (size_t)8);
}

static long do_epoll_pwait2(int ep, struct epoll_event *ev, int max)
{
	struct timespec ts = {0, 0};
	return syscall(SYS_epoll_pwait2, ep, ev, max, &ts, NULL, (size_t)8);
}

static long ctl(int op, int fd, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data = {.fd = fd}};
	return syscall(SYS_epoll_ctl, FD_EPOLL, op, fd, op == EPOLL_CTL_DEL ? NULL : &ev);
}

static void run_epoll_family(epoll_fn f)
{
	struct epoll_event ev[8];

	check("ctl1", ctl(EPOLL_CTL_ADD, FD_A, EPOLLIN), 0);
	check("ctl2", ctl(EPOLL_CTL_ADD, FD_IDLE, EPOLLIN), 0);
	check("ctl3", ctl(EPOLL_CTL_ADD, FD_B, EPOLLOUT), 0);
	check("ctl4", ctl(EPOLL_CTL_ADD, FD_IDLE_PEER, EPOLLIN), 0);
	/* interest list: 4; FD_A readable, FD_B writable -> 2 */
	check("wait1", f(FD_EPOLL, ev, 8), 2);

	check("ctl5", ctl(EPOLL_CTL_MOD, FD_B, EPOLLIN), 0);
	check("ctl6", ctl(EPOLL_CTL_DEL, FD_A, 0), 0);
	/* interest list: 3, none ready -> 0 */
	check("wait2", f(FD_EPOLL, ev, 8), 0);

	check("ctl7", ctl(EPOLL_CTL_ADD, FD_A, EPOLLIN), 0);
	check("ctl8", ctl(EPOLL_CTL_ADD, FD_A, EPOLLIN), -EEXIST);
	/* interest list: 4, FD_A readable, room for one event -> 1 */
	check("wait3", f(FD_EPOLL, ev, 1), 1);
	expect("wait3 event", ev[0].data.fd == FD_A && ev[0].events == EPOLLIN);

	check("wait4", f(FD_UNUSED, ev, 8), -EBADF);
	check("wait5", f(FD_A, ev, 8), -EINVAL); /* not an epoll fd */
}

static void run_epoll_wait(void) { run_epoll_family(do_epoll_wait); }
static void run_epoll_pwait(void) { run_epoll_family(do_epoll_pwait); }
static void run_epoll_pwait2(void) { run_epoll_family(do_epoll_pwait2); }

/* Waits cut short by a signal: SIGALRM (handler, no SA_RESTART) is blocked
 * and made pending (tgkill) before each call; the call's own sigmask
 * unblocks it, so the wait is interrupted at once, every time. fd 42 (idle)
 * is the only fd watched, nothing is ready. */
static sigset_t g_callmask; /* the mask at set-up, SIGALRM not blocked */
static volatile sig_atomic_t g_alarms;

static void on_alarm(int sig)
{
	(void)sig;
	g_alarms++;
}

static void setup_eintr(void)
{
	setup_epoll();
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	if (sigaction(SIGALRM, &sa, NULL) != 0)
		die("sigaction");
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	if (sigprocmask(SIG_BLOCK, &s, &g_callmask) != 0)
		die("sigprocmask");
	sigdelset(&g_callmask, SIGALRM);
}

static void alarm_pending(void)
{
	syscall(SYS_tgkill, getpid(), gettid(), SIGALRM);
}

static void run_eintr(void)
{
	struct timespec ts = {5, 0}; /* never reached: the signal is pending */
	struct epoll_event ev[8];
	/* The kernel returns -ERESTARTNOHAND (ppoll, pselect6) or -EINTR
	 * (epoll); user space sees EINTR either way. */
	alarm_pending();
	struct pollfd p1[1] = {{FD_IDLE, POLLIN, 0}};
	check("eintr ppoll", syscall(SYS_ppoll, p1, 1, &ts, &g_callmask, (size_t)8), -EINTR);

	alarm_pending();
	fd_set r;
	FD_ZERO(&r);
	FD_SET(FD_IDLE, &r);
	struct {
		const sigset_t *ss;
		size_t len;
	} sig = {&g_callmask, 8};
	check("eintr pselect6", syscall(SYS_pselect6, 43, &r, NULL, NULL, &ts, &sig), -EINTR);

	check("eintr ctl", ctl(EPOLL_CTL_ADD, FD_IDLE, EPOLLIN), 0);
	alarm_pending();
	check("eintr epoll_pwait", syscall(SYS_epoll_pwait, FD_EPOLL, ev, 8, 5000, &g_callmask, (size_t)8),
	      -EINTR);
	alarm_pending();
	check("eintr epoll_pwait2", syscall(SYS_epoll_pwait2, FD_EPOLL, ev, 8, &ts, &g_callmask, (size_t)8),
	      -EINTR);
	expect("eintr handler ran", g_alarms == 4);
	g_alarms = 0;
}

/* ---- receive scenarios ------------------------------------------------ */

/* FD_A holds 100 bytes then EOF (FD_B shut down for writing); FD_IDLE is
 * empty and non-blocking; the pipe holds 7 bytes. */
static void setup_recv(void)
{
	clean();
	pair(SOCK_STREAM, FD_A, FD_B, 0);
	pair(SOCK_STREAM, FD_IDLE, FD_IDLE_PEER, 1);
	mkpipe();
	preload(FD_B, 100);
	if (shutdown(FD_B, SHUT_WR) != 0)
		die("shutdown");
	preload(FD_PIPE_W, 7);
}

typedef long (*recv_fn)(int fd, char *buf, size_t len);

static long do_recvfrom(int fd, char *buf, size_t len)
{
	return syscall(SYS_recvfrom, fd, buf, len, 0, NULL, NULL);
}

static long do_read(int fd, char *buf, size_t len)
{
	return syscall(SYS_read, fd, buf, len);
}

/* The vector variants split the buffer into two iovecs: len/2 + the rest. */
static long do_recvmsg(int fd, char *buf, size_t len)
{
	struct iovec iov[2] = {{buf, len / 2}, {buf + len / 2, len - len / 2}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	return syscall(SYS_recvmsg, fd, &m, 0);
}

static long do_readv(int fd, char *buf, size_t len)
{
	struct iovec iov[2] = {{buf, len / 2}, {buf + len / 2, len - len / 2}};
	return syscall(SYS_readv, fd, iov, 2);
}

static void run_recv_family(recv_fn f, int file_too)
{
	char buf[64];
	check("recv1", f(FD_A, buf, 60), 60);        /* full */
	check("recv2", f(FD_A, buf, 60), 40);        /* short: 40 < 60 */
	check("recv3", f(FD_A, buf, 60), 0);         /* EOF */
	check("recv4", f(FD_IDLE, buf, 60), -EAGAIN);
	check("recv5", f(FD_UNUSED, buf, 60), -EBADF);
	if (file_too)
		check("recv6", f(FD_PIPE_R, buf, 7), 7); /* a pipe, full */
}

static void run_recvfrom(void) { run_recv_family(do_recvfrom, 0); }
static void run_recvmsg(void) { run_recv_family(do_recvmsg, 0); }
static void run_read(void) { run_recv_family(do_read, 1); }
static void run_readv(void) { run_recv_family(do_readv, 1); }

/* FD_DG holds five datagrams of 10, 20, 30, 40 and 100 bytes; FD_DG2 is an
 * empty non-blocking datagram socket. */
static void setup_recvmmsg(void)
{
	static const size_t sizes[5] = {10, 20, 30, 40, 100};
	clean();
	pair(SOCK_DGRAM, FD_DG, FD_DG_PEER, 0);
	pair(SOCK_DGRAM, FD_DG2, FD_DG2_PEER, 1);
	for (int i = 0; i < 5; i++)
		preload(FD_DG_PEER, sizes[i]);
}

static void run_recvmmsg(void)
{
	static char bufs[4][64];
	struct iovec iov[4];
	struct mmsghdr mm[4];
	memset(mm, 0, sizeof mm);
	for (int i = 0; i < 4; i++) {
		iov[i].iov_base = bufs[i];
		iov[i].iov_len = sizeof bufs[i];
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	/* 1: vlen 2 -> 2 messages of 10 and 20 bytes */
	check("mm1", syscall(SYS_recvmmsg, FD_DG, mm, 2, MSG_DONTWAIT, NULL), 2);
	expect("mm1 len", mm[0].msg_len == 10 && mm[1].msg_len == 20);
	/* 2: vlen 4 -> 3 messages: 30, 40 and 100 truncated to 64 */
	check("mm2", syscall(SYS_recvmmsg, FD_DG, mm, 4, MSG_DONTWAIT, NULL), 3);
	expect("mm2 len", mm[0].msg_len == 30 && mm[1].msg_len == 40 && mm[2].msg_len == 64 &&
				  (mm[2].msg_hdr.msg_flags & MSG_TRUNC));
	check("mm3", syscall(SYS_recvmmsg, FD_DG2, mm, 4, MSG_DONTWAIT, NULL), -EAGAIN);
	check("mm4", syscall(SYS_recvmmsg, FD_UNUSED, mm, 4, MSG_DONTWAIT, NULL), -EBADF);
}

/* ---- send scenarios --------------------------------------------------- */

/* FD_A sends to FD_B (never read); FD_IDLE is non-blocking and its send
 * buffer full; the pipe is empty. */
static void setup_send(void)
{
	clean();
	pair(SOCK_STREAM, FD_A, FD_B, 0);
	pair(SOCK_STREAM, FD_IDLE, FD_IDLE_PEER, 1);
	mkpipe();
	fill(FD_IDLE, sizeof g_buf);
}

typedef long (*send_fn)(int fd, const char *buf, size_t len);

static long do_sendto(int fd, const char *buf, size_t len)
{
	return syscall(SYS_sendto, fd, buf, len, 0, NULL, 0);
}

static long do_write(int fd, const char *buf, size_t len)
{
	return syscall(SYS_write, fd, buf, len);
}

static long do_sendmsg(int fd, const char *buf, size_t len)
{
	struct iovec iov[2] = {{(char *)buf, len / 2}, {(char *)buf + len / 2, len - len / 2}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	return syscall(SYS_sendmsg, fd, &m, 0);
}

static long do_writev(int fd, const char *buf, size_t len)
{
	struct iovec iov[2] = {{(char *)buf, len / 2}, {(char *)buf + len / 2, len - len / 2}};
	return syscall(SYS_writev, fd, iov, 2);
}

static void run_send_family(send_fn f, int file_too)
{
	check("send1", f(FD_A, g_buf, 100), 100);
	check("send2", f(FD_A, g_buf, 1), 1);
	check("send3", f(FD_IDLE, g_buf, 100), -EAGAIN); /* buffer full */
	check("send4", f(FD_UNUSED, g_buf, 100), -EBADF);
	if (file_too)
		check("send5", f(FD_PIPE_W, g_buf, 5), 5);
}

static void run_sendto(void) { run_send_family(do_sendto, 0); }
static void run_sendmsg(void) { run_send_family(do_sendmsg, 0); }
static void run_write(void) { run_send_family(do_write, 1); }
static void run_writev(void) { run_send_family(do_writev, 1); }

/* FD_DG sends to FD_DG_PEER (never read); FD_DG2 is non-blocking with its
 * send buffer full. */
static void setup_sendmmsg(void)
{
	clean();
	pair(SOCK_DGRAM, FD_DG, FD_DG_PEER, 0);
	pair(SOCK_DGRAM, FD_DG2, FD_DG2_PEER, 1);
	fill(FD_DG2, 256);
}

static void run_sendmmsg(void)
{
	struct iovec iov[3] = {{g_buf, 10}, {g_buf, 20}, {g_buf, 30}};
	struct mmsghdr mm[3];
	memset(mm, 0, sizeof mm);
	for (int i = 0; i < 3; i++) {
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	/* 1: three datagrams of 10, 20, 30 -> 3 */
	check("smm1", syscall(SYS_sendmmsg, FD_DG, mm, 3, 0), 3);
	expect("smm1 len", mm[0].msg_len == 10 && mm[1].msg_len == 20 && mm[2].msg_len == 30);
	check("smm2", syscall(SYS_sendmmsg, FD_DG2, mm, 2, MSG_DONTWAIT), -EAGAIN);
	check("smm3", syscall(SYS_sendmmsg, FD_UNUSED, mm, 2, 0), -EBADF);
	/* 4: 25 bytes, then one too large for a datagram (EMSGSIZE) -> 1 */
	iov[0].iov_len = 25;
	iov[1].iov_base = g_big;
	iov[1].iov_len = sizeof g_big;
	mm[0].msg_len = mm[1].msg_len = 0;
	check("smm4", syscall(SYS_sendmmsg, FD_DG, mm, 2, 0), 1);
	expect("smm4 len", mm[0].msg_len == 25);
}

/* ---- accept, close, io_uring ------------------------------------------ */

/* A non-blocking TCP listener on 127.0.0.1 with two connections completed
 * and queued (we wait, with TCP_INFO, for the kernel to queue both). */
static void setup_accept(void)
{
	clean();
	place(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), FD_LISTEN);
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = {htonl(INADDR_LOOPBACK)}};
	socklen_t len = sizeof sa;
	if (bind(FD_LISTEN, (struct sockaddr *)&sa, sizeof sa) != 0)
		die("bind");
	if (listen(FD_LISTEN, 8) != 0)
		die("listen");
	if (getsockname(FD_LISTEN, (struct sockaddr *)&sa, &len) != 0)
		die("getsockname");
	int clients[2] = {FD_CLIENT1, FD_CLIENT2};
	for (int i = 0; i < 2; i++) {
		place(socket(AF_INET, SOCK_STREAM, 0), clients[i]);
		if (connect(clients[i], (struct sockaddr *)&sa, sizeof sa) != 0)
			die("connect");
	}
	for (int i = 0;; i++) {
		struct tcp_info ti;
		socklen_t tl = sizeof ti;
		if (getsockopt(FD_LISTEN, IPPROTO_TCP, TCP_INFO, &ti, &tl) != 0)
			die("TCP_INFO");
		if (ti.tcpi_unacked == 2) /* listener: accept queue length */
			break;
		if (i == 10000)
			die("connections never queued");
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
}

static void run_accept(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	expect("accept1", syscall(SYS_accept, FD_LISTEN, NULL, NULL) >= 0);
	expect("accept2", syscall(SYS_accept, FD_LISTEN, &sa, &len) >= 0);
	check("accept3", syscall(SYS_accept, FD_LISTEN, NULL, NULL), -EAGAIN);
	check("accept4", syscall(SYS_accept, FD_UNUSED, NULL, NULL), -EBADF);
}

static void run_accept4(void)
{
	struct sockaddr_in sa;
	socklen_t len = sizeof sa;
	expect("accept4_1", syscall(SYS_accept4, FD_LISTEN, NULL, NULL, SOCK_CLOEXEC) >= 0);
	expect("accept4_2", syscall(SYS_accept4, FD_LISTEN, &sa, &len, SOCK_NONBLOCK) >= 0);
	check("accept4_3", syscall(SYS_accept4, FD_LISTEN, NULL, NULL, 0), -EAGAIN);
	check("accept4_4", syscall(SYS_accept4, FD_UNUSED, NULL, NULL, 0), -EBADF);
}

static void setup_close(void)
{
	clean();
	pair(SOCK_STREAM, FD_A, FD_B, 0);
}

static void run_close(void)
{
	check("close1", syscall(SYS_close, FD_A), 0);
	check("close2", syscall(SYS_close, FD_B), 0);
	check("close3", syscall(SYS_close, FD_UNUSED), -EBADF);
	check("close4", syscall(SYS_close, FD_A), -EBADF); /* already closed */
}

static struct {
	unsigned *tail, *mask, *array;
	struct io_uring_sqe *sqes;
} g_ring;

static void setup_uring(void)
{
	clean();
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	int fd = (int)syscall(SYS_io_uring_setup, 4, &p);
	place(fd, FD_URING);
	size_t sqsz = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	char *sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, FD_URING,
			IORING_OFF_SQ_RING);
	void *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
			  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, FD_URING,
			  IORING_OFF_SQES);
	if (sq == MAP_FAILED || sqes == MAP_FAILED)
		die("mmap ring");
	g_ring.tail = (unsigned *)(sq + p.sq_off.tail);
	g_ring.mask = (unsigned *)(sq + p.sq_off.ring_mask);
	g_ring.array = (unsigned *)(sq + p.sq_off.array);
	g_ring.sqes = sqes;
}

static void run_uring(void)
{
	/* one NOP submitted -> 1 */
	unsigned t = *g_ring.tail, i = t & *g_ring.mask;
	memset(&g_ring.sqes[i], 0, sizeof g_ring.sqes[i]);
	g_ring.sqes[i].opcode = IORING_OP_NOP;
	g_ring.sqes[i].user_data = 42;
	g_ring.array[i] = i;
	__atomic_store_n(g_ring.tail, t + 1, __ATOMIC_RELEASE);
	check("uring1", syscall(SYS_io_uring_enter, FD_URING, 1, 0, 0, NULL, (size_t)0), 1);
	check("uring2", syscall(SYS_io_uring_enter, FD_URING, 0, 0, 0, NULL, (size_t)0), 0);
	check("uring3", syscall(SYS_io_uring_enter, FD_UNUSED, 0, 0, 0, NULL, (size_t)0), -EBADF);
}

/* ---- spin and fork ---------------------------------------------------- */

static volatile sig_atomic_t g_stop;
static long g_spin_max; /* 0: until SIGTERM/SIGINT */

static void on_stop(int sig)
{
	(void)sig;
	g_stop = 1;
}

/* recvfrom on an empty non-blocking socket (EAGAIN) every millisecond,
 * until SIGTERM or SIGINT; with N, N calls then "done\n" on fd 1 (pwritev2)
 * and wait for SIGTERM/SIGINT. Exits 0. */
static void setup_spin(void)
{
	clean();
	pair(SOCK_STREAM, FD_IDLE, FD_IDLE_PEER, 1);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

static void run_spin(void)
{
	char buf[16];
	for (long i = 0; !g_stop && (g_spin_max == 0 || i < g_spin_max); i++) {
		check("spin", syscall(SYS_recvfrom, FD_IDLE, buf, sizeof buf, 0, NULL, NULL),
		      -EAGAIN);
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
	}
	if (g_stop)
		return;
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGTERM);
	sigaddset(&s, SIGINT);
	sigprocmask(SIG_BLOCK, &s, NULL);
	uputs(1, "done\n");
	while (!g_stop) {
		int sig = sigwaitinfo(&s, NULL);
		if (sig == SIGTERM || sig == SIGINT)
			break;
	}
}

/* The parent forks; the child sends 10 bytes on FD_A, gets EAGAIN from
 * FD_IDLE and EBADF from close; the parent reaps it (wait4) and reads the
 * 10 bytes from FD_B. */
static void setup_fork(void)
{
	clean();
	pair(SOCK_STREAM, FD_A, FD_B, 0);
	pair(SOCK_STREAM, FD_IDLE, FD_IDLE_PEER, 1);
}

static void run_fork(void)
{
	char buf[64];
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		g_scenario = "fork(child)";
		check("child sendto", syscall(SYS_sendto, FD_A, "0123456789", 10, 0, NULL, 0), 10);
		check("child recvfrom",
		      syscall(SYS_recvfrom, FD_IDLE, buf, sizeof buf, 0, NULL, NULL), -EAGAIN);
		check("child close", syscall(SYS_close, FD_UNUSED), -EBADF);
		_exit(0);
	}
	int st;
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	expect("child status", WIFEXITED(st) && WEXITSTATUS(st) == 0);
	check("parent read", syscall(SYS_read, FD_B, buf, sizeof buf), 10); /* short */
}

/* ---- main ------------------------------------------------------------- */

struct scenario {
	const char *name;
	void (*setup)(void);
	void (*run)(void);
	int in_all; /* part of "all" */
};

static const struct scenario scenarios[] = {
	{"select", setup_ready_fds, run_select, 1},
	{"pselect6", setup_ready_fds, run_pselect6, 1},
	{"poll", setup_ready_fds, run_poll, 1},
	{"ppoll", setup_ready_fds, run_ppoll, 1},
	{"epoll_wait", setup_epoll, run_epoll_wait, 1},
	{"epoll_pwait", setup_epoll, run_epoll_pwait, 1},
	{"epoll_pwait2", setup_epoll, run_epoll_pwait2, 1},
	{"eintr", setup_eintr, run_eintr, 1},
	{"recvfrom", setup_recv, run_recvfrom, 1},
	{"recvmsg", setup_recv, run_recvmsg, 1},
	{"recvmmsg", setup_recvmmsg, run_recvmmsg, 1},
	{"read", setup_recv, run_read, 1},
	{"readv", setup_recv, run_readv, 1},
	{"sendto", setup_send, run_sendto, 1},
	{"sendmsg", setup_send, run_sendmsg, 1},
	{"sendmmsg", setup_sendmmsg, run_sendmmsg, 1},
	{"write", setup_send, run_write, 1},
	{"writev", setup_send, run_writev, 1},
	{"accept", setup_accept, run_accept, 1},
	{"accept4", setup_accept, run_accept4, 1},
	{"close", setup_close, run_close, 1},
	{"uring", setup_uring, run_uring, 1},
	{"spin", setup_spin, run_spin, 0},
	{"fork", setup_fork, run_fork, 0},
};
#define NSCEN (sizeof scenarios / sizeof scenarios[0])

static __attribute__((noreturn)) void usage(void)
{
	uputs(2, "usage: iowork SCENARIO [--wait] | iowork spin [N] [--wait] | iowork all "
		 "[--wait]\nscenarios:");
	for (size_t i = 0; i < NSCEN; i++) {
		uputs(2, " ");
		uputs(2, scenarios[i].name);
	}
	uputs(2, "\n");
	_exit(2);
}

int main(int argc, char **argv)
{
	const char *name = NULL;
	int wait = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--wait") == 0)
			wait = 1;
		else if (!name)
			name = argv[i];
		else if (strcmp(name, "spin") == 0 && g_spin_max == 0)
			g_spin_max = strtol(argv[i], NULL, 10);
		else
			usage();
	}
	if (!name)
		usage();
	memset(g_buf, 'x', sizeof g_buf);

	if (strcmp(name, "all") == 0) {
		/* Every scenario but spin and fork, in table order; each set-up
		 * is untraced, so it may run after the sync point. */
		if (wait)
			wait_for_go();
		for (size_t i = 0; i < NSCEN; i++) {
			if (!scenarios[i].in_all)
				continue;
			g_scenario = scenarios[i].name;
			scenarios[i].setup();
			scenarios[i].run();
		}
		_exit(0);
	}
	for (size_t i = 0; i < NSCEN; i++) {
		if (strcmp(name, scenarios[i].name) != 0)
			continue;
		g_scenario = name;
		scenarios[i].setup();
		if (wait)
			wait_for_go();
		scenarios[i].run();
		_exit(0);
	}
	usage();
}
