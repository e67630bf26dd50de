// SPDX-License-Identifier: GPL-2.0
/*
 * The readiness functions every wait family calls (declared in
 * readiness.bpf.h). They are global: the verifier checks each one once per
 * program, with its arguments as unknown values, instead of at every call
 * site inside the loops over wait results.
 */
#include "readiness.bpf.h"
#include "fdkind.bpf.h"

static const struct waiter zero_waiter;
static const struct wstate zero_wstate;

static const struct iot_fd zero_fd;

/* Made when a wait first reports the fd: classified here, once, in place
 * (an iot_fd built on the stack would take a quarter of the 512 bytes that
 * the whole call chain, loop callback included, may use on Linux 6.1). */
static __noinline struct iot_fd *fd_state_make(__u32 tgid, __s32 fd)
{
	struct iot_fd_key k = { .tgid = tgid, .fd = fd };
	struct iot_fd *s = bpf_map_lookup_elem(&fds, &k);

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
	bpf_map_update_elem(&fds, &k, &zero_fd, BPF_NOEXIST);
	s = bpf_map_lookup_elem(&fds, &k);
	if (!s) {
		count_lost(IOT_LOST_FD_MAP_FULL);
		return NULL;
	}
	classify_fd(fd, s);
	return s;
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

__noinline __u64 waiter_begin(__u32 tgid, __u32 id, __u32 pslot, __u32 tid)
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
	/* which threads wait on it: one load but at a new thread's first wait */
	if (w->tids != tid && w->tids != TIDS_SEVERAL) {
		__u32 old = __sync_val_compare_and_swap(&w->tids, 0, tid);

		if (old && old != tid)
			w->tids = TIDS_SEVERAL;
	}
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

/* ------------------------------------------------------------ reports */

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
			/* notifications before this one: with none, nothing to judge */
			__u64 earlier = __sync_fetch_and_add(&s->et_notifications, 1);

			waiter_add_pending(tgid, id, fd, s);
			r |= R_ET;
			/* judged per fd, not per waiter: the previous notification's
			 * data was neither drained (by any thread) nor closed, so it
			 * sat until this new edge */
			if (earlier && s->et_drains_at_notify == s->drains && s->et_closes_at_notify == s->closes) {
				__sync_fetch_and_add(&s->et_stalls, 1);
				r |= R_ET_STALL;
			}
			s->et_drains_at_notify = s->drains;
			s->et_closes_at_notify = s->closes;
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

__noinline int ep_event_report(__u32 tgid, __s32 epfd, __u32 events, __u64 data, __u64 seq)
{
	struct iot_ep_data_key key = { .tgid = tgid, .epfd = epfd, .data = data };
	struct iot_ep_reg *reg = bpf_map_lookup_elem(&ep_by_data, &key);
	__u32 what, trig;

	/* Being made (maps.bpf.h): an ADD or MOD records it live before it
	 * takes it out of ep_making, so it is looked up live again after a
	 * miss there (it may have moved between the two lookups). Or taken out
	 * since this wait began (its call number is not past the removal's):
	 * in ep_limbo before it left the live map. */
	if (!reg) {
		reg = bpf_map_lookup_elem(&ep_making, &key);
		if (!reg)
			reg = bpf_map_lookup_elem(&ep_by_data, &key);
	}
	if (!reg) {
		struct ep_limbo *l = bpf_map_lookup_elem(&ep_limbo, &key);

		if (l && seq <= l->until_seq)
			reg = &l->reg;
	}
	if (!reg) {
		/* A child forked since attaching waits on the epoll instance it
		 * inherited before user space has copied the registrations (at
		 * the fork event): they are still its parent's, under the same
		 * epoll fd number. */
		key.tgid = BPF_CORE_READ(bpf_get_current_task_btf(), real_parent, tgid);
		reg = bpf_map_lookup_elem(&ep_by_data, &key);
	}
	if (!reg)
		return -1;
	trig = (reg->events & EPOLLET) ? IOT_TRIG_ET : (reg->events & EPOLLONESHOT) ? IOT_TRIG_ONESHOT : IOT_TRIG_LT;
	what = ((events & EPOLLIN) ? REPORT_READABLE : 0) | ((events & EPOLLOUT) ? REPORT_WRITABLE : 0);
	if (!what)
		return 0;
	/* EPOLLONESHOT is a flag of its own: with EPOLLET the trigger says et */
	return report_fd(tgid, (__u32)epfd, reg->fd,
			 REPORT(what | ((reg->events & EPOLLONESHOT) ? REPORT_ONESHOT : 0), trig), seq);
}

/* fd was closed. now == 0: marks its registrations on each of the
 * process's epoll fds closed, and returns how many there are to forget (an
 * epoll fd's slot counts one). now == 1 (the file released since): those
 * still marked go, and an epoll fd closed frees its slot (its own
 * registrations die with it). */
__noinline int ep_forget_fd(__u32 tgid, __s32 fd, __u32 now)
{
	struct iot_proc_epfds *e = bpf_map_lookup_elem(&proc_epfds, &tgid);
	int n = 0;

	if (!e)
		return 0;
	for (int i = 0; i < IOT_MAX_EPFDS; i++) {
		struct iot_ep_fd_key fk = { .tgid = tgid, .fd = fd };
		struct iot_ep_reg *reg;
		__s32 epfd = e->epfd[i];

		if (epfd < 0)
			continue;
		if (epfd == fd) {
			if (now)
				e->epfd[i] = -1;
			n++;
			continue;
		}
		fk.epfd = epfd;
		reg = bpf_map_lookup_elem(&ep_by_fd, &fk);
		if (!reg)
			continue;
		if (!now)
			reg->closed = 1;
		else if (reg->closed)
			ep_unregister(tgid, epfd, fd);
		n++;
	}
	return n;
}
