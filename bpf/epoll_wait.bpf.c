// SPDX-License-Identifier: GPL-2.0
/*
 * epoll_wait, epoll_pwait and epoll_pwait2. At entry: the size of the
 * interest list, read from the epoll instance. At exit: every event goes
 * through ep_event_report (its fd named by the registration's data, then
 * report_fd). exit_epoll_wait_basic skips that walk.
 */
#include "waits.bpf.h"

/* Since Linux 6.4 eventpoll.refcount is 1 (the file) + 1 per epitem. */
struct eventpoll___v64 {
	refcount_t refcount;
} __attribute__((preserve_access_index));

/* The epoll instance's registrations, or -1 when it cannot be read. */
static __always_inline long interest_list_size(struct task_struct *task, int epfd)
{
	struct fdtable *fdt;
	struct file **fdarr, *file = NULL;
	void *ep;
	int refs;

	if (!bpf_core_field_exists(struct eventpoll___v64, refcount))
		return -2; /* this kernel does not say: user space marks watched unavailable */
	/* typed loads down to the fd array (no helper call); the array's
	 * element and what it points to need reads */
	fdt = task->files->fdt;
	if (!fdt || epfd < 0 || (unsigned int)epfd >= fdt->max_fds)
		return -1; /* EBADF ahead: nothing to add */
	fdarr = fdt->fd;
	if (bpf_probe_read_kernel(&file, sizeof(file), &fdarr[epfd]) || !file)
		return -1;
	ep = BPF_CORE_READ(file, private_data);
	if (!ep || bpf_probe_read_kernel(&refs, sizeof(refs), &((struct eventpoll___v64 *)ep)->refcount.refs.counter))
		return -1;
	return refs > 0 ? refs - 1 : 0;
}

SEC("raw_tp")
int enter_epoll_wait(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 a[5];
	struct task_struct *task;
	struct inflight *f = enter_begin(ctx, a, &task);
	int epfd;
	long n;
	bool zero;

	if (!f)
		return 0;
	epfd = (int)a[0];
	/* epoll_wait and epoll_pwait take milliseconds, epoll_pwait2 a timespec */
	zero = f->sys == IOT_EPOLL_PWAIT2 ? zero_time(a[3]) : (int)a[3] == 0;
	n = interest_list_size(task, epfd);
	f->watched = n > 0 ? n : 0;
	f->bad_read = n < 0;
	f->fd = epfd;
	f->ptr = a[1];
	wait_begin(f, task, (__u32)epfd, zero);
	return 0;
}

/* Events read at once: as many as fit the scratch (42 on x86-64). */
#define EPRES_CHUNK (sizeof(((struct scratch *)0)->w) / EPOLL_EVENT_SIZE)

/* Event i of the results: the first of each chunk reads the chunk. One
 * flat loop over the events, its state in the per-CPU scratch. */
struct epres_ctx {
	__u64 uptr;
	__u64 nevents;
	__u64 seq;
	__u32 tgid;
	__s32 epfd;
};

static long epres_step(__u32 i, struct epres_ctx *c)
{
	struct scratch *s = scratch_get();
	__u32 k = i % EPRES_CHUNK, events;
	const __u8 *ev;
	__u64 data;
	int r;

	if (!s)
		return 1;
	if (k == 0) {
		long n = chunk_read(s, c->uptr, i / EPRES_CHUNK, c->nevents, EPRES_CHUNK, EPOLL_EVENT_SIZE);

		if (n <= 0) {
			s->failed |= n < 0;
			return 1;
		}
	}
	/* the verifier does not bound a remainder: check it (after a
	 * barrier, or the compiler drops the check as always true) */
	barrier_var(k);
	if (k >= EPRES_CHUNK)
		return 1;
	ev = (const __u8 *)s->w + k * EPOLL_EVENT_SIZE;
	__builtin_memcpy(&events, ev, 4);
	__builtin_memcpy(&data, ev + EPOLL_EVENT_SIZE - 8, 8);
	r = ep_event_report(c->tgid, c->epfd, events, data, c->seq);
	s->unknown += r < 0;
	tally_add(&s->t, r < 0 ? 0 : r);
	return 0;
}

static __always_inline int epoll_wait_exit(struct bpf_raw_tracepoint_args *ctx, bool walk)
{
	struct task_struct *task;
	struct inflight *f;
	long ret;
	struct iot_proc *p;

	p = exit_start(ctx, &f, &ret, &task);
	if (!p)
		return 0;
	wait_common(p, f, ret, task);
	if (ret <= 0)
		return 0;
	p->wait_scanned += ret;
	p->copy_wait_out += ret * EPOLL_EVENT_SIZE;
	if (walk) {
		struct epres_ctx c = { .uptr = f->ptr, .nevents = ret, .seq = f->seq,
				       .tgid = f->id >> 32, .epfd = f->fd };
		struct scratch *s;

		if (ret > EPOLL_EVENTS_MAX) {
			count_lost(IOT_LOST_BOUND);
			return 0;
		}
		s = walk_begin();
		if (!s)
			return 0;
		bpf_loop(ret, epres_step, &c, 0);
		walk_end(p, s);
	}
	return 0;
}

SEC("raw_tp")
int exit_epoll_wait(struct bpf_raw_tracepoint_args *ctx)
{
	return epoll_wait_exit(ctx, true);
}

SEC("raw_tp")
int exit_epoll_wait_basic(struct bpf_raw_tracepoint_args *ctx)
{
	return epoll_wait_exit(ctx, false);
}
