// SPDX-License-Identifier: GPL-2.0
/*
 * poll and ppoll. At entry: the fds watched (entries with fd >= 0). At
 * exit: the copy costs, and every entry whose revents say readable or
 * writable goes through report_fd. exit_poll_basic skips that walk.
 */
#include "waits.bpf.h"

/* struct pollfd { int fd; short events; short revents; } as one word */
static __always_inline __u16 pollfd_revents(__u64 e)
{
	return (__u16)(e >> 48);
}

/* count the entries with fd >= 0, a chunk at a time */
struct pollcount_ctx {
	__u64 uptr;
	__u64 nfds;
	__u64 watched;
	__u32 failed;
};

static long pollcount_chunk(__u32 i, struct pollcount_ctx *c)
{
	struct scratch *s = scratch_get();
	long n;

	if (!s)
		return 1;
	n = chunk_read(s, c->uptr, i, c->nfds, POLL_CHUNK, 8);
	if (n <= 0) {
		c->failed |= n < 0;
		return 1;
	}
	for (__u32 k = 0; k < POLL_CHUNK; k++) {
		if (k >= n)
			break;
		if ((__s32)(__u32)s->w[k] >= 0)
			c->watched++;
	}
	return 0;
}

SEC("raw_tp")
int enter_poll(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 a[5], chunks;
	struct task_struct *task;
	struct inflight *f = enter_begin(ctx, a, &task);
	struct pollcount_ctx c = { .uptr = a[0], .nfds = (__u32)a[1] };
	bool zero;

	if (!f)
		return 0;
	/* poll's timeout is milliseconds, ppoll's a timespec */
	zero = f->sys == IOT_POLL ? (int)a[2] == 0 : zero_time(a[2]);
	f->nfds = c.nfds;
	chunks = (c.nfds + POLL_CHUNK - 1) / POLL_CHUNK;
	if (chunks > POLL_MAX_CHUNKS) {
		count_lost(IOT_LOST_BOUND);
		f->bad_read = 1;
	} else {
		bpf_loop(chunks, pollcount_chunk, &c, 0);
		if (c.failed) {
			count_lost(IOT_LOST_USER_READ);
			f->bad_read = 1;
		}
	}
	f->watched = c.watched;
	f->ptr = a[0];
	wait_begin(f, task, thread_waiter(f), zero);
	return 0;
}

/* The walk over the results, one step per iteration: while the current
 * chunk has entries left to report, report the lowest; else read the next
 * chunk and mark its readable or writable entries. One flat loop, its state
 * in the per-CPU scratch. */
struct pollres_ctx {
	__u64 uptr;
	__u64 nfds;
	__u64 seq;
	__u32 tgid, waiter;
};

static long pollres_step(__u32 i, struct pollres_ctx *c)
{
	struct scratch *s = scratch_get();
	__u64 low, e, pending = 0;
	__u32 k, what;
	__u16 rev;
	long n;

	if (!s)
		return 1;
	if (!s->pending) {
		n = chunk_read(s, c->uptr, s->next, c->nfds, POLL_CHUNK, 8);
		if (n <= 0) {
			s->failed |= n < 0;
			return 1;
		}
		s->next++;
		/* no call in this loop: cheap to verify */
		for (k = 0; k < POLL_CHUNK; k++) {
			if (k >= n)
				break;
			e = s->w[k];
			if ((__s32)(__u32)e >= 0 && (pollfd_revents(e) & (POLLIN | POLLOUT)))
				pending |= 1ULL << k;
		}
		s->pending = pending;
		return 0;
	}
	low = s->pending & -s->pending;
	s->pending &= ~low;
	e = s->w[bit_index(low)];
	rev = pollfd_revents(e);
	what = ((rev & POLLIN) ? REPORT_READABLE : 0) | ((rev & POLLOUT) ? REPORT_WRITABLE : 0);
	tally_add(&s->t, report_fd(c->tgid, c->waiter, (__s32)(__u32)e, REPORT(what, IOT_TRIG_POLL), c->seq));
	return 0;
}

static __always_inline int poll_exit(struct bpf_raw_tracepoint_args *ctx, bool walk)
{
	struct task_struct *task;
	struct inflight *f;
	long ret;
	struct iot_proc *p;

	p = exit_start(ctx, &f, &ret, &task);
	if (!p)
		return 0;
	wait_common(p, f, ret, task);
	if (bad_args(ret))
		return 0;
	p->wait_scanned += f->nfds;
	p->copy_wait_in += f->nfds * 8;
	/* revents go back even when a signal cut the wait short */
	if (ret >= 0 || ret == -EINTR || ret == -ERESTARTNOHAND)
		p->copy_wait_out += f->nfds * 2;
	if (walk && ret > 0 && !f->bad_read) {
		struct pollres_ctx c = { .uptr = f->ptr, .nfds = f->nfds, .seq = f->seq,
					 .tgid = f->id >> 32, .waiter = f->waiter };
		struct scratch *s = walk_begin();

		if (!s)
			return 0;
		/* a read per chunk, a step per entry reported (at most ret) */
		bpf_loop((f->nfds + POLL_CHUNK - 1) / POLL_CHUNK + ret, pollres_step, &c, 0);
		walk_end(p, s);
	}
	return 0;
}

SEC("raw_tp")
int exit_poll(struct bpf_raw_tracepoint_args *ctx)
{
	return poll_exit(ctx, true);
}

SEC("raw_tp")
int exit_poll_basic(struct bpf_raw_tracepoint_args *ctx)
{
	return poll_exit(ctx, false);
}
