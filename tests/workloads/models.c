/*
 * models: one workload per IO model whose truth is known by construction,
 * for the diagnosis tests (issue 5, tests/integration/diagnosis_test.cpp).
 *
 *   models MODE [--wait]
 *
 * Modes (each does a bounded amount of work, well under a second, exits 0):
 *   blocking       thread per connection on 127.0.0.1: an accept thread
 *                  blocking in accept4, one thread per client doing blocking
 *                  read/write, and BLOCK_CONNS client threads in the same
 *                  process doing BLOCK_ROUNDS blocking round trips each.
 *   busy-poll      a thread spins on recvfrom of a non-blocking socket (mostly
 *                  EAGAIN, never sleeping) while a peer thread sends
 *                  BUSY_MSGS messages (AF_UNIX SOCK_SEQPACKET: one receive
 *                  each), nanosleeping between them.
 *   busy-poll-epoll  the same, the spinning thread calling epoll_wait with
 *                  timeout 0 and reading only what it reports.
 *   zero-timeout-loaded  an event loop that polls with timeout 0 while work is
 *                  pending, as libuv, asyncio and Go's netpoller do: ZT_WAITS
 *                  epoll_wait(0) on a level-triggered unix socket, each
 *                  preceded by a write to its peer except every ZT_EMPTY_EVERY-th:
 *                  900 waits return the event (then one read takes it), 100
 *                  come back empty. Not busy polling.
 *   epoll-et-drain  edge-triggered, read until EAGAIN on every notification:
 *                  each of ED_ROUNDS rounds writes one message to each of
 *                  ED_CONNS unix sockets, one epoll_wait with timeout 0 reports
 *                  all of them, each is read (the message) and read again
 *                  (EAGAIN: the drain). 1,000 EAGAIN for 1,000 reports.
 *   io_uring       raw io_uring_setup/io_uring_enter (no liburing): URING_OPS
 *                  linked write+read pairs on a socketpair through the ring,
 *                  no plain recv/send at all.
 *   epoll-lt, epoll-et, epoll-mixed, epoll-oneshot, epoll-et-oneshot, poll, select
 *                  one event-loop thread serving EL_CONNS loopback TCP
 *                  connections (the listener in the interest set too, as
 *                  servers do: epoll registers it level-triggered in every
 *                  mode). The same thread plays the clients: each round
 *                  EL_ACTIVE of them send a request, the loop waits, reads and
 *                  answers, the clients read the answers. Nothing ever waits
 *                  for data that is not there already: no call sleeps.
 *                  epoll-et: EPOLLET on every connection, each read until
 *                  EAGAIN. epoll-mixed: even connections EPOLLET, odd ones
 *                  level-triggered, both kinds busy every round.
 *                  epoll-oneshot: EPOLLONESHOT (no EPOLLET), re-armed with
 *                  EPOLL_CTL_MOD after each request. epoll-et-oneshot:
 *                  EPOLLET|EPOLLONESHOT, each read until EAGAIN, re-armed
 *                  the same way. select/poll: most of
 *                  the EL_CONNS connections idle each round, so each wait
 *                  scans many fds to find a few.
 *   epoll-accept-one  epoll-lt, but the listener accepts one connection per
 *                  wakeup, as libuv >= 1.45 does on purpose: the EL_CONNS
 *                  queued connections take EL_CONNS waits, and each wait
 *                  after the first finds the listener re-reported with a
 *                  read (an accept) but no drain: 63 partial re-reports in
 *                  about 315 waits, at a high rate (no call sleeps).
 *   idle           nanosleep only: no probed call at all.
 *   idle-waits     epoll_wait on an empty interest list with a 5 ms timeout,
 *                  IDLE_WAITS times: waits that find nothing, no IO.
 *   mixed-threads  an accept thread blocking in accept4 hands connections to
 *                  MIX_WORKERS worker threads, each with its own epoll fd
 *                  (level-triggered), blocking in epoll_wait. The clients run
 *                  in a forked child process (its own figures, reported
 *                  separately when followed), so this process's threads are
 *                  only the accept thread and the workers. Prints
 *                  "var accept_tid N" and "var worker_tid N" lines.
 *
 * Conventions (as iowork.c and readiness.c): probed syscalls are made with
 * syscall(SYS_...); the set-up uses calls iotrace does not probe (socket,
 * bind, listen, connect, socketpair, fcntl, epoll_create1, io_uring_setup,
 * mmap, nanosleep, futex, clone, fork, wait4, pwritev2 for output); the binary
 * is static, so `iotrace -- models MODE` sees only the mode's calls. With
 * --wait: "ready\n" on fd 1, sigwaitinfo for SIGUSR1, then the mode. Every
 * return value is checked; a surprise prints "models: FAIL ..." on fd 2 and
 * exits 3 (set-up failures: "models: ... setup failed", exit 4).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
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

#define WORKLOAD_NAME "models"
#include "workload.h"

#define MSG 64 /* request and answer size */

/* ---- untraced helpers (the shared ones are in workload.h) --------------- */

static void fail(const char *label, long got) { check(label, got, -1000000); }

static void usleep_(long us)
{
	struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static pid_t gettid_(void) { return (pid_t)syscall(SYS_gettid); }

static pthread_t spawn(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	if (pthread_create(&t, NULL, fn, arg) != 0)
		die("pthread_create");
	return t;
}

static void join(pthread_t t)
{
	if (pthread_join(t, NULL) != 0)
		die("pthread_join");
}

/* A TCP listener on 127.0.0.1, ephemeral port. */
static int tcp_listener(int nonblocking, int *port)
{
	int fd = socket(AF_INET, SOCK_STREAM | (nonblocking ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		die("socket");
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr = {htonl(INADDR_LOOPBACK)}};
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		die("bind");
	if (listen(fd, 256) != 0)
		die("listen");
	socklen_t len = sizeof sa;
	if (getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		die("getsockname");
	*port = ntohs(sa.sin_port);
	return fd;
}

/* A blocking client socket connected to 127.0.0.1:port. */
static int tcp_connect(int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr = {htonl(INADDR_LOOPBACK)}};
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		die("connect");
	return fd;
}

/* ---- probed calls --------------------------------------------------------- */

static long p_read(int fd, void *b, size_t n) { return syscall(SYS_read, fd, b, n); }
static long p_write(int fd, const void *b, size_t n) { return syscall(SYS_write, fd, b, n); }
static long p_recv(int fd, void *b, size_t n) { return syscall(SYS_recvfrom, fd, b, n, 0, NULL, NULL); }
static long p_send(int fd, const void *b, size_t n) { return syscall(SYS_sendto, fd, b, n, 0, NULL, 0); }
static long p_accept(int fd, int flags) { return syscall(SYS_accept4, fd, NULL, NULL, flags); }
static long p_close(int fd) { return syscall(SYS_close, fd); }
static long p_ctl(int ep, int op, int fd, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data = {.u64 = (uint64_t)fd}};
	return syscall(SYS_epoll_ctl, ep, op, fd, &ev);
}
static long p_ewait(int ep, struct epoll_event *evs, int max, int timeout)
{
	return syscall(SYS_epoll_wait, ep, evs, max, timeout);
}

/* Reads exactly n bytes from a blocking stream fd (more calls if it comes
 * in pieces). */
static void read_full(const char *label, int fd, char *b, size_t n)
{
	size_t got = 0;
	while (got < n) {
		long r = p_read(fd, b + got, n - got);
		if (r <= 0)
			fail(label, r < 0 ? -errno : r);
		got += (size_t)r;
	}
}

static char g_req[MSG], g_ans[MSG];

static void fill_messages(void)
{
	memset(g_req, 'q', sizeof g_req);
	memset(g_ans, 'A', sizeof g_ans);
}

/* ======================================================================
 * blocking: thread per connection.
 * ====================================================================== */

enum { BLOCK_CONNS = 4, BLOCK_ROUNDS = 150 };

static int g_block_port, g_block_listener;

static void *block_conn(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[4096];
	for (;;) {
		long r = p_read(fd, buf, sizeof buf); /* sleeps until the client sends */
		if (r == 0)
			break;
		if (r != MSG)
			fail("conn read", r < 0 ? -errno : r);
		check("conn write", p_write(fd, g_ans, MSG), MSG);
	}
	check("conn close", p_close(fd), 0);
	return NULL;
}

static void *block_acceptor(void *arg)
{
	(void)arg;
	pthread_t conns[BLOCK_CONNS];
	for (int i = 0; i < BLOCK_CONNS; i++) {
		long fd = p_accept(g_block_listener, 0); /* sleeps until a client connects */
		if (fd < 0)
			fail("accept4", -errno);
		conns[i] = spawn(block_conn, (void *)(intptr_t)fd);
	}
	for (int i = 0; i < BLOCK_CONNS; i++)
		join(conns[i]);
	return NULL;
}

static void *block_client(void *arg)
{
	usleep_(2000 * (1 + (long)(intptr_t)arg)); /* the acceptor is asleep in accept4 by then */
	int fd = tcp_connect(g_block_port);
	char buf[MSG];
	for (int r = 0; r < BLOCK_ROUNDS; r++) {
		check("client write", p_write(fd, g_req, MSG), MSG);
		read_full("client read", fd, buf, MSG); /* sleeps until the answer */
	}
	check("client close", p_close(fd), 0);
	return NULL;
}

static void run_blocking(void)
{
	g_block_listener = tcp_listener(0, &g_block_port);
	pthread_t acceptor = spawn(block_acceptor, NULL);
	pthread_t clients[BLOCK_CONNS];
	for (int i = 0; i < BLOCK_CONNS; i++)
		clients[i] = spawn(block_client, (void *)(intptr_t)i);
	for (int i = 0; i < BLOCK_CONNS; i++)
		join(clients[i]);
	join(acceptor);
}

/* ======================================================================
 * busy-poll: spinning on a non-blocking socket, or on epoll_wait(0).
 * ====================================================================== */

enum { BUSY_MSGS = 100, BUSY_GAP_US = 300 };

static int g_busy_fds[2];

static void *busy_sender(void *arg)
{
	(void)arg;
	for (int i = 0; i < BUSY_MSGS; i++) {
		usleep_(BUSY_GAP_US);
		check("send", p_send(g_busy_fds[1], g_req, MSG), MSG);
	}
	return NULL;
}

static void busy_setup(void)
{
	/* Messages keep their boundaries: one receive per message, however late. */
	if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, g_busy_fds) != 0)
		die("socketpair");
	nonblock(g_busy_fds[0]);
}

static void run_busy_poll(void)
{
	busy_setup();
	pthread_t t = spawn(busy_sender, NULL);
	char buf[4096];
	long got = 0;
	while (got < (long)BUSY_MSGS * MSG) {
		long r = p_recv(g_busy_fds[0], buf, sizeof buf);
		if (r < 0 && errno == EAGAIN)
			continue; /* nothing yet: ask again at once */
		if (r <= 0)
			fail("recvfrom", r < 0 ? -errno : r);
		got += r;
	}
	join(t);
}

static void run_busy_poll_epoll(void)
{
	busy_setup();
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	check("epoll_ctl", p_ctl(ep, EPOLL_CTL_ADD, g_busy_fds[0], EPOLLIN), 0);
	pthread_t t = spawn(busy_sender, NULL);
	char buf[4096];
	long got = 0;
	struct epoll_event ev[4];
	while (got < (long)BUSY_MSGS * MSG) {
		long n = p_ewait(ep, ev, 4, 0); /* timeout 0: never blocks */
		if (n < 0)
			fail("epoll_wait", -errno);
		if (n == 0)
			continue;
		long r = p_recv(g_busy_fds[0], buf, sizeof buf);
		if (r <= 0)
			fail("recvfrom", r < 0 ? -errno : r);
		got += r;
	}
	join(t);
}

/* ======================================================================
 * zero-timeout-loaded, epoll-et-drain: polling with timeout 0 while work is
 * pending. Single-threaded and on unix sockets, whose write makes the peer
 * readable before it returns: every result is known in advance.
 * ====================================================================== */

enum { ZT_WAITS = 1000, ZT_EMPTY_EVERY = 10, ED_CONNS = 4, ED_ROUNDS = 250 };

/* A unix stream pair: the reading end non-blocking, registered in ep with
 * events; *writer gets the other end. Returns the reading end. */
static int watched_pair(int ep, uint32_t events, int *writer)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		die("socketpair");
	nonblock(sv[0]);
	check("epoll_ctl add", p_ctl(ep, EPOLL_CTL_ADD, sv[0], events), 0);
	*writer = sv[1];
	return sv[0];
}

static void run_zero_timeout_loaded(void)
{
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	int w, r = watched_pair(ep, EPOLLIN, &w);
	char buf[4096];
	struct epoll_event ev[4];
	for (int i = 0; i < ZT_WAITS; i++) {
		int pending = i % ZT_EMPTY_EVERY != 0;
		if (pending)
			check("write", p_write(w, g_req, MSG), MSG);
		check("epoll_wait(0)", p_ewait(ep, ev, 4, 0), pending); /* timeout 0: never blocks */
		if (pending)
			check("read", p_read(r, buf, sizeof buf), MSG);
	}
}

static void run_epoll_et_drain(void)
{
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	int wr[ED_CONNS];
	for (int c = 0; c < ED_CONNS; c++)
		watched_pair(ep, EPOLLIN | EPOLLET, &wr[c]); /* the events name the reading ends */
	char buf[4096];
	struct epoll_event ev[ED_CONNS];
	for (int round = 0; round < ED_ROUNDS; round++) {
		for (int c = 0; c < ED_CONNS; c++)
			check("write", p_write(wr[c], g_req, MSG), MSG);
		check("epoll_wait(0)", p_ewait(ep, ev, ED_CONNS, 0), ED_CONNS);
		for (int c = 0; c < ED_CONNS; c++) {
			int fd = (int)ev[c].data.u64;
			check("read", p_read(fd, buf, sizeof buf), MSG);
			check("read until EAGAIN", p_read(fd, buf, sizeof buf), -EAGAIN);
		}
	}
}

/* ======================================================================
 * io_uring: linked WRITE + READ pairs through the ring.
 * ====================================================================== */

enum { URING_OPS = 200 };

static void run_io_uring(void)
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		die("socketpair");
	struct io_uring_params p;
	memset(&p, 0, sizeof p);
	int ring = (int)syscall(SYS_io_uring_setup, 8, &p);
	if (ring < 0)
		die("io_uring_setup");
	size_t sqsz = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cqsz = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	char *sq = mmap(NULL, sqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
			IORING_OFF_SQ_RING);
	char *cq = mmap(NULL, cqsz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
			IORING_OFF_CQ_RING);
	struct io_uring_sqe *sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
					 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
					 IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		die("mmap ring");
	unsigned *sq_tail = (unsigned *)(sq + p.sq_off.tail), *sq_mask = (unsigned *)(sq + p.sq_off.ring_mask);
	unsigned *sq_array = (unsigned *)(sq + p.sq_off.array);
	unsigned *cq_head = (unsigned *)(cq + p.cq_off.head), *cq_tail = (unsigned *)(cq + p.cq_off.tail);
	unsigned *cq_mask = (unsigned *)(cq + p.cq_off.ring_mask);
	struct io_uring_cqe *cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);

	static char buf[MSG];
	for (int op = 0; op < URING_OPS; op++) {
		unsigned t = *sq_tail;
		for (int k = 0; k < 2; k++) {
			unsigned i = (t + k) & *sq_mask;
			struct io_uring_sqe *s = &sqes[i];
			memset(s, 0, sizeof *s);
			s->opcode = k == 0 ? IORING_OP_WRITE : IORING_OP_READ;
			s->fd = k == 0 ? sv[0] : sv[1];
			s->addr = (uint64_t)(uintptr_t)(k == 0 ? g_req : buf);
			s->len = MSG;
			s->off = (uint64_t)-1; /* the current position: a socket has none */
			s->flags = k == 0 ? IOSQE_IO_LINK : 0;
			s->user_data = (uint64_t)k;
			sq_array[i] = i;
		}
		__atomic_store_n(sq_tail, t + 2, __ATOMIC_RELEASE);
		check("io_uring_enter", syscall(SYS_io_uring_enter, ring, 2, 2, IORING_ENTER_GETEVENTS, NULL, (size_t)0),
		      2);
		unsigned h = *cq_head;
		if (__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) - h != 2)
			fail("completions", (long)(__atomic_load_n(cq_tail, __ATOMIC_ACQUIRE) - h));
		for (int k = 0; k < 2; k++)
			check("cqe res", cqes[(h + k) & *cq_mask].res, MSG);
		__atomic_store_n(cq_head, h + 2, __ATOMIC_RELEASE);
		if (memcmp(buf, g_req, MSG) != 0)
			fail("data read through the ring", 0);
	}
}

/* ======================================================================
 * The event loops: select, poll, epoll-lt/et/mixed/oneshot/et-oneshot.
 * ====================================================================== */

enum { EL_CONNS = 64, EL_ACTIVE = 4, EL_ROUNDS = 250 };

enum el_kind {
	EL_SELECT,
	EL_POLL,
	EL_EPOLL_LT,
	EL_EPOLL_ET,
	EL_EPOLL_MIXED,
	EL_EPOLL_ONESHOT,
	EL_EPOLL_ET_ONESHOT,
	EL_EPOLL_ACCEPT_ONE
};

static struct {
	enum el_kind kind;
	int listener, ep;
	int clients[EL_CONNS];
	int conns[EL_CONNS]; /* server side, in accept order */
	int nconns;
	int maxfd;
	int et[1024];        /* fd -> registered with EPOLLET */
	char buf[4096];
} el;

static int el_is_epoll(void) { return el.kind >= EL_EPOLL_LT; }

static uint32_t el_events_for(int idx)
{
	switch (el.kind) {
	case EL_EPOLL_ET:
		return EPOLLIN | EPOLLET;
	case EL_EPOLL_MIXED:
		return idx % 2 == 0 ? (EPOLLIN | EPOLLET) : EPOLLIN;
	case EL_EPOLL_ONESHOT:
		return EPOLLIN | EPOLLONESHOT;
	case EL_EPOLL_ET_ONESHOT:
		return EPOLLIN | EPOLLET | EPOLLONESHOT;
	default:
		return EPOLLIN;
	}
}

/* The listener is readable: accept until EAGAIN (epoll-accept-one: one
 * connection), register what came. */
static void el_accept(void)
{
	for (int once = el.kind == EL_EPOLL_ACCEPT_ONE;; once = 0) {
		long fd = p_accept(el.listener, SOCK_NONBLOCK);
		if (fd < 0) {
			check("accept4 drained", -errno, -EAGAIN);
			return;
		}
		if (el.nconns == EL_CONNS || fd >= 1024)
			fail("too many connections", fd);
		int idx = el.nconns++;
		el.conns[idx] = (int)fd;
		if (fd > el.maxfd)
			el.maxfd = (int)fd;
		if (el_is_epoll()) {
			uint32_t ev = el_events_for(idx);
			el.et[fd] = (ev & EPOLLET) != 0;
			check("epoll_ctl add", p_ctl(el.ep, EPOLL_CTL_ADD, (int)fd, ev), 0);
		}
		if (once)
			return;
	}
}

/* A connection is readable: read the request (until EAGAIN when it is
 * edge-triggered), answer it, re-arm a oneshot registration. Returns the
 * requests handled (0 or 1). */
static int el_serve(int fd)
{
	long r = p_read(fd, el.buf, sizeof el.buf);
	check("server read", r, MSG); /* the whole request, a short read */
	if (el_is_epoll() && el.et[fd])
		check("server read until EAGAIN", p_read(fd, el.buf, sizeof el.buf), -EAGAIN);
	check("server write", p_write(fd, g_ans, MSG), MSG);
	if (el.kind == EL_EPOLL_ONESHOT || el.kind == EL_EPOLL_ET_ONESHOT) /* same events for every fd */
		check("epoll_ctl rearm", p_ctl(el.ep, EPOLL_CTL_MOD, fd, el_events_for(0)), 0);
	return 1;
}

/* One wait and what it reported; returns the requests handled. */
static int el_wait_once(void)
{
	int handled = 0;
	if (el.kind == EL_SELECT) {
		fd_set rs;
		FD_ZERO(&rs);
		FD_SET(el.listener, &rs);
		for (int i = 0; i < el.nconns; i++)
			FD_SET(el.conns[i], &rs);
		long n = syscall(SYS_select, el.maxfd + 1, &rs, NULL, NULL, NULL);
		if (n <= 0)
			fail("select", n < 0 ? -errno : n);
		if (FD_ISSET(el.listener, &rs))
			el_accept();
		for (int i = 0; i < el.nconns; i++)
			if (FD_ISSET(el.conns[i], &rs))
				handled += el_serve(el.conns[i]);
	} else if (el.kind == EL_POLL) {
		struct pollfd pf[EL_CONNS + 1];
		int n = 0;
		pf[n++] = (struct pollfd){.fd = el.listener, .events = POLLIN};
		for (int i = 0; i < el.nconns; i++)
			pf[n++] = (struct pollfd){.fd = el.conns[i], .events = POLLIN};
		long r = syscall(SYS_poll, pf, (unsigned long)n, -1);
		if (r <= 0)
			fail("poll", r < 0 ? -errno : r);
		for (int i = 0; i < n; i++) {
			if (!(pf[i].revents & POLLIN))
				continue;
			if (pf[i].fd == el.listener)
				el_accept();
			else
				handled += el_serve(pf[i].fd);
		}
	} else {
		struct epoll_event evs[EL_CONNS + 1];
		long n = p_ewait(el.ep, evs, EL_CONNS + 1, -1);
		if (n <= 0)
			fail("epoll_wait", n < 0 ? -errno : n);
		for (long i = 0; i < n; i++) {
			int fd = (int)evs[i].data.u64;
			if (fd == el.listener)
				el_accept();
			else
				handled += el_serve(fd);
		}
	}
	return handled;
}

static void run_event_loop(enum el_kind kind)
{
	memset(&el, 0, sizeof el);
	el.kind = kind;
	int port;
	el.listener = tcp_listener(1, &port);
	el.maxfd = el.listener;
	if (el_is_epoll()) {
		el.ep = epoll_create1(0);
		if (el.ep < 0)
			die("epoll_create1");
		/* The listener level-triggered in every mode, as nginx does. */
		check("epoll_ctl listener", p_ctl(el.ep, EPOLL_CTL_ADD, el.listener, EPOLLIN), 0);
	}
	for (int i = 0; i < EL_CONNS; i++)
		el.clients[i] = tcp_connect(port); /* queued in the backlog */
	while (el.nconns < EL_CONNS)
		el_wait_once(); /* accepts them all (no request yet: nothing else is ready) */

	for (int r = 0; r < EL_ROUNDS; r++) {
		int first = (r * EL_ACTIVE) % EL_CONNS;
		for (int k = 0; k < EL_ACTIVE; k++)
			check("client write", p_write(el.clients[first + k], g_req, MSG), MSG);
		for (int handled = 0; handled < EL_ACTIVE;)
			handled += el_wait_once();
		for (int k = 0; k < EL_ACTIVE; k++)
			read_full("client read", el.clients[first + k], el.buf, MSG);
	}
}

/* ======================================================================
 * idle, idle-waits.
 * ====================================================================== */

enum { IDLE_WAITS = 20 };

static void run_idle(void)
{
	for (int i = 0; i < 10; i++)
		usleep_(10000);
}

static void run_idle_waits(void)
{
	int ep = epoll_create1(0);
	if (ep < 0)
		die("epoll_create1");
	struct epoll_event ev;
	for (int i = 0; i < IDLE_WAITS; i++)
		check("epoll_wait", p_ewait(ep, &ev, 1, 5), 0);
}

/* ======================================================================
 * mixed-threads: blocking accept thread + epoll workers; clients forked.
 * ====================================================================== */

enum { MIX_WORKERS = 2, MIX_CONNS = 12, MIX_ROUNDS = 30 };

static int g_mix_listener, g_mix_eps[MIX_WORKERS];

static void *mix_worker(void *arg)
{
	int ep = g_mix_eps[(intptr_t)arg];
	var("worker_tid", gettid_());
	char buf[4096];
	int closed = 0;
	struct epoll_event evs[16];
	while (closed < MIX_CONNS / MIX_WORKERS) {
		long n = p_ewait(ep, evs, 16, -1); /* sleeps until a client sends */
		if (n <= 0)
			fail("worker epoll_wait", n < 0 ? -errno : n);
		for (long i = 0; i < n; i++) {
			int fd = (int)evs[i].data.u64;
			long r = p_read(fd, buf, sizeof buf);
			if (r == 0) {
				check("worker close", p_close(fd), 0); /* also leaves the interest list */
				closed++;
				continue;
			}
			check("worker read", r, MSG);
			check("worker write", p_write(fd, g_ans, MSG), MSG);
		}
	}
	return NULL;
}

static void *mix_acceptor(void *arg)
{
	(void)arg;
	var("accept_tid", gettid_());
	for (int i = 0; i < MIX_CONNS; i++) {
		long fd = p_accept(g_mix_listener, SOCK_NONBLOCK); /* sleeps until a client connects */
		if (fd < 0)
			fail("accept4", -errno);
		check("epoll_ctl add", p_ctl(g_mix_eps[i % MIX_WORKERS], EPOLL_CTL_ADD, (int)fd, EPOLLIN), 0);
	}
	return NULL;
}

static void mix_clients(int port)
{
	int fds[MIX_CONNS];
	char buf[MSG];
	for (int i = 0; i < MIX_CONNS; i++) {
		usleep_(2000); /* the acceptor is back asleep in accept4 */
		fds[i] = tcp_connect(port);
	}
	for (int r = 0; r < MIX_ROUNDS; r++) {
		for (int i = 0; i < MIX_CONNS; i++)
			check("client write", p_write(fds[i], g_req, MSG), MSG);
		for (int i = 0; i < MIX_CONNS; i++)
			read_full("client read", fds[i], buf, MSG);
		usleep_(200); /* the workers go back to sleep in epoll_wait */
	}
	for (int i = 0; i < MIX_CONNS; i++)
		check("client close", p_close(fds[i]), 0);
}

static void run_mixed_threads(void)
{
	int port;
	g_mix_listener = tcp_listener(0, &port);
	for (int w = 0; w < MIX_WORKERS; w++)
		if ((g_mix_eps[w] = epoll_create1(0)) < 0)
			die("epoll_create1");
	pid_t child = fork();
	if (child < 0)
		die("fork");
	if (child == 0) {
		g_scenario = "mixed-threads client";
		mix_clients(port);
		_exit(0);
	}
	pthread_t acceptor = spawn(mix_acceptor, NULL);
	pthread_t workers[MIX_WORKERS];
	for (int w = 0; w < MIX_WORKERS; w++)
		workers[w] = spawn(mix_worker, (void *)(intptr_t)w);
	join(acceptor);
	for (int w = 0; w < MIX_WORKERS; w++)
		join(workers[w]);
	int status;
	if (waitpid(child, &status, 0) != child)
		die("waitpid");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		fail("client process", status);
}

/* ---- main ------------------------------------------------------------------ */

static void run_select(void) { run_event_loop(EL_SELECT); }
static void run_poll(void) { run_event_loop(EL_POLL); }
static void run_epoll_lt(void) { run_event_loop(EL_EPOLL_LT); }
static void run_epoll_et(void) { run_event_loop(EL_EPOLL_ET); }
static void run_epoll_mixed(void) { run_event_loop(EL_EPOLL_MIXED); }
static void run_epoll_oneshot(void) { run_event_loop(EL_EPOLL_ONESHOT); }
static void run_epoll_et_oneshot(void) { run_event_loop(EL_EPOLL_ET_ONESHOT); }
static void run_epoll_accept_one(void) { run_event_loop(EL_EPOLL_ACCEPT_ONE); }

static const struct {
	const char *name;
	void (*run)(void);
} modes[] = {
	{"blocking", run_blocking},
	{"busy-poll", run_busy_poll},
	{"busy-poll-epoll", run_busy_poll_epoll},
	{"zero-timeout-loaded", run_zero_timeout_loaded},
	{"epoll-et-drain", run_epoll_et_drain},
	{"io_uring", run_io_uring},
	{"epoll-lt", run_epoll_lt},
	{"epoll-et", run_epoll_et},
	{"epoll-mixed", run_epoll_mixed},
	{"epoll-oneshot", run_epoll_oneshot},
	{"epoll-et-oneshot", run_epoll_et_oneshot},
	{"epoll-accept-one", run_epoll_accept_one},
	{"poll", run_poll},
	{"select", run_select},
	{"idle", run_idle},
	{"idle-waits", run_idle_waits},
	{"mixed-threads", run_mixed_threads},
};

static __attribute__((noreturn)) void usage(void)
{
	uputs(2, "usage: models MODE [--wait]\nmodes:");
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		uputs(2, " ");
		uputs(2, modes[i].name);
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
	signal(SIGPIPE, SIG_IGN);
	fill_messages();
	for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
		if (strcmp(name, modes[i].name) != 0)
			continue;
		g_scenario = modes[i].name;
		if (wait)
			wait_for_go();
		modes[i].run();
		_exit(0);
	}
	usage();
}
