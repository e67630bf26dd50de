/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Readiness: which fd each wait result is about, and what the process did
 * with it before its next wait. Definitions in docs/readiness.md.
 *
 * Generation counters make this cheap: every fd counts its reads, drains,
 * writes and closes (iot_fd); a (waiter, fd) pair remembers the counts at the
 * last report (wstate). At the next report the pair only compares numbers:
 * "reported by the previous wait too, and no drain since" is an LT re-report;
 * "and no read at all since" makes it unread.
 */
#ifndef IOTRACE_READINESS_BPF_H
#define IOTRACE_READINESS_BPF_H

#include "fdkind.bpf.h"

#define EPOLLIN 0x001
#define EPOLLOUT 0x004
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define POLLIN 0x001
#define POLLOUT 0x004
#define EPOLL_CTL_DEL 2

#define REPORT_READABLE 1u
#define REPORT_WRITABLE 2u
#define REPORT_ONESHOT 4u /* not a report: the epoll registration has EPOLLONESHOT */

/* select/poll waiters are threads, epoll waiters are epoll fds */
#define WAITER_THREAD 0x80000000u

#define ET_PENDING_MAX 32
#define OFFCPU_SLOTS 65536
#define EPOLL_EVENTS_MAX 65536

struct waiter_key {
	__u32 tgid;
	__u32 id; /* epfd, or tid | WAITER_THREAD */
};

struct et_pending {
	__s32 fd;
	__u32 pad;
	__u64 drains; /* the fd's drains and closes at the notification */
	__u64 closes;
};

struct waiter {
	__u64 seq; /* wait calls so far */
	__u32 npending;
	__u32 pad;
	struct et_pending pending[ET_PENDING_MAX]; /* ET notifications of the last wait */
};

struct wstate_key {
	__u32 tgid;
	__u32 waiter;
	__s32 fd;
	__u32 pad;
};

struct wstate {
	__u64 seq_r; /* the waiter's wait that last reported the fd readable */
	__u64 reads_r, drains_r, closes_r;
	__u64 seq_w; /* ... writable */
	__u64 writes_w, closes_w;
	__u32 tid_r; /* the thread that wait ran on (epoll waiters are shared) */
	__u32 pad;
};

struct offcpu_slot {
	__u32 tid;
	__u32 pad;
	__u64 out_ts; /* switched out at, 0 while on CPU */
	__u64 off_ns; /* switched-out time during the current wait */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct iot_fd_key);
	__type(value, struct iot_fd);
} fds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct waiter_key);
	__type(value, struct waiter);
} waiters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct wstate_key);
	__type(value, struct wstate);
} wstates SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct iot_thread);
} threads SEC(".maps");

/* Per-thread figures in array slots, so the hot path indexes an array
 * instead of looking up a hash: a thread takes a slot from free_tslots at its
 * first traced call and caches it in its in-flight storage. Only the thread
 * writes its slot (no atomics). It marks the slot exited when it exits; user
 * space, which reads the array through mmap, keeps the figures and zeroes and
 * frees the slot. Threads that find no free slot use the `threads` hash. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* set by user space */
	__type(key, __u32);
	__type(value, struct iot_thread);
} thread_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 1); /* set by user space, which pushes every slot */
	__type(value, __u32);
} free_tslots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct iot_ep_data_key);
	__type(value, struct iot_ep_reg);
} ep_by_data SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct iot_ep_fd_key);
	__type(value, struct iot_ep_reg);
} ep_by_fd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct iot_proc_epfds);
} proc_epfds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OFFCPU_SLOTS);
	__type(key, __u32);
	__type(value, struct offcpu_slot);
} offcpu SEC(".maps");

static const struct waiter zero_waiter;
static const struct wstate zero_wstate;

/* ------------------------------------------------------------ fd state */

static __always_inline struct iot_fd *fd_state_get(__u32 tgid, __s32 fd)
{
	struct iot_fd_key k = { .tgid = tgid, .fd = fd };

	return bpf_map_lookup_elem(&fds, &k);
}

/* Made when a wait first reports the fd: classified here, once. */
static __noinline struct iot_fd *fd_state_make(__u32 tgid, __s32 fd)
{
	struct iot_fd_key k = { .tgid = tgid, .fd = fd };
	struct iot_fd *s = bpf_map_lookup_elem(&fds, &k), init = {};

	if (s) {
		if (s->stale) {
			/* a reused number: forget the old file's addresses */
			__builtin_memset(s->local, 0, sizeof(s->local));
			__builtin_memset(s->peer, 0, sizeof(s->peer));
			s->local_port = 0;
			s->peer_port = 0;
			classify_fd(fd, s);
			s->stale = 0;
		}
		return s;
	}
	classify_fd(fd, &init);
	bpf_map_update_elem(&fds, &k, &init, BPF_NOEXIST);
	s = bpf_map_lookup_elem(&fds, &k);
	if (!s)
		count_lost(IOT_LOST_FD_MAP_FULL);
	return s;
}

/* A read-family call on fd returned ret, delivering bytes; drained says it
 * emptied the fd (EAGAIN, EOF, or less than asked). */
static __always_inline void fd_note_read(__u32 tgid, __s32 fd, long ret, __u64 bytes, bool drained)
{
	struct iot_fd *s = fd_state_get(tgid, fd);

	if (!s)
		return;
	__sync_fetch_and_add(&s->reads, 1);
	if (bytes)
		__sync_fetch_and_add(&s->bytes, bytes);
	if (ret == -EAGAIN)
		__sync_fetch_and_add(&s->eagain, 1);
	if (drained)
		__sync_fetch_and_add(&s->drains, 1);
}

/* accept on a listening fd is its read: EAGAIN means the queue is drained. */
static __always_inline void fd_note_accept(__u32 tgid, __s32 fd, long ret)
{
	struct iot_fd *s = fd_state_get(tgid, fd);

	if (!s)
		return;
	__sync_fetch_and_add(&s->reads, 1);
	if (ret == -EAGAIN) {
		__sync_fetch_and_add(&s->eagain, 1);
		__sync_fetch_and_add(&s->drains, 1);
	}
}

static __always_inline void fd_note_write(__u32 tgid, __s32 fd)
{
	struct iot_fd *s = fd_state_get(tgid, fd);

	if (s)
		__sync_fetch_and_add(&s->writes, 1);
}

/* ------------------------------------------------------------ threads */

static __always_inline struct iot_thread *thread_get(__u32 tgid, __u32 tid)
{
	struct iot_thread *t = bpf_map_lookup_elem(&threads, &tid), init = {};

	if (t)
		return t;
	init.tgid = tgid;
	bpf_get_current_comm(init.comm, sizeof(init.comm));
	bpf_map_update_elem(&threads, &tid, &init, BPF_NOEXIST);
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		count_lost(IOT_LOST_FD_MAP_FULL);
	return t;
}

#define TSLOT_HASH 0xffffffffu /* no slot: the thread is counted in threads */

/* A slot for the current thread (+ 1), or TSLOT_HASH. Once per thread. */
static __noinline __u32 thread_slot_take(__u32 tgid, __u32 tid)
{
	struct iot_thread *t;
	__u32 slot;

	if (bpf_map_pop_elem(&free_tslots, &slot))
		return TSLOT_HASH;
	t = bpf_map_lookup_elem(&thread_stats, &slot);
	if (!t)
		return TSLOT_HASH;
	bpf_get_current_comm(t->comm, sizeof(t->comm));
	t->tid = tid;
	t->exited = 0;
	t->tgid = tgid; /* last: user space skips slots with tgid 0 */
	return slot + 1;
}

/* The thread's figures: its slot, else its threads entry. */
static __always_inline struct iot_thread *thread_counters(__u32 tslot, __u64 id)
{
	if (tslot && tslot != TSLOT_HASH) {
		__u32 k = tslot - 1;

		return bpf_map_lookup_elem(&thread_stats, &k);
	}
	return thread_get(id >> 32, (__u32)id);
}

/* ------------------------------------------------------------ waiters */

struct pending_ctx {
	struct waiter *w;
	__u32 tgid;
	__u32 n;
	__u32 undrained;
};

static long pending_check(__u32 i, struct pending_ctx *c)
{
	struct et_pending *pe;
	struct iot_fd *s;

	if (i >= c->n || i >= ET_PENDING_MAX)
		return 1;
	pe = &c->w->pending[i];
	s = fd_state_get(c->tgid, pe->fd);
	if (s && s->drains == pe->drains && s->closes == pe->closes) {
		__sync_fetch_and_add(&s->et_undrained, 1);
		c->undrained++;
	}
	return 0;
}

/* A waiter starts a wait: returns its sequence number, and judges the ET
 * notifications of its previous wait (was each fd drained since?). Global:
 * verified once. */
__noinline __u64 waiter_begin(__u32 tgid, __u32 id, __u32 pslot)
{
	struct waiter_key k = { .tgid = tgid, .id = id };
	struct waiter *w = bpf_map_lookup_elem(&waiters, &k);
	struct pending_ctx c = { .tgid = tgid };
	__u64 seq;

	if (!w) {
		bpf_map_update_elem(&waiters, &k, &zero_waiter, BPF_NOEXIST);
		w = bpf_map_lookup_elem(&waiters, &k);
		if (!w) {
			count_lost(IOT_LOST_FD_MAP_FULL);
			return 0;
		}
	}
	seq = __sync_add_and_fetch(&w->seq, 1);
	c.w = w;
	c.n = w->npending;
	w->npending = 0;
	if (c.n) {
		struct iot_proc *p;

		bpf_loop(c.n, pending_check, &c, 0);
		/* no branch on c.undrained: a count the verifier must track
		 * precisely keeps it from converging on the loop */
		p = proc_counters(tgid, pslot);
		if (p)
			p->et_undrained += c.undrained;
	}
	return seq;
}

static __always_inline void waiter_add_pending(__u32 tgid, __u32 id, __s32 fd, struct iot_fd *s)
{
	struct waiter_key k = { .tgid = tgid, .id = id };
	struct waiter *w = bpf_map_lookup_elem(&waiters, &k);
	__u32 n;

	if (!w)
		return;
	n = w->npending;
	if (n >= ET_PENDING_MAX) {
		count_lost(IOT_LOST_ET_PENDING);
		return;
	}
	w->pending[n].fd = fd;
	w->pending[n].drains = s->drains;
	w->pending[n].closes = s->closes;
	w->npending = n + 1;
}

/* Result bits of report_fd, summed into the process's counters by callers. */
#define R_LT_UNREAD 1
#define R_LT_PARTIAL 2
#define R_WRITE_RE 4
#define R_ET 8
#define R_HERD 16

#define REPORT(what, trigger) ((what) | ((trigger) << 8))

/*
 * A wait of waiter `id` (its call number seq) reported fd readable and/or
 * writable: how = REPORT(REPORT_READABLE|REPORT_WRITABLE, enum iot_trigger),
 * with REPORT_ONESHOT added for an EPOLLONESHOT registration.
 * Global (not static) so the verifier checks it once, not at every call site
 * inside the loops.
 */
__noinline int report_fd(__u32 tgid, __u32 id, __s32 fd, __u32 how, __u64 seq)
{
	__u32 what = how & 0xff, trigger = how >> 8;
	struct wstate_key wk = { .tgid = tgid, .waiter = id, .fd = fd };
	struct iot_fd *s;
	struct wstate *ws;
	int r = 0;
	bool lt = trigger != IOT_TRIG_ET;
	__u32 tid = (__u32)bpf_get_current_pid_tgid();

	if (fd < 0 || !seq)
		return 0;
	s = fd_state_make(tgid, fd);
	if (!s)
		return 0;
	ws = bpf_map_lookup_elem(&wstates, &wk);
	if (!ws) {
		bpf_map_update_elem(&wstates, &wk, &zero_wstate, BPF_NOEXIST);
		ws = bpf_map_lookup_elem(&wstates, &wk);
		if (!ws) {
			count_lost(IOT_LOST_FD_MAP_FULL);
			return 0;
		}
	}
	s->trigger = trigger;
	s->oneshot = !!(what & REPORT_ONESHOT);
	if (what & REPORT_READABLE) {
		__sync_fetch_and_add(&s->reported, 1);
		if (lt && ws->seq_r && ws->seq_r + 1 == seq && ws->drains_r == s->drains &&
		    ws->closes_r == s->closes) {
			if (ws->reads_r == s->reads) {
				__sync_fetch_and_add(&s->lt_rereports_unread, 1);
				r |= R_LT_UNREAD;
			} else {
				__sync_fetch_and_add(&s->lt_rereports_partial, 1);
				r |= R_LT_PARTIAL;
			}
		}
		if (!lt) {
			__sync_fetch_and_add(&s->et_notifications, 1);
			waiter_add_pending(tgid, id, fd, s);
			r |= R_ET;
		}
		/* an epoll fd's waits run on any thread: handed to this one while
		 * the thread it was last handed to has not read it (nor closed it) */
		if (!(id & WAITER_THREAD) && ws->tid_r && ws->tid_r != tid && ws->reads_r == s->reads &&
		    ws->closes_r == s->closes) {
			__sync_fetch_and_add(&s->herd_rereports, 1);
			r |= R_HERD;
		}
		ws->tid_r = tid;
		ws->seq_r = seq;
		ws->reads_r = s->reads;
		ws->drains_r = s->drains;
		ws->closes_r = s->closes;
	}
	if (what & REPORT_WRITABLE) {
		__sync_fetch_and_add(&s->reported, 1);
		if (lt && ws->seq_w && ws->seq_w + 1 == seq && ws->writes_w == s->writes &&
		    ws->closes_w == s->closes) {
			__sync_fetch_and_add(&s->write_rereports, 1);
			r |= R_WRITE_RE;
		}
		ws->seq_w = seq;
		ws->writes_w = s->writes;
		ws->closes_w = s->closes;
	}
	return r;
}

/* Per-wait tallies, added to the process's counters once after the loop. */
struct tally {
	__u64 lt_unread, lt_partial, write_re, et, herd;
};

static __always_inline void tally_add(struct tally *t, int r)
{
	t->lt_unread += !!(r & R_LT_UNREAD);
	t->lt_partial += !!(r & R_LT_PARTIAL);
	t->write_re += !!(r & R_WRITE_RE);
	t->et += !!(r & R_ET);
	t->herd += !!(r & R_HERD);
}

static __always_inline void tally_apply(struct iot_proc *p, struct tally *t)
{
	p->lt_rereports_unread += t->lt_unread;
	p->lt_rereports_partial += t->lt_partial;
	p->write_rereports_unwritten += t->write_re;
	p->et_notifications += t->et;
	p->herd_rereports += t->herd;
}

/* ------------------------------------------------------ epoll registrations */

static __always_inline void epfd_remember(__u32 tgid, __s32 epfd)
{
	struct iot_proc_epfds *e = bpf_map_lookup_elem(&proc_epfds, &tgid), init;

	if (!e) {
		for (int i = 0; i < IOT_MAX_EPFDS; i++)
			init.epfd[i] = -1;
		bpf_map_update_elem(&proc_epfds, &tgid, &init, BPF_NOEXIST);
		e = bpf_map_lookup_elem(&proc_epfds, &tgid);
		if (!e)
			return;
	}
	for (int i = 0; i < IOT_MAX_EPFDS; i++)
		if (e->epfd[i] == epfd)
			return;
	for (int i = 0; i < IOT_MAX_EPFDS; i++) {
		if (e->epfd[i] < 0) {
			e->epfd[i] = epfd;
			return;
		}
	}
	count_lost(IOT_LOST_EPFD_SLOTS);
}

static __always_inline void ep_unregister(__u32 tgid, __s32 epfd, __s32 fd)
{
	struct iot_ep_fd_key fk = { .tgid = tgid, .epfd = epfd, .fd = fd };
	struct iot_ep_reg *reg = bpf_map_lookup_elem(&ep_by_fd, &fk);
	struct iot_ep_data_key dk = { .tgid = tgid, .epfd = epfd };
	struct iot_ep_reg *cur;

	if (!reg)
		return;
	dk.data = reg->data;
	/* the data key may since name another fd's registration */
	cur = bpf_map_lookup_elem(&ep_by_data, &dk);
	if (cur && cur->fd == fd)
		bpf_map_delete_elem(&ep_by_data, &dk);
	bpf_map_delete_elem(&ep_by_fd, &fk);
}

static __always_inline void ep_register(__u32 tgid, __s32 epfd, __s32 fd, __u32 events, __u64 data)
{
	struct iot_ep_fd_key fk = { .tgid = tgid, .epfd = epfd, .fd = fd };
	struct iot_ep_data_key dk = { .tgid = tgid, .epfd = epfd, .data = data };
	struct iot_ep_reg reg = { .fd = fd, .events = events, .data = data };

	ep_unregister(tgid, epfd, fd); /* MOD may change data */
	if (bpf_map_update_elem(&ep_by_fd, &fk, &reg, BPF_ANY) ||
	    bpf_map_update_elem(&ep_by_data, &dk, &reg, BPF_ANY))
		count_lost(IOT_LOST_FD_MAP_FULL);
	epfd_remember(tgid, epfd);
}

/* close(fd): its registrations go (the common case of one reference to the
 * file), and its figures stop chaining re-reports across the reuse. */
static __always_inline void fd_closed(__u32 tgid, __s32 fd)
{
	struct iot_proc_epfds *e = bpf_map_lookup_elem(&proc_epfds, &tgid);
	struct iot_fd *s = fd_state_get(tgid, fd);

	if (s) {
		__sync_fetch_and_add(&s->closes, 1);
		s->stale = 1;
	}
	if (!e)
		return;
	for (int i = 0; i < IOT_MAX_EPFDS; i++) {
		__s32 epfd = e->epfd[i];

		if (epfd < 0)
			continue;
		if (epfd == fd) {
			e->epfd[i] = -1; /* its registrations die with it */
			continue;
		}
		ep_unregister(tgid, epfd, fd);
	}
}

/* -------------------------------------------------------------- off-CPU */

static __always_inline void offcpu_begin(__u32 tid)
{
	__u32 k = tid & (OFFCPU_SLOTS - 1);
	struct offcpu_slot *s = bpf_map_lookup_elem(&offcpu, &k);

	if (s) {
		s->tid = tid;
		s->out_ts = 0;
		s->off_ns = 0;
	}
}

/* Time switched out during the wait; false if another thread took the slot. */
static __always_inline bool offcpu_end(__u32 tid, __u64 *off)
{
	__u32 k = tid & (OFFCPU_SLOTS - 1);
	struct offcpu_slot *s = bpf_map_lookup_elem(&offcpu, &k);

	if (!s || s->tid != tid)
		return false;
	*off = s->off_ns;
	s->tid = 0;
	return true;
}

#endif /* IOTRACE_READINESS_BPF_H */
