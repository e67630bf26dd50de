/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the three wait families (select, poll, epoll) share at entry and
 * exit: the waiter's call number, whether the wait slept, and how long it
 * was off CPU.
 */
#ifndef IOTRACE_WAITS_BPF_H
#define IOTRACE_WAITS_BPF_H

#include "readiness.bpf.h"

/* ------------------------------------------------------------- off-CPU */

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

/* ---------------------------------------------------------------- entry */

/* Every wait: its waiter's call number, and the state that tells at exit
 * whether it slept (voluntary switches) and how long it was off CPU. */
static __always_inline void wait_begin(struct inflight *f, struct task_struct *task, __u32 waiter,
				       bool zero_timeout)
{
	__u64 id = f->id;

	f->waiter = waiter;
	f->zero_timeout = zero_timeout;
	f->seq = waiter_begin(id >> 32, waiter, f->pslot, (__u32)id);
	f->nvcsw = nvcsw_of(task);
	offcpu_begin((__u32)id);
	enter_done(f);
}

static __always_inline __u32 thread_waiter(struct inflight *f)
{
	return (__u32)f->id | WAITER_THREAD;
}

/* ----------------------------------------------------------------- exit */

/* What every wait adds at exit, to its process and its thread. */
static __always_inline void wait_common(struct iot_proc *p, struct inflight *f, long ret, struct task_struct *task)
{
	__u64 id = f->id, off = 0;
	struct iot_thread *t = thread_counters(f->tslot, id);
	bool woke = nvcsw_of(task) != f->nvcsw;

	if (ret == 0)
		p->wait_empty++;
	else if (ret > 0)
		p->wait_ready += ret;
	if (!f->bad_read && !bad_args(ret))
		p->wait_watched += f->watched;
	/* a voluntary switch inside the call: it blocked, and is back, so woken */
	if (woke)
		p->wait_wakeups++;
	p->wait_zero_timeout += f->zero_timeout;
	/* a zero-timeout wait that returned events did work: only empty ones are futile */
	p->wait_zero_timeout_empty += f->zero_timeout & (ret == 0);
	if (offcpu_end((__u32)id, &off))
		p->wait_cpu_ns += f->dur > off ? f->dur - off : 0;
	else
		count_lost(IOT_LOST_OFFCPU_SLOT);
	if (t) {
		t->waits++;
		t->ready += ret > 0 ? ret : 0;
		t->wakeups += woke;
		t->zero_timeout += f->zero_timeout;
		t->zero_timeout_empty += f->zero_timeout & (ret == 0);
		if (f->sys <= IOT_PSELECT6)
			t->select_waits++;
		else if (f->sys <= IOT_PPOLL)
			t->poll_waits++;
		else
			t->epoll_waits++;
	}
}

/* Zeroes the per-CPU walk state before a wait's results are walked. */
static __always_inline struct scratch *walk_begin(void)
{
	struct scratch *s = scratch_get();

	if (s) {
		s->rw = s->ww = s->base = s->next = s->pending = 0;
		s->failed = s->unknown = 0;
		__builtin_memset(&s->t, 0, sizeof(s->t));
	}
	return s;
}

/* After the walk: its tallies into the process's counters, its failures lost. */
static __always_inline void walk_end(struct iot_proc *p, struct scratch *s)
{
	if (s->failed)
		count_lost(IOT_LOST_USER_READ);
	if (s->unknown)
		count_lost_n(IOT_LOST_UNKNOWN_REG, s->unknown);
	tally_apply(p, &s->t);
}

#endif /* IOTRACE_WAITS_BPF_H */
