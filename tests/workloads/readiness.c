/*
 * readiness: workloads with a known answer for iotrace's readiness analysis
 * (issue 3): LT re-reports, drains, writable re-reports, ET notifications,
 * EPOLLONESHOT, registrations made before attach, opaque epoll data, shared
 * fds, threads, many fds, fd reuse, blocking waits, preemption, fd kinds.
 *
 *   readiness SCENARIO [--wait]
 *
 * Scenarios: epoll_lt select_lt poll_lt epoll_out epoll_et oneshot
 * preattach cookies threads many reuse sleep counters preempt kinds
 * thread_ready herd epoll_many et_handoff et_partial.
 *
 * The expected figures are in tests/integration/readiness_expected.cpp,
 * derived step by step from the code here: each wait below carries a
 * comment saying what it reports and what that adds (first report, U = LT
 * re-report unread, P = LT re-report partial, W = writable re-report,
 * ET = ET notification, "drain"...). Any change here must be mirrored there.
 *
 * Same rules as iowork.c:
 *  - The set-up uses only syscalls iotrace does not probe (socketpair,
 *    socket, bind, listen, connect, dup2, close_range, fcntl, shutdown,
 *    epoll_create1, eventfd2, pipe2, timerfd_create/settime, nanosleep,
 *    futex, clone3, getsockopt, getsockname, setrlimit, sched_setaffinity,
 *    getrusage, pwritev2(offset -1) to put data in queues...), so a traced
 *    launch (`iotrace -- readiness S`) sees exactly the scenario's syscalls.
 *    Exceptions, for scenarios only run with -p (their set-up runs before
 *    iotrace attaches): "preattach" (epoll_ctl before attach is the point)
 *    and "kinds" (accept, epoll_ctl). tests/integration/readiness_test.cpp
 *    checks the others' whole runs against the tables with strace.
 *  - Every probed syscall is made with syscall(SYS_...), at fixed fd numbers.
 *  - With --wait: "ready\n" on fd 1, then sigwaitinfo (not probed) until
 *    SIGUSR1, then the scenario's run.
 *  - Every return value (and every event returned) is checked; a mismatch
 *    prints "readiness: FAIL ..." on fd 2 and exits 3.
 *  - Values the tests need that only the run knows (ports, thread ids) are
 *    printed on fd 1 as "var NAME VALUE" lines (pwritev2).
 *  - No probed call blocks except in "sleep" and "herd" ("threads" and
 *    "et_handoff" take turns through futexes, outside the probed calls;
 *    "preempt" is preempted).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define WORKLOAD_NAME "readiness"
#include "workload.h"

static char g_buf[4096];

/* ---- untraced helpers (the shared ones are in workload.h) --------------- */

static void mkpipe(int r, int w)
{
	int p[2];
	if (pipe2(p, O_NONBLOCK) != 0)
		die("pipe2");
	place(p[0], r);
	place(p[1], w);
}

/* n bytes into fd's peer queue (one write; one datagram on a dgram socket). */
static void preload(int fd, size_t n)
{
	if (uwrite(fd, g_buf, n) != (long)n)
		die("preload");
}

static void clean(void) { syscall(SYS_close_range, 40, ~0U, 0); }

static void msleep(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static int port_of(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		die("getsockname");
	if (ss.ss_family == AF_INET)
		return ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
}

/* An INET socket of `type` at fd `target`, bound to the loopback address
 * (127.0.0.1 or ::1) on an ephemeral port. */
static void inet_socket(int target, int family, int type)
{
	place(socket(family, type, 0), target);
	if (family == AF_INET) {
		struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = {htonl(INADDR_LOOPBACK)}};
		if (bind(target, (struct sockaddr *)&sa, sizeof sa) != 0)
			die("bind");
	} else {
		struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
		if (bind(target, (struct sockaddr *)&sa, sizeof sa) != 0)
			die("bind6");
	}
}

/* fd connects to `to`'s address (same family). */
static void connect_to(int fd, int to)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(to, (struct sockaddr *)&ss, &len) != 0)
		die("getsockname");
	if (connect(fd, (struct sockaddr *)&ss, len) != 0)
		die("connect");
}

/* A non-blocking TCP listener on loopback at fd `target`. */
static void tcp_listener(int target, int family)
{
	inet_socket(target, family, SOCK_STREAM);
	if (listen(target, 8) != 0)
		die("listen");
	nonblock(target);
}

/* A TCP client at `target` connected to `listener` (not accepted). */
static void tcp_client(int target, int listener)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	if (getsockname(listener, (struct sockaddr *)&ss, &len) != 0)
		die("getsockname");
	place(socket(ss.ss_family, SOCK_STREAM, 0), target);
	if (connect(target, (struct sockaddr *)&ss, len) != 0)
		die("connect");
}

/* Waits until the listener's accept queue holds n connections. */
static void wait_queued(int listener, unsigned n)
{
	for (int i = 0;; i++) {
		struct tcp_info ti;
		socklen_t tl = sizeof ti;
		if (getsockopt(listener, IPPROTO_TCP, TCP_INFO, &ti, &tl) != 0)
			die("TCP_INFO");
		if (ti.tcpi_unacked == n) /* listener: accept queue length */
			return;
		if (i == 10000)
			die("connections never queued");
		msleep(1);
	}
}

/* ---- probed calls --------------------------------------------------------- */

static long ctl(int ep, int op, int fd, uint32_t events, uint64_t data)
{
	struct epoll_event ev = {.events = events, .data = {.u64 = data}};
	return syscall(SYS_epoll_ctl, ep, op, fd, op == EPOLL_CTL_DEL ? NULL : &ev);
}

struct want {
	uint64_t data;
	uint32_t events; /* EPOLLIN and/or EPOLLOUT */
};

/* epoll_wait(ep, ..., timeout) must return exactly the events in w (any
 * order; only the IN/OUT bits are compared). */
static void ewait_t(const char *label, int ep, int timeout, const struct want *w, int n)
{
	struct epoll_event ev[16];
	long r = syscall(SYS_epoll_wait, ep, ev, 16, timeout);
	check(label, r, n);
	for (int i = 0; i < n; i++) {
		int found = 0;
		for (int j = 0; j < n; j++)
			if (ev[j].data.u64 == w[i].data && (ev[j].events & (EPOLLIN | EPOLLOUT)) == w[i].events)
				found = 1;
		expect(label, found);
	}
}

#define NWANT(...) ((int)(sizeof((struct want[]){__VA_ARGS__}) / sizeof(struct want)))
/* EW(label, ep, {data, events}, ...): an epoll_wait with timeout 0. */
#define EW(label, ep, ...) ewait_t(label, ep, 0, (struct want[]){__VA_ARGS__}, NWANT(__VA_ARGS__))
#define EW0(label, ep) ewait_t(label, ep, 0, NULL, 0)
#define IN(d) {(d), EPOLLIN}
#define OUT(d) {(d), EPOLLOUT}
#define INOUT(d) {(d), EPOLLIN | EPOLLOUT}

static long sel(int nfds, fd_set *r, fd_set *w)
{
	struct timeval tv = {0, 0};
	return syscall(SYS_select, nfds, r, w, NULL, &tv);
}

static long psel(int nfds, fd_set *r, fd_set *w)
{
	struct timespec ts = {0, 0};
	return syscall(SYS_pselect6, nfds, r, w, NULL, &ts, NULL);
}

static long pl(struct pollfd *p, unsigned long n) { return syscall(SYS_poll, p, n, 0); }

static long ppl(struct pollfd *p, unsigned long n)
{
	struct timespec ts = {0, 0};
	return syscall(SYS_ppoll, p, n, &ts, NULL, (size_t)8);
}

static long rd(int fd, size_t n) { return syscall(SYS_read, fd, g_buf, n); }
static long rfrom(int fd, size_t n) { return syscall(SYS_recvfrom, fd, g_buf, n, 0, NULL, NULL); }

/* readv / recvmsg with two iovecs of a and b bytes */
static long rdv(int fd, size_t a, size_t b)
{
	struct iovec iov[2] = {{g_buf, a}, {g_buf + a, b}};
	return syscall(SYS_readv, fd, iov, 2);
}

static long rmsg(int fd, size_t a, size_t b)
{
	struct iovec iov[2] = {{g_buf, a}, {g_buf + a, b}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 2};
	return syscall(SYS_recvmsg, fd, &m, 0);
}

/* recvmmsg of up to vlen datagrams (64-byte buffers), MSG_DONTWAIT */
static long rmmsg(int fd, unsigned vlen)
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
	return syscall(SYS_recvmmsg, fd, mm, vlen, MSG_DONTWAIT, NULL);
}

/* ======================================================================
 * epoll_lt: one LT epoll instance (50); three phases, one fd each, so each
 * fd's chain is easy to follow. The waiter's sequence numbers run w1..w19.
 * ====================================================================== */

static void setup_epoll_lt(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1); /* 40 non-blocking: EAGAIN */
	pair(SOCK_DGRAM, 46, 47, 1);
	place(epoll_create1(0), 50);
	tcp_listener(51, AF_INET);
	tcp_client(52, 51);
	tcp_client(53, 51);
	wait_queued(51, 2);
	var("listen_port", port_of(51));
	preload(41, 30);
	for (int i = 0; i < 3; i++)
		preload(47, 10); /* three datagrams of 10 bytes for 46 */
}

static void run_epoll_lt(void)
{
	/* phase A: stream socket 40 holds 30 bytes */
	check("ctlA", ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN, 40), 0);
	EW("w1", 50, IN(40));                  /* first report */
	EW("w2", 50, IN(40));                  /* U (nothing read since w1) */
	check("readA1", rd(40, 10), 10);       /* full: not a drain */
	EW("w3", 50, IN(40));                  /* P */
	check("recvfromA", rfrom(40, 10), 10); /* full */
	EW("w4", 50, IN(40));                  /* P */
	check("readvA", rdv(40, 5, 5), 10);    /* full (10 of 10): queue now empty */
	EW0("w5", 50);                         /* nothing ready */
	preload(41, 5);
	EW("w6", 50, IN(40));                  /* w5 did not report 40: no re-report */
	check("recvmsgA", rmsg(40, 8, 8), 5);  /* short (5 < 16): drain */
	preload(41, 5);
	EW("w7", 50, IN(40));                  /* drained since w6: no */
	check("readA2", rd(40, 5), 5);         /* full */
	check("readA3", rd(40, 5), -EAGAIN);   /* EAGAIN: drain */
	preload(41, 5);
	EW("w8", 50, IN(40));                  /* drained since w7: no */
	check("readA4", rd(40, 5), 5);         /* full */
	if (shutdown(41, SHUT_WR) != 0)
		die("shutdown");
	EW("w9", 50, IN(40));                  /* EOF pending; read, no drain since w8: P */
	check("readA5", rd(40, 5), 0);         /* EOF: drain */
	EW("w10", 50, IN(40));                 /* drained since w9: no */
	EW("w11", 50, IN(40));                 /* U */
	check("delA", ctl(50, EPOLL_CTL_DEL, 40, 0, 0), 0);

	/* phase B: datagram socket 46 holds three datagrams of 10 bytes */
	check("ctlB", ctl(50, EPOLL_CTL_ADD, 46, EPOLLIN, 46), 0);
	EW("w12", 50, IN(46));                 /* first report */
	check("mmB1", rmmsg(46, 2), 2);        /* 2 of vlen 2 (20 bytes): not a drain */
	EW("w13", 50, IN(46));                 /* P */
	check("mmB2", rmmsg(46, 2), 1);        /* 1 < vlen 2 (10 bytes): drain */
	preload(47, 10);
	EW("w14", 50, IN(46));                 /* drained: no */
	EW("w15", 50, IN(46));                 /* U */
	check("delB", ctl(50, EPOLL_CTL_DEL, 46, 0, 0), 0);

	/* phase C: listener 51 with two connections queued; accept is its read */
	check("ctlC", ctl(50, EPOLL_CTL_ADD, 51, EPOLLIN, 51), 0);
	EW("w16", 50, IN(51));                 /* first report */
	expect("acceptC1", syscall(SYS_accept, 51, NULL, NULL) >= 0);     /* a read */
	EW("w17", 50, IN(51));                 /* P */
	expect("acceptC2", syscall(SYS_accept4, 51, NULL, NULL, 0) >= 0); /* a read */
	check("acceptC3", syscall(SYS_accept, 51, NULL, NULL), -EAGAIN);  /* drain */
	tcp_client(54, 51);
	wait_queued(51, 1);
	EW("w18", 50, IN(51));                 /* drained: no */
	EW("w19", 50, IN(51));                 /* U */
	check("delC", ctl(50, EPOLL_CTL_DEL, 51, 0, 0), 0);
}

/* ======================================================================
 * select_lt: the thread is the waiter of select, pselect6 and poll alike
 * (s1..s15 below are its sequence numbers; the epoll_wait in between is the
 * epoll instance's call, not the thread's). 40 (non-blocking) is read from
 * 41's writes; 43 is the writable end whose peer 42 nobody reads.
 * ====================================================================== */

static void setup_select_lt(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	pair(SOCK_STREAM, 42, 43, 1);
	place(epoll_create1(0), 50); /* empty interest list */
	preload(41, 20);
}

static void fdset1(fd_set *s, int a) { FD_ZERO(s); FD_SET(a, s); }

static void run_select_lt(void)
{
	fd_set r, w;
	struct pollfd p[1] = {{40, POLLIN, 0}};

	fdset1(&r, 40);
	check("s1", sel(41, &r, NULL), 1);              /* 40 r: first */
	fdset1(&r, 40);
	check("s2", psel(41, &r, NULL), 1);             /* 40 r: U */
	check("read1", rd(40, 5), 5);                   /* full */
	check("s3 poll", pl(p, 1), 1);                  /* 40 r: P (poll chains with select) */
	EW0("e1", 50);                                  /* epoll 50's call, not the thread's */
	fdset1(&r, 40);
	check("s4", sel(41, &r, NULL), 1);              /* 40 r: U (prev: s3, no read since) */
	check("recvfrom1", rfrom(40, 15), 15);          /* full; queue now empty */
	fdset1(&r, 40);
	check("s5", sel(41, &r, NULL), 0);              /* nothing */
	preload(41, 5);
	fdset1(&r, 40);
	check("s6", sel(41, &r, NULL), 1);              /* 40 r: s5 did not report: no */
	fdset1(&r, 40);
	check("s7", sel(41, &r, NULL), 1);              /* 40 r: U */
	check("read2", rd(40, 64), 5);                  /* short: drain */
	preload(41, 5);
	fdset1(&r, 40);
	check("s8", sel(41, &r, NULL), 1);              /* 40 r: drained: no */
	fdset1(&r, 40);
	FD_SET(61, &r);
	check("s9", sel(62, &r, NULL), -EBADF);         /* fails: reports nothing */
	fdset1(&r, 40);
	check("s10", sel(41, &r, NULL), 1);             /* 40 r: s9 did not report: no */

	fdset1(&w, 43);
	check("s11", sel(44, NULL, &w), 1);             /* 43 w: first */
	fdset1(&w, 43);
	check("s12", sel(44, NULL, &w), 1);             /* 43 w: W */
	check("write1", syscall(SYS_write, 43, g_buf, 1), 1);
	fdset1(&w, 43);
	check("s13", sel(44, NULL, &w), 1);             /* 43 w: written since s12: no */
	fdset1(&r, 40);
	FD_ZERO(&w);
	FD_SET(40, &w);
	FD_SET(43, &w);
	check("s14", sel(44, &r, &w), 3);               /* 40 r: s13 did not report it: no;
							   40 w: first; 43 w: W */
	expect("s14 sets", FD_ISSET(40, &r) && FD_ISSET(40, &w) && FD_ISSET(43, &w));
	fdset1(&r, 40);
	fdset1(&w, 40);
	check("s15", sel(41, &r, &w), 2);               /* 40 r: U; 40 w: W */
}

/* ======================================================================
 * poll_lt: poll and ppoll (p1..p6, the thread's sequence) over a stream
 * socket 40 watched both ways, a pipe (44 read end, 45 write end), an
 * ignored entry (fd -1) and a closed fd (61: POLLNVAL, counted ready by
 * the kernel but neither readable nor writable).
 * ====================================================================== */

static void setup_poll_lt(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	mkpipe(44, 45);
	preload(41, 10);
	preload(45, 10);
}

static void run_poll_lt(void)
{
	struct pollfd p[5];
	struct pollfd init[5] = {
		{40, POLLIN | POLLOUT, 0}, {44, POLLIN, 0}, {45, POLLOUT, 0}, {-1, POLLIN, 0}, {61, POLLIN, 0},
	};
#define PRESET() memcpy(p, init, sizeof p)
	PRESET();
	check("p1", pl(p, 5), 4);      /* 40 r+w first (2 reports), 44 r first, 45 w first, 61 NVAL */
	expect("p1 revents", p[0].revents == (POLLIN | POLLOUT) && p[1].revents == POLLIN &&
				     p[2].revents == POLLOUT && p[3].revents == 0 && p[4].revents == POLLNVAL);
	PRESET();
	check("p2", ppl(p, 5), 4);     /* 40 r U, 40 w W, 44 r U, 45 w W */
	check("recvfrom1", rfrom(40, 4), 4);                      /* full */
	check("read1", rd(44, 4), 4);                             /* full */
	struct iovec iov[1] = {{g_buf, 1}};
	struct msghdr m = {.msg_iov = iov, .msg_iovlen = 1};
	check("sendmsg1", syscall(SYS_sendmsg, 40, &m, 0), 1);    /* a write on 40 (to 41) */
	check("write1", syscall(SYS_write, 45, g_buf, 1), 1);     /* a write on 45: 44 holds 7 */
	PRESET();
	check("p3", pl(p, 5), 4);      /* 40 r P, 40 w written: no, 44 r P, 45 w written: no */
	check("recvfrom2", rfrom(40, 6), 6);                      /* full: 40 now empty */
	check("recvfrom3", rfrom(40, 6), -EAGAIN);                /* drain */
	check("read2", rd(44, 64), 7);                            /* short: drain */
	PRESET();
	check("p4", pl(p, 5), 3);      /* 40 w W, 45 w W, 61 NVAL (40, 44 empty) */
	expect("p4 revents", p[0].revents == POLLOUT && p[1].revents == 0 && p[2].revents == POLLOUT);
	preload(41, 3);
	preload(45, 3);
	PRESET();
	check("p5", pl(p, 5), 4);      /* 40 r: p4 did not report it: no; 40 w W;
					  44 r: p4 did not: no; 45 w W */
	PRESET();
	check("p6", pl(p, 5), 4);      /* 40 r U, 40 w W, 44 r U, 45 w W */
#undef PRESET
}

/* ======================================================================
 * epoll_out: EPOLLOUT left registered with nothing written (w1..w8).
 * ====================================================================== */

static void setup_epoll_out(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	place(epoll_create1(0), 50);
}

static void run_epoll_out(void)
{
	check("ctl1", ctl(50, EPOLL_CTL_ADD, 40, EPOLLOUT, 40), 0);
	EW("w1", 50, OUT(40));         /* first */
	EW("w2", 50, OUT(40));         /* W */
	EW("w3", 50, OUT(40));         /* W */
	check("sendto1", syscall(SYS_sendto, 40, g_buf, 1, 0, NULL, 0), 1);
	EW("w4", 50, OUT(40));         /* written since w3: no */
	EW("w5", 50, OUT(40));         /* W */
	check("ctl2", ctl(50, EPOLL_CTL_MOD, 40, EPOLLIN | EPOLLOUT, 40), 0); /* MOD: no break */
	preload(41, 5);
	EW("w6", 50, INOUT(40));       /* r: first readable; w: W */
	EW("w7", 50, INOUT(40));       /* r: U; w: W */
	struct iovec iov[2] = {{g_buf, 1}, {g_buf, 1}};
	check("writev1", syscall(SYS_writev, 40, iov, 2), 2);
	check("read1", rd(40, 2), 2);  /* full */
	EW("w8", 50, INOUT(40));       /* r: P; w: written: no */
}

/* ======================================================================
 * epoll_et: EPOLLET registrations (w1..w12). An ET notification is judged
 * when its waiter enters its next wait: undrained unless a read drained
 * the fd (EAGAIN, EOF, short) in between.
 * ====================================================================== */

static void setup_epoll_et(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	pair(SOCK_STREAM, 42, 43, 1);
	place(epoll_create1(0), 50);
}

static void run_epoll_et(void)
{
	check("ctl40", ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN | EPOLLET, 40), 0);
	check("ctl42", ctl(50, EPOLL_CTL_ADD, 42, EPOLLIN | EPOLLET, 42), 0);
	preload(41, 100);
	EW("w1", 50, IN(40));                  /* ET 40 */
	check("read1", rd(40, 10), 10);        /* full: not a drain */
	EW0("w2", 50);                         /* judges w1's 40: undrained; no new edge */
	preload(41, 10);
	EW("w3", 50, IN(40));                  /* ET 40 (new data: a new edge) */
	check("read2", rd(40, 200), 100);      /* 90 + 10, short: drain */
	EW0("w4", 50);                         /* judges w3's 40: drained */
	preload(41, 10);
	preload(43, 10);
	EW("w5", 50, IN(40), IN(42));          /* ET 40, ET 42 */
	check("read3", rd(40, 10), 10);        /* full */
	check("read4", rd(40, 10), -EAGAIN);   /* drain */
	check("recvfrom1", rfrom(42, 5), 5);   /* full: 42 not drained */
	EW0("w6", 50);                         /* judges: 40 drained, 42 undrained */
	EW0("w7", 50);                         /* nothing pending */
	if (shutdown(43, SHUT_WR) != 0)
		die("shutdown");
	EW("w8", 50, IN(42));                  /* ET 42 (EOF is an edge) */
	check("read5", rd(42, 64), 5);         /* short: drain */
	EW0("w9", 50);                         /* judges w8's 42: drained */
	preload(41, 1);
	EW("w10", 50, IN(40));                 /* ET 40 */
	preload(41, 1);
	EW("w11", 50, IN(40));                 /* judges w10's 40: undrained; ET 40 again
						  (ET is never an LT re-report) */
	check("read6", rd(40, 64), 2);         /* short: drain */
	EW0("w12", 50);                        /* judges w11's 40: drained */
}

/* ======================================================================
 * oneshot: EPOLLONESHOT (without EPOLLET: level-triggered) re-armed with
 * EPOLL_CTL_MOD, then an EPOLLET|EPOLLONESHOT re-arm (w1..w8).
 * ====================================================================== */

static void setup_oneshot(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	place(epoll_create1(0), 50);
	preload(41, 10);
}

static void run_oneshot(void)
{
	const uint32_t os = EPOLLIN | EPOLLONESHOT;
	check("add", ctl(50, EPOLL_CTL_ADD, 40, os, 40), 0);
	EW("w1", 50, IN(40));                                /* first */
	EW0("w2", 50);                                       /* disarmed */
	check("mod1", ctl(50, EPOLL_CTL_MOD, 40, os, 40), 0);
	EW("w3", 50, IN(40));                                /* w2 did not report: no */
	check("mod2", ctl(50, EPOLL_CTL_MOD, 40, os, 40), 0);
	EW("w4", 50, IN(40));                                /* U */
	check("read1", rd(40, 4), 4);                        /* full */
	check("mod3", ctl(50, EPOLL_CTL_MOD, 40, os, 40), 0);
	EW("w5", 50, IN(40));                                /* P */
	check("read2", rd(40, 64), 6);                       /* short: drain */
	preload(41, 5);
	check("mod4", ctl(50, EPOLL_CTL_MOD, 40, os, 40), 0);
	EW("w6", 50, IN(40));                                /* drained: no */
	check("mod5", ctl(50, EPOLL_CTL_MOD, 40, os | EPOLLET, 40), 0);
	EW("w7", 50, IN(40));                                /* ET (5 bytes still there) */
	EW0("w8", 50);                                       /* judges w7's 40: undrained */
}

/* ======================================================================
 * preattach: registrations made before iotrace attaches (only fdinfo tells
 * it), with data that are not the fd. Run with -p only. ep1 = 50, ep2 = 51.
 * ====================================================================== */

#define COOKIE(fd) (0xdeadbeef00000000ULL | (uint64_t)(fd))

static void setup_preattach(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	pair(SOCK_STREAM, 42, 43, 1);
	pair(SOCK_STREAM, 44, 45, 1);
	pair(SOCK_STREAM, 46, 47, 1);
	pair(SOCK_STREAM, 48, 49, 1);
	place(epoll_create1(0), 50);
	place(epoll_create1(0), 51);
	/* epoll_ctl before attach: iotrace must learn these from fdinfo */
	if (ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN, COOKIE(40)) != 0 ||
	    ctl(50, EPOLL_CTL_ADD, 42, EPOLLIN | EPOLLET, COOKIE(42)) != 0 ||
	    ctl(50, EPOLL_CTL_ADD, 44, EPOLLOUT, 0x1234) != 0 ||
	    ctl(51, EPOLL_CTL_ADD, 40, EPOLLIN, 42) != 0 || /* data 42, fd 40 */
	    ctl(51, EPOLL_CTL_ADD, 46, EPOLLIN | EPOLLONESHOT, 40) != 0 || /* data 40, fd 46 */
	    ctl(51, EPOLL_CTL_ADD, 48, EPOLLIN | EPOLLONESHOT | EPOLLET, 48) != 0)
		die("epoll_ctl");
	preload(41, 10);
	preload(43, 10);
	preload(47, 10);
	preload(49, 10);
}

static void run_preattach(void)
{
	EW("w1", 50, IN(COOKIE(40)), IN(COOKIE(42)), OUT(0x1234)); /* ep1 #1: 40 first; 42 ET; 44 w first */
	EW("w2", 50, IN(COOKIE(40)), OUT(0x1234));  /* ep1 #2: judges 42: undrained; 40 U; 44 W */
	EW("w3", 51, IN(42), IN(40), IN(48));       /* ep2 #1: fd 40 (first for ep2: no), fd 46 first,
						       fd 48 ET (oneshot) */
	EW("w4", 51, IN(42));                       /* ep2 #2: judges 48: undrained; fd 40 U (46, 48
						       disarmed) */
	check("read40", rd(40, 64), 10);            /* short: drain */
	check("read42", rd(42, 64), 10);            /* short: drain */
	EW("w5", 50, OUT(0x1234));                  /* ep1 #3: 44 W */
}

/* ======================================================================
 * cookies: epoll data that are not fds (a pointer, another fd's number, a
 * cookie), one data changed by MOD, and two epoll instances sharing fds
 * 40 and 42 (ep1 = 50: both LT; ep2 = 51: 40 LT, 42 ET).
 * ====================================================================== */

static struct conn {
	int fd;
	char name[12];
} g_conns[2];

static void setup_cookies(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	pair(SOCK_STREAM, 42, 43, 1);
	place(epoll_create1(0), 50);
	place(epoll_create1(0), 51);
	preload(41, 10);
	preload(43, 10);
}

static void run_cookies(void)
{
	const uint64_t ptr = (uint64_t)(uintptr_t)&g_conns[0];
	g_conns[0].fd = 40;
	check("ctl1", ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN, ptr), 0);
	check("ctl2", ctl(50, EPOLL_CTL_ADD, 42, EPOLLIN, 40), 0); /* data: 40, fd: 42 */
	check("ctl3", ctl(51, EPOLL_CTL_ADD, 40, EPOLLIN, COOKIE(40)), 0);
	check("ctl4", ctl(51, EPOLL_CTL_ADD, 42, EPOLLIN | EPOLLET, COOKIE(42)), 0);
	EW("w1", 50, IN(ptr), IN(40));                /* ep1 #1: 40 first, 42 first */
	EW("w2", 51, IN(COOKIE(40)), IN(COOKIE(42))); /* ep2 #1: 40 (first for ep2), 42 ET */
	EW("w3", 50, IN(ptr), IN(40));                /* ep1 #2: 40 U, 42 U */
	EW("w4", 51, IN(COOKIE(40)));                 /* ep2 #2: judges 42: undrained; 40 U */
	check("read40", rd(40, 64), 10);              /* short: drain */
	EW("w5", 50, IN(40));                         /* ep1 #3: 42 U (40 empty) */
	EW0("w6", 51);                                /* ep2 #3: 40 empty, 42 no new edge */
	check("mod", ctl(50, EPOLL_CTL_MOD, 40, EPOLLIN, 0xfeedface12345678ULL), 0);
	preload(41, 5);
	EW("w7", 50, IN(0xfeedface12345678ULL), IN(40)); /* ep1 #4: 40 (w5 did not report it): no;
							     42 U */
	EW("w8", 51, IN(COOKIE(40)));                 /* ep2 #4: 40 (w6 did not): no */
}

/* ======================================================================
 * threads: a main thread and three workers waiting on one LT epoll fd in
 * turns (futexes, not probed), so the epoll instance's sequence is known:
 * w1..w8 below, whoever makes them.
 * ====================================================================== */

static int g_turn;
static pid_t g_tids[4];

static void wait_turn(int t)
{
	int cur;
	while ((cur = __atomic_load_n(&g_turn, __ATOMIC_ACQUIRE)) != t)
		syscall(SYS_futex, &g_turn, FUTEX_WAIT_PRIVATE, cur, NULL, NULL, 0);
}

static void next_turn(void)
{
	__atomic_add_fetch(&g_turn, 1, __ATOMIC_RELEASE);
	syscall(SYS_futex, &g_turn, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}

/* step -> thread (0: main) */
static const int g_step_owner[] = {0, 1, 1, 2, 2, 2, 3, 3, 3, 1, 1, 2, 3};
#define NSTEPS ((int)(sizeof g_step_owner / sizeof g_step_owner[0]))

static void thread_step(int step)
{
	switch (step) {
	case 0: EW("w1", 50, IN(40)); break;                      /* main: first */
	case 1: EW("w2", 50, IN(40)); break;                      /* T1: U */
	case 2: check("T1 recvfrom", rfrom(40, 10), 10); break;   /* T1: full */
	case 3: EW("w3", 50, IN(40)); break;                      /* T2: P */
	case 4: check("T2 read", rd(40, 10), 10); break;          /* T2: full */
	case 5: EW("w4", 50, IN(40)); break;                      /* T2: P */
	case 6: EW("w5", 50, IN(40)); break;                      /* T3: U */
	case 7: check("T3 read1", rd(40, 64), 10); break;         /* T3: short: drain */
	case 8: check("T3 read2", rd(40, 64), -EAGAIN); break;    /* T3: drain */
	case 9: EW0("w6", 50); break;                             /* T1: empty */
	case 10: preload(41, 5); break;                           /* T1 (not probed) */
	case 11: EW("w7", 50, IN(40)); break;                     /* T2: w6 did not report: no */
	case 12: EW("w8", 50, IN(40)); break;                     /* T3: U */
	}
}

static void run_steps(int me)
{
	g_tids[me] = (pid_t)syscall(SYS_gettid);
	for (int s = 0; s < NSTEPS; s++) {
		if (g_step_owner[s] != me)
			continue;
		wait_turn(s);
		thread_step(s);
		next_turn();
	}
}

static void *worker(void *arg)
{
	run_steps((int)(intptr_t)arg);
	return NULL;
}

static void setup_threads(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	place(epoll_create1(0), 50);
	preload(41, 30);
}

static void run_threads(void)
{
	pthread_t t[4];
	check("ctl", ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN, 40), 0);
	for (int i = 1; i <= 3; i++)
		if (pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i) != 0)
			die("pthread_create");
	run_steps(0);
	for (int i = 1; i <= 3; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i <= 3; i++) {
		char name[8];
		snprintf(name, sizeof name, "tid%d", i);
		var(name, g_tids[i]);
	}
}

/* ======================================================================
 * herd: HERD_N worker threads blocked in epoll_wait on one shared epoll fd
 * (50) with a level-triggered pipe (40; 41 the write end). Each round the
 * workers enter the wait one at a time, each asleep in it before the next
 * is let in (read from /proc/self/task/TID/syscall with pread: not probed),
 * the main thread making an empty zero-timeout wait of epoll 50 after each
 * (so no two worker waits are consecutive waits of epoll 50, and the order
 * in which their exits are seen cannot make LT re-reports). Then one byte
 * arrives: the kernel wakes the first waiter, whose scan puts the LT item
 * back on the ready list and wakes the next, and so on. No worker reads
 * until the main thread says so, after all have been handed fd 40; then
 * one of them reads it. At the end the main thread waits twice and reads.
 * ====================================================================== */

enum { HERD_N = 3, HERD_ROUNDS = 5 };
enum { HERD_IDLE, HERD_WAIT, HERD_READ, HERD_EXIT };

static int g_herd_op[HERD_N]; /* the main thread's order to each worker */
static int g_herd_acks;       /* orders carried out, all workers */
static pid_t g_herd_tid[HERD_N];

static void futex_wait_while(int *addr, int val)
{
	while (__atomic_load_n(addr, __ATOMIC_ACQUIRE) == val)
		syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake_all(int *addr) { syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0); }

static void herd_ack(void)
{
	__atomic_add_fetch(&g_herd_acks, 1, __ATOMIC_RELEASE);
	futex_wake_all(&g_herd_acks);
}

static void herd_wait_acks(int n)
{
	int cur;
	while ((cur = __atomic_load_n(&g_herd_acks, __ATOMIC_ACQUIRE)) < n)
		syscall(SYS_futex, &g_herd_acks, FUTEX_WAIT_PRIVATE, cur, NULL, NULL, 0);
}

static void herd_order(int w, int op)
{
	__atomic_store_n(&g_herd_op[w], op, __ATOMIC_RELEASE);
	futex_wake_all(&g_herd_op[w]);
}

static void *herd_worker(void *arg)
{
	int me = (int)(intptr_t)arg;
	g_herd_tid[me] = (pid_t)syscall(SYS_gettid);
	herd_ack();
	for (;;) {
		futex_wait_while(&g_herd_op[me], HERD_IDLE);
		int op = __atomic_load_n(&g_herd_op[me], __ATOMIC_ACQUIRE);
		__atomic_store_n(&g_herd_op[me], HERD_IDLE, __ATOMIC_RELEASE);
		if (op == HERD_EXIT)
			return NULL;
		if (op == HERD_WAIT)
			ewait_t("herd wait", 50, -1, (struct want[]){IN(40)}, 1); /* sleeps */
		else
			check("herd read", rd(40, 64), 1); /* short: drain */
		herd_ack();
	}
}

/* Until thread tid sleeps inside epoll_wait (then it is on the epoll
 * instance's wait queue). */
static void wait_asleep_in_epoll(pid_t tid)
{
	char path[64], buf[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)tid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("open /proc/self/task/TID/syscall");
	for (int i = 0;; i++) {
		long n = pread(fd, buf, sizeof buf - 1, 0); /* "running" or "NR args..." */
		if (n > 0) {
			buf[n] = 0;
			if (buf[0] != 'r' && atol(buf) == SYS_epoll_wait)
				break;
		}
		if (i == 10000)
			die("worker never slept in epoll_wait");
		msleep(1);
	}
	syscall(SYS_close_range, fd, fd, 0);
}

static void setup_herd(void)
{
	clean();
	mkpipe(40, 41);
	place(epoll_create1(0), 50);
}

static void run_herd(void)
{
	pthread_t t[HERD_N];
	int acks = 0;
	check("ctl", ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN, 40), 0);
	for (int i = 0; i < HERD_N; i++)
		if (pthread_create(&t[i], NULL, herd_worker, (void *)(intptr_t)i) != 0)
			die("pthread_create");
	herd_wait_acks(acks += HERD_N); /* every tid known */
	for (int r = 0; r < HERD_ROUNDS; r++) {
		for (int i = 0; i < HERD_N; i++) {
			herd_order(i, HERD_WAIT);
			wait_asleep_in_epoll(g_herd_tid[i]);
			EW0("e", 50); /* empty: 40 not readable yet */
		}
		preload(41, 1);                   /* wakes W0; the LT cascade hands 40 to W1, W2 */
		herd_wait_acks(acks += HERD_N);   /* all handed 40, nobody read it */
		herd_order(r % HERD_N, HERD_READ);
		herd_wait_acks(acks += 1);
	}
	for (int i = 0; i < HERD_N; i++)
		herd_order(i, HERD_EXIT);
	for (int i = 0; i < HERD_N; i++)
		pthread_join(t[i], NULL);
	preload(41, 1);
	EW("m1", 50, IN(40));                 /* read since the last report: nothing */
	EW("m2", 50, IN(40));                 /* U (its own m1: no H) */
	check("main read", rd(40, 64), 1);    /* short: drain */
	for (int i = 0; i < HERD_N; i++) {
		char name[8];
		snprintf(name, sizeof name, "tid%d", i);
		var(name, g_herd_tid[i]);
	}
}

/* ======================================================================
 * thread_ready: the main thread's select and poll, then a worker's epoll
 * waits, each returning a known count, so each thread's ready events are
 * known (the threads run one after the other: no turns needed).
 * ====================================================================== */

static pid_t g_ready_worker;

static void setup_thread_ready(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	pair(SOCK_STREAM, 42, 43, 1);
	pair(SOCK_STREAM, 44, 45, 1);
	place(epoll_create1(0), 50);
	preload(41, 10);
	preload(43, 10);
	preload(45, 10);
}

static void *ready_worker(void *arg)
{
	(void)arg;
	g_ready_worker = (pid_t)syscall(SYS_gettid);
	EW("w1", 50, IN(40), IN(42), IN(44)); /* firsts */
	check("read44", rd(44, 64), 10);      /* short: drain */
	EW("w2", 50, IN(40), IN(42));         /* U 40, U 42 */
	check("read40", rd(40, 64), 10);      /* short: drain */
	EW("w3", 50, IN(42));                 /* U 42 */
	return NULL;
}

static void run_thread_ready(void)
{
	fd_set r;
	FD_ZERO(&r);
	FD_SET(40, &r);
	FD_SET(42, &r);
	FD_SET(44, &r);
	check("s1", sel(45, &r, NULL), 3); /* firsts */
	struct pollfd p[2] = {{.fd = 40, .events = POLLIN}, {.fd = 42, .events = POLLIN}};
	check("p1", pl(p, 2), 2);          /* U 40, U 42 */
	for (int fd = 40; fd <= 44; fd += 2)
		check("ctl", ctl(50, EPOLL_CTL_ADD, fd, EPOLLIN, fd), 0);
	pthread_t t;
	if (pthread_create(&t, NULL, ready_worker, NULL) != 0)
		die("pthread_create");
	pthread_join(t, NULL);
	var("worker_tid", g_ready_worker);
}

/* ======================================================================
 * many: select and poll over 1000 fds (100..1099), six of them ready:
 * 100, 127 and 128 (a select word boundary), 163 and 164 (a 64-entry
 * boundary of the pollfd array), 1099 (the last). All are eventfds (the
 * ready ones with counter 1) but 127, a pipe's read end holding 1 byte
 * (its write end is 99, outside the sets).
 * ====================================================================== */

enum { MANY_FIRST = 100, MANY_N = 1000 };
static const int g_many_ready[] = {100, 127, 128, 163, 164, 1099};

static void raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
		die("getrlimit");
	if (rl.rlim_cur < 2048) {
		rl.rlim_cur = 2048;
		if (rl.rlim_max < 2048)
			rl.rlim_max = 2048;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			die("setrlimit");
	}
}

static void setup_many(void)
{
	clean();
	raise_nofile();
	for (int fd = MANY_FIRST; fd < MANY_FIRST + MANY_N; fd++) {
		unsigned init = 0;
		for (size_t i = 0; i < sizeof g_many_ready / sizeof g_many_ready[0]; i++)
			if (g_many_ready[i] == fd)
				init = 1;
		if (fd != 127)
			place(eventfd(init, EFD_NONBLOCK), fd);
	}
	mkpipe(127, 99);
	preload(99, 1);
}

static unsigned long g_set[2048 / (8 * sizeof(unsigned long))];
static struct pollfd g_pfds[MANY_N];

static void many_set(void)
{
	memset(g_set, 0, sizeof g_set);
	for (int fd = MANY_FIRST; fd < MANY_FIRST + MANY_N; fd++)
		g_set[fd / 64] |= 1UL << (fd % 64);
}

static int many_isset(int fd) { return (g_set[fd / 64] >> (fd % 64)) & 1; }

static void many_poll_init(void)
{
	for (int i = 0; i < MANY_N; i++)
		g_pfds[i] = (struct pollfd){MANY_FIRST + i, POLLIN, 0};
}

static void run_many(void)
{
	struct timeval tv = {0, 0};
	struct timespec ts = {0, 0};
	const int nfds = MANY_FIRST + MANY_N;

	many_set();
	check("s1", syscall(SYS_select, nfds, g_set, NULL, NULL, &tv), 6); /* 6 firsts */
	for (size_t i = 0; i < 6; i++)
		expect("s1 set", many_isset(g_many_ready[i]));
	many_set();
	check("s2", syscall(SYS_pselect6, nfds, g_set, NULL, NULL, &ts, NULL), 6); /* 6 U */
	check("read127", rd(127, 1), 1);      /* full (1 of 1): not a drain; the pipe
						 is empty now: 127 no longer readable */
	many_poll_init();
	check("p1", pl(g_pfds, MANY_N), 5);   /* 100 128 163 164 1099: U */
	expect("p1 127", g_pfds[127 - MANY_FIRST].revents == 0 && g_pfds[1099 - MANY_FIRST].revents == POLLIN);
	many_poll_init();
	check("p2", ppl(g_pfds, MANY_N), 5);  /* the same 5: U */
}

/* ======================================================================
 * reuse: close(fd) breaks re-report chains, and the number's next report
 * classifies the new file. 40: a pipe, closed, then a unix socket (poll);
 * 44: a tcp6 listener, closed, then a udp socket on 127.0.0.1 (epoll 50).
 * ====================================================================== */

static void setup_reuse(void)
{
	clean();
	mkpipe(40, 41);
	preload(41, 5);
	pair(SOCK_STREAM, 42, 43, 1);
	preload(43, 6);
	tcp_listener(44, AF_INET6);
	tcp_client(45, 44);
	wait_queued(44, 1);
	inet_socket(48, AF_INET, SOCK_DGRAM);
	nonblock(48);
	inet_socket(49, AF_INET, SOCK_DGRAM);
	connect_to(49, 48);
	preload(49, 4); /* a datagram for 48 */
	var("udp_port", port_of(48));
	place(epoll_create1(0), 50);
}

static void run_reuse(void)
{
	struct pollfd p[1] = {{40, POLLIN, 0}};
	check("p1", pl(p, 1), 1);                       /* 40 (pipe): first */
	check("p2", pl(p, 1), 1);                       /* U */
	check("close40", syscall(SYS_close, 40), 0);
	place(42, 40);                                  /* 40 is now a unix socket (6 bytes) */
	check("read40", rd(40, 2), 2);                  /* counted in 40's entry; full */
	check("p3", pl(p, 1), 1);                       /* closed since p2: no; re-classified */
	check("p4", pl(p, 1), 1);                       /* U */

	check("ctl1", ctl(50, EPOLL_CTL_ADD, 44, EPOLLIN, 44), 0);
	EW("w1", 50, IN(44));                           /* 44 (tcp6 listener): first */
	EW("w2", 50, IN(44));                           /* U */
	check("close44", syscall(SYS_close, 44), 0);    /* the registration goes with it */
	place(48, 44);                                  /* 44 is now the udp socket */
	check("ctl2", ctl(50, EPOLL_CTL_ADD, 44, EPOLLIN, 44), 0);
	EW("w3", 50, IN(44));                           /* closed since w2: no; re-classified */
	EW("w4", 50, IN(44));                           /* U */
}

/* ======================================================================
 * sleep: waits that really block (wakeups, cpu_ns), and waits that return
 * at once although they may block (not wakeups). Epoll 50 watches 42
 * (idle) and, from e2 on, 40.
 * ====================================================================== */

/* Waits until thread `tid` is blocked in epoll_wait (/proc/self/task/TID/
 * syscall, read with pread64 and closed with close_range: not probed), then
 * 50 ms more, then gives 40 data. */
static void *late_writer(void *arg)
{
	char path[64], want[16], got[64];
	snprintf(path, sizeof path, "/proc/self/task/%d/syscall", (int)(intptr_t)arg);
	snprintf(want, sizeof want, "%d ", SYS_epoll_wait);
	for (int i = 0;; i++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("open syscall");
		long n = syscall(SYS_pread64, fd, got, sizeof got - 1, 0L);
		syscall(SYS_close_range, fd, fd, 0);
		if (n > 0 && strncmp(got, want, strlen(want)) == 0)
			break;
		if (i == 10000)
			die("the main thread never blocked in epoll_wait");
		msleep(1);
	}
	msleep(50);
	preload(41, 5);
	return NULL;
}

static void setup_sleep(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	pair(SOCK_STREAM, 42, 43, 1);
	place(epoll_create1(0), 50);
}

static void run_sleep(void)
{
	pthread_t t;
	check("ctl42", ctl(50, EPOLL_CTL_ADD, 42, EPOLLIN, 42), 0);
	check("e1", syscall(SYS_epoll_wait, 50, (struct epoll_event[4]){}, 4, 100), 0); /* sleeps 100 ms */
	struct pollfd p[1] = {{42, POLLIN, 0}};
	check("p1", syscall(SYS_poll, p, 1, 100), 0);                                    /* sleeps 100 ms */
	fd_set r;
	fdset1(&r, 42);
	struct timeval tv = {0, 100000};
	check("s1", syscall(SYS_select, 43, &r, NULL, NULL, &tv), 0);                    /* sleeps 100 ms */
	check("ctl40", ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN, 40), 0);
	if (pthread_create(&t, NULL, late_writer, (void *)(intptr_t)gettid()) != 0)
		die("pthread_create");
	ewait_t("e2", 50, 5000, (struct want[]){IN(40)}, 1); /* blocks; woken >= 50 ms later by the data */
	pthread_join(t, NULL);
	EW("e3", 50, IN(40));                                /* at once (timeout 0): U */
	ewait_t("e4", 50, 5000, (struct want[]){IN(40)}, 1); /* at once (40 ready): U */
}

/* ======================================================================
 * preempt: 2000 selects (timeout 0) over 1000 idle eventfds while a busy
 * thread shares the CPU: the selects are preempted (cond_resched in
 * do_select: involuntary switches), never block. Preemption is not a
 * wakeup. The workload prints how often it was switched out involuntarily.
 * ====================================================================== */

static volatile int g_spin_stop, g_spin_started;

static void pin_to(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof set, &set) != 0)
		die("sched_setaffinity");
}

static void *spinner(void *arg)
{
	pin_to((int)(intptr_t)arg);
	g_spin_started = 1;
	while (!g_spin_stop)
		;
	return NULL;
}

static void setup_preempt(void)
{
	clean();
	raise_nofile();
	for (int fd = MANY_FIRST; fd < MANY_FIRST + MANY_N; fd++)
		place(eventfd(0, EFD_NONBLOCK), fd);
}

static long nivcsw(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_THREAD, &ru) != 0)
		die("getrusage");
	return ru.ru_nivcsw;
}

static void run_preempt(void)
{
	pthread_t t;
	int cpu = sched_getcpu();
	pin_to(cpu);
	if (pthread_create(&t, NULL, spinner, (void *)(intptr_t)cpu) != 0)
		die("pthread_create");
	while (!g_spin_started)
		sched_yield();
	long before = nivcsw();
	for (int i = 0; i < 2000; i++) {
		struct timeval tv = {0, 0};
		many_set();
		check("select", syscall(SYS_select, MANY_FIRST + MANY_N, g_set, NULL, NULL, &tv), 0);
	}
	long after = nivcsw();
	g_spin_stop = 1;
	pthread_join(t, NULL);
	var("preempted", after - before);
}

/* ======================================================================
 * counters: fds whose read returns a counter (8 bytes). A read asking for
 * the 8 bytes and getting them is a full read, not a drain, whatever the
 * kind: an EFD_SEMAPHORE eventfd (40, counter 3) stays readable after it.
 * 41: eventfd, counter 1; 42: timerfd, expired once. Poll p1..p3.
 * ====================================================================== */

static void setup_counters(void)
{
	clean();
	place(eventfd(3, EFD_SEMAPHORE | EFD_NONBLOCK), 40);
	place(eventfd(1, EFD_NONBLOCK), 41);
	place(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK), 42);
	struct itimerspec its = {.it_value = {0, 1}};
	if (timerfd_settime(42, 0, &its, NULL) != 0)
		die("timerfd_settime");
	msleep(2); /* expired */
}

static void run_counters(void)
{
	struct pollfd p[3], init[3] = {{40, POLLIN, 0}, {41, POLLIN, 0}, {42, POLLIN, 0}};
	memcpy(p, init, sizeof p);
	check("p1", pl(p, 3), 3);              /* 40 41 42: first */
	check("read40a", rd(40, 8), 8);        /* full (semaphore: 3 -> 2) */
	check("read41a", rd(41, 8), 8);        /* full (1 -> 0) */
	check("read42a", rd(42, 8), 8);        /* full (1 expiration) */
	memcpy(p, init, sizeof p);
	check("p2", pl(p, 3), 1);              /* 40: P (read since p1, no drain) */
	expect("p2 revents", p[0].revents == POLLIN);
	check("read40b", rd(40, 8), 8);        /* full (2 -> 1) */
	check("read41b", rd(41, 8), -EAGAIN);  /* drain */
	check("read42b", rd(42, 8), -EAGAIN);  /* drain */
	memcpy(p, init, sizeof p);
	check("p3", pl(p, 3), 1);              /* 40: P */
}

/* ======================================================================
 * kinds: one poll over an fd of every kind, each readable. Run with -p
 * only (the set-up accepts and registers before attach).
 * ====================================================================== */

static void setup_kinds(void)
{
	clean();
	/* tcp on 127.0.0.1: 40 listener (46 queued), 41 client, 42 accepted */
	tcp_listener(40, AF_INET);
	tcp_client(41, 40);
	wait_queued(40, 1);
	int a = accept(40, NULL, NULL);
	place(a, 42);
	tcp_client(46, 40);
	wait_queued(40, 1);
	preload(41, 3);
	preload(42, 3);
	/* tcp6 on ::1: 43 listener (47 queued), 44 client, 45 accepted */
	tcp_listener(43, AF_INET6);
	tcp_client(44, 43);
	wait_queued(43, 1);
	a = accept(43, NULL, NULL);
	place(a, 45);
	tcp_client(47, 43);
	wait_queued(43, 1);
	preload(44, 3);
	preload(45, 3);
	/* udp: 48 unconnected (58 sends to it), 49 connected to 57 */
	inet_socket(48, AF_INET, SOCK_DGRAM);
	inet_socket(58, AF_INET, SOCK_DGRAM);
	connect_to(58, 48);
	preload(58, 4);
	inet_socket(49, AF_INET, SOCK_DGRAM);
	inet_socket(57, AF_INET, SOCK_DGRAM);
	connect_to(49, 57);
	connect_to(57, 49);
	preload(57, 4);
	/* unix 50/51, pipe 52/53 */
	pair(SOCK_STREAM, 50, 51, 1);
	preload(51, 3);
	mkpipe(52, 53);
	preload(53, 3);
	/* eventfd, timerfd (expired), signalfd (SIGUSR2 pending) */
	place(eventfd(1, EFD_NONBLOCK), 54);
	place(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK), 55);
	struct itimerspec its = {.it_value = {0, 1}};
	if (timerfd_settime(55, 0, &its, NULL) != 0)
		die("timerfd_settime");
	sigset_t s;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &s, NULL) != 0)
		die("sigprocmask");
	place(signalfd(-1, &s, SFD_NONBLOCK), 59);
	syscall(SYS_tgkill, getpid(), gettid(), SIGUSR2);
	/* epoll 60 with a ready registration (50) */
	place(epoll_create1(0), 60);
	if (ctl(60, EPOLL_CTL_ADD, 50, EPOLLIN, 50) != 0)
		die("epoll_ctl");
	/* a regular file (memfd), and an inotify fd with an event about it */
	place(memfd_create("readiness", 0), 61);
	place(inotify_init1(IN_NONBLOCK), 62);
	if (inotify_add_watch(62, "/proc/self/fd/61", IN_ATTRIB) < 0)
		die("inotify_add_watch");
	preload(61, 3);
	/* writes to a memfd raise no inotify event (pseudo files are
	 * FMODE_NONOTIFY since Linux 6.14); a mode change does */
	if (fchmod(61, 0600) != 0)
		die("fchmod");
	msleep(2); /* the timer has expired */

	var("l4", port_of(40));
	var("c41", port_of(41));
	var("l6", port_of(43));
	var("c44", port_of(44));
	var("u48", port_of(48));
	var("u49", port_of(49));
	var("u57", port_of(57));
}

static const int g_kind_fds[] = {40, 41, 42, 43, 44, 45, 48, 49, 50, 52, 54, 55, 59, 60, 61, 62};
#define NKINDS ((int)(sizeof g_kind_fds / sizeof g_kind_fds[0]))

static void run_kinds(void)
{
	struct pollfd p[NKINDS];
	for (int i = 0; i < NKINDS; i++)
		p[i] = (struct pollfd){g_kind_fds[i], POLLIN, 0};
	check("poll", pl(p, NKINDS), NKINDS); /* each: first report, readable */
	for (int i = 0; i < NKINDS; i++)
		expect("poll revents", p[i].revents & POLLIN);
}

/* ======================================================================
 * epoll_many: one epoll wait returns 100 events, more than the kernel side
 * reads from user memory at once (42 on x86-64): fds 100..199 are eventfds
 * with counter 1 (readable), registered level-triggered with data = fd in
 * the run, then two waits report all 100 (the second: U each).
 * ====================================================================== */

enum { EMANY_FIRST = 100, EMANY_N = 100, EMANY_EP = 40 };

static void setup_epoll_many(void)
{
	clean();
	place(epoll_create1(0), EMANY_EP);
	for (int fd = EMANY_FIRST; fd < EMANY_FIRST + EMANY_N; fd++)
		place(eventfd(1, EFD_NONBLOCK), fd);
}

static void emany_wait(const char *label)
{
	struct epoll_event ev[128];
	char seen[EMANY_N] = {0};
	long r = syscall(SYS_epoll_wait, EMANY_EP, ev, 128, 0);

	check(label, r, EMANY_N);
	for (long i = 0; i < r; i++) {
		uint64_t d = ev[i].data.u64;
		expect(label, d >= EMANY_FIRST && d < EMANY_FIRST + EMANY_N && !seen[d - EMANY_FIRST]);
		if (d >= EMANY_FIRST && d < EMANY_FIRST + EMANY_N)
			seen[d - EMANY_FIRST] = 1;
	}
}

static void run_epoll_many(void)
{
	for (int fd = EMANY_FIRST; fd < EMANY_FIRST + EMANY_N; fd++)
		check("add", ctl(EMANY_EP, EPOLL_CTL_ADD, fd, EPOLLIN, (uint64_t)fd), 0);
	emany_wait("w1"); /* 100 firsts */
	emany_wait("w2"); /* 100 U */
}

/* ======================================================================
 * et_handoff: a multi-threaded netpoller (Go's runtime in miniature). The
 * main thread waits on epoll 50 (40 registered EPOLLIN|EPOLLET) and hands
 * each notification of 40 to a reader thread, which reads 40 until EAGAIN;
 * but the main thread waits again (a zero-timeout wait, nothing new) before
 * the reader has run. The turns (futexes, not probed) fix the order:
 * notify, wait again, read, for HANDOFF_ROUNDS rounds (2 x 100 waits). Each
 * notification is undrained at the waiter's next wait, yet drained before
 * the fd's next notification: et_undrained 100, et_stalls 0. 100 rounds:
 * 100 full 10-byte reads, enough for small_reads to judge (and find nothing
 * left behind).
 * ====================================================================== */

enum { HANDOFF_ROUNDS = 100 };
static pid_t g_handoff_reader;

static void *handoff_reader(void *arg)
{
	(void)arg;
	g_handoff_reader = (pid_t)syscall(SYS_gettid);
	for (int i = 0; i < HANDOFF_ROUNDS; i++) {
		wait_turn(2 * i + 1);
		check("reader read", rd(40, 10), 10);        /* full */
		check("reader eagain", rd(40, 10), -EAGAIN); /* drain */
		next_turn();
	}
	return NULL;
}

static void setup_et_handoff(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	place(epoll_create1(0), 50);
}

static void run_et_handoff(void)
{
	pthread_t t;
	check("ctl", ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN | EPOLLET, 40), 0);
	if (pthread_create(&t, NULL, handoff_reader, NULL) != 0)
		die("pthread_create");
	for (int i = 0; i < HANDOFF_ROUNDS; i++) {
		wait_turn(2 * i);
		preload(41, 10);
		EW("notify", 50, IN(40)); /* odd waits: ET 40 (from the second on,
					     the reader drained the previous one: no stall) */
		EW0("again", 50);         /* even waits: judges it: undrained (the
					     reader has not run yet) */
		next_turn();              /* the reader's turn */
	}
	wait_turn(2 * HANDOFF_ROUNDS);
	pthread_join(t, NULL);
	var("reader_tid", g_handoff_reader);
}

/* ======================================================================
 * et_partial: an edge-triggered loop that reads only part of what each
 * notification announced (one full 10-byte read of 20 new bytes) and reads
 * again only after the next notification: each new edge finds the fd's
 * previous notification not drained, a stall (every round's wait but the
 * first: 99). Then a late drain: the next wait finds no new edge (it judges
 * the last round's notification undrained), the loop reads everything (the
 * 1,000 bytes left behind), and the next notification, after that drain,
 * is no stall. 102 reads of 19.7 bytes on average, 100 of them full, 99
 * stalls: small reads leaving data behind.
 * ====================================================================== */

enum { PARTIAL_ROUNDS = 100 };

static void setup_et_partial(void)
{
	clean();
	pair(SOCK_STREAM, 40, 41, 1);
	place(epoll_create1(0), 50);
}

static void run_et_partial(void)
{
	check("ctl", ctl(50, EPOLL_CTL_ADD, 40, EPOLLIN | EPOLLET, 40), 0);
	for (int i = 0; i < PARTIAL_ROUNDS; i++) {
		preload(41, 20);
		EW("notify", 50, IN(40));      /* ET 40; from the second on: a stall
						  (and undrained, judged at the next wait) */
		check("part", rd(40, 10), 10); /* full: no drain; 10 more stay queued */
	}
	EW0("late", 50);                       /* no new edge; judges the last one: undrained */
	check("rest", rd(40, 4096), 10 * PARTIAL_ROUNDS); /* short: the late drain */
	preload(41, 5);
	EW("after", 50, IN(40));               /* ET 40: drained since the last: no stall */
	check("last", rd(40, 64), 5);          /* short: drain */
	EW0("end", 50);                        /* judges it: drained */
}

/* ---- main ---------------------------------------------------------------- */

struct scenario {
	const char *name;
	void (*setup)(void);
	void (*run)(void);
};

static const struct scenario scenarios[] = {
	{"epoll_lt", setup_epoll_lt, run_epoll_lt},
	{"select_lt", setup_select_lt, run_select_lt},
	{"poll_lt", setup_poll_lt, run_poll_lt},
	{"epoll_out", setup_epoll_out, run_epoll_out},
	{"epoll_et", setup_epoll_et, run_epoll_et},
	{"oneshot", setup_oneshot, run_oneshot},
	{"preattach", setup_preattach, run_preattach},
	{"cookies", setup_cookies, run_cookies},
	{"threads", setup_threads, run_threads},
	{"many", setup_many, run_many},
	{"reuse", setup_reuse, run_reuse},
	{"sleep", setup_sleep, run_sleep},
	{"counters", setup_counters, run_counters},
	{"preempt", setup_preempt, run_preempt},
	{"kinds", setup_kinds, run_kinds},
	{"thread_ready", setup_thread_ready, run_thread_ready},
	{"herd", setup_herd, run_herd},
	{"epoll_many", setup_epoll_many, run_epoll_many},
	{"et_handoff", setup_et_handoff, run_et_handoff},
	{"et_partial", setup_et_partial, run_et_partial},
};
#define NSCEN (sizeof scenarios / sizeof scenarios[0])

static __attribute__((noreturn)) void usage(void)
{
	uputs(2, "usage: readiness SCENARIO [--wait]\nscenarios:");
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
		else
			usage();
	}
	if (!name)
		usage();
	memset(g_buf, 'x', sizeof g_buf);
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
