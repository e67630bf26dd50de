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
 *
 * The global functions (report_fd, waiter_begin, ep_event_report) live in
 * readiness.bpf.c: the verifier checks each once per program, not at every
 * call site. The inline helpers below are what the receive, send, close and
 * epoll_ctl programs need.
 */
#ifndef IOTRACE_READINESS_BPF_H
#define IOTRACE_READINESS_BPF_H

#include "common.bpf.h"

#define REPORT_READABLE 1u
#define REPORT_WRITABLE 2u
#define REPORT_ONESHOT 4u /* not a report: the epoll registration has EPOLLONESHOT */

/* Result bits of report_fd, summed into the process's counters by callers. */
#define R_LT_UNREAD 1
#define R_LT_PARTIAL 2
#define R_WRITE_RE 4
#define R_ET 8
#define R_HERD 16
#define R_ET_STALL 32

#define REPORT(what, trigger) ((what) | ((trigger) << 8))

/* A wait of waiter `id` (its call number seq) reported fd readable and/or
 * writable: how = REPORT(REPORT_READABLE|REPORT_WRITABLE, enum iot_trigger),
 * with REPORT_ONESHOT for an EPOLLONESHOT registration. Returns R_* bits. */
extern int report_fd(__u32 tgid, __u32 id, __s32 fd, __u32 how, __u64 seq);

/* A waiter starts a wait on thread tid: returns its sequence number, and
 * judges the ET notifications of its previous wait (was each fd drained
 * since?). */
extern __u64 waiter_begin(__u32 tgid, __u32 id, __u32 pslot, __u32 tid);

/* One epoll event: its fd named through the registration's data, then
 * report_fd. Returns report_fd's result, or -1 when the registration is
 * unknown. */
extern int ep_event_report(__u32 tgid, __s32 epfd, __u32 events, __u64 data, __u64 seq);

static __always_inline struct iot_fd *fd_state_get(__u32 tgid, __s32 fd)
{
	struct iot_fd_key k = { .tgid = tgid, .fd = fd };

	return bpf_map_lookup_elem(&fds, &k);
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

/* ------------------------------------------------------------ tallies */

static __always_inline void tally_add(struct tally *t, int r)
{
	t->lt_unread += !!(r & R_LT_UNREAD);
	t->lt_partial += !!(r & R_LT_PARTIAL);
	t->write_re += !!(r & R_WRITE_RE);
	t->et += !!(r & R_ET);
	t->herd += !!(r & R_HERD);
	t->et_stall += !!(r & R_ET_STALL);
}

static __always_inline void tally_apply(struct iot_proc *p, struct tally *t)
{
	p->lt_rereports_unread += t->lt_unread;
	p->lt_rereports_partial += t->lt_partial;
	p->write_rereports_unwritten += t->write_re;
	p->et_notifications += t->et;
	p->herd_rereports += t->herd;
	p->et_stalls += t->et_stall;
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

/* A registration goes (DEL, close, MOD to other data): into limbo with the
 * waiter's call number now (maps.bpf.h, ep_limbo), before the live entry
 * goes, so a lookup that misses the one finds the other. A wait numbered
 * after it began after the removal, and cannot return the event. Only
 * another thread's wait can be returning it, and that wait began before
 * the removal (its waiter_begin noted its thread): with no wait yet, or
 * only this thread's ever, none can. */
static __always_inline void ep_bury(__u32 tgid, __s32 epfd, struct iot_ep_data_key *dk, struct iot_ep_reg *reg)
{
	struct waiter_key wk = { .tgid = tgid, .id = (__u32)epfd };
	struct waiter *w = bpf_map_lookup_elem(&waiters, &wk);
	struct ep_limbo l;

	if (!w || w->tids == (__u32)bpf_get_current_pid_tgid())
		return;
	l.reg = *reg;
	l.until_seq = w->seq;
	bpf_map_update_elem(&ep_limbo, dk, &l, BPF_ANY);
}

/* An ADD or MOD enters: its event may be returned before its exit records
 * it (ep_register), so it is in ep_making until then. Not when the live
 * entry already names fd (a MOD that keeps the data). True if it is. */
static __always_inline bool ep_expect(__u32 tgid, __s32 epfd, __s32 fd, __u32 events, __u64 data)
{
	struct iot_ep_data_key dk = { .tgid = tgid, .epfd = epfd, .data = data };
	struct iot_ep_reg *cur = bpf_map_lookup_elem(&ep_by_data, &dk);
	struct iot_ep_reg reg = { .fd = fd, .events = events, .data = data };

	return (!cur || cur->fd != fd) && !bpf_map_update_elem(&ep_making, &dk, &reg, BPF_ANY);
}

/* The ADD or MOD is over (its registration recorded, or failed): out of
 * ep_making, if still its own. */
static __always_inline void ep_expected(__u32 tgid, __s32 epfd, __s32 fd, __u64 data)
{
	struct iot_ep_data_key dk = { .tgid = tgid, .epfd = epfd, .data = data };
	struct iot_ep_reg *reg = bpf_map_lookup_elem(&ep_making, &dk);

	if (reg && reg->fd == fd)
		bpf_map_delete_elem(&ep_making, &dk);
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
	if (cur && cur->fd == fd) {
		ep_bury(tgid, epfd, &dk, cur);
		bpf_map_delete_elem(&ep_by_data, &dk);
	}
	bpf_map_delete_elem(&ep_by_fd, &fk);
}

static __always_inline void ep_register(__u32 tgid, __s32 epfd, __s32 fd, __u32 events, __u64 data)
{
	struct iot_ep_fd_key fk = { .tgid = tgid, .epfd = epfd, .fd = fd };
	struct iot_ep_data_key dk = { .tgid = tgid, .epfd = epfd, .data = data };
	struct iot_ep_reg reg = { .fd = fd, .events = events, .data = data };
	struct iot_ep_reg *old = bpf_map_lookup_elem(&ep_by_fd, &fk);

	/* MOD to other data: the old data's entry goes; with the same data
	 * both entries are overwritten in place (never missing meanwhile) */
	if (old && old->data != data)
		ep_unregister(tgid, epfd, fd);
	if (bpf_map_update_elem(&ep_by_fd, &fk, &reg, BPF_ANY) ||
	    bpf_map_update_elem(&ep_by_data, &dk, &reg, BPF_ANY))
		count_lost(IOT_LOST_FD_MAP_FULL);
	epfd_remember(tgid, epfd);
}

/* A successful epoll_ctl(epfd, op, fd, {events, data}) on the maps. */
static __always_inline void ep_ctl_done(__u32 tgid, __s32 epfd, __u64 op, __s32 fd, __u32 events, __u64 data)
{
	if (op == EPOLL_CTL_DEL)
		ep_unregister(tgid, epfd, fd);
	else
		ep_register(tgid, epfd, fd, events, data);
}

/* close(fd) returned: its figures stop chaining re-reports across the
 * reuse of the number. Its registrations go by ep_forget_fd, once the file
 * is released: see close_done. */
static __always_inline void fd_note_close(__u32 tgid, __s32 fd)
{
	struct iot_fd *s = fd_state_get(tgid, fd);

	if (s) {
		__sync_fetch_and_add(&s->closes, 1);
		s->stale = 1;
	}
}

/* A close of fd by the thread of f returned 0. Linux 6.1 releases the file
 * (and drops its epoll registrations) after the exit tracepoint, on the way
 * back to user space (newer kernels, 6.18 among them, inside the call):
 * until then another thread's wait can still return the fd's event. So
 * fd's registrations are only marked closed here, and go at the thread's
 * next probed call (enter_begin) or its exit, when the release is surely
 * done (the common case: one reference to the file). One made again
 * meanwhile under the reused number, by another thread, is not marked and
 * stays. */
static __always_inline void close_done(struct inflight *f, __u32 tgid, __s32 fd)
{
	fd_note_close(tgid, fd);
	/* nothing to forget (no registration left: Go deletes them first) */
	if (ep_forget_fd(tgid, fd, 0))
		f->closed_fd = fd + 1;
}

#endif /* IOTRACE_READINESS_BPF_H */
