// SPDX-License-Identifier: GPL-2.0
/*
 * accept and accept4 (whether they slept tells blocking IO apart; for
 * readiness, accept is a listening socket's read), close (its epoll
 * registrations go, its fd's figures stop chaining), io_uring_enter (counted,
 * so an io_uring program is named).
 */
#include "readiness.bpf.h"

SEC("raw_tp")
int enter_other(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 a[5];
	struct task_struct *task;
	struct inflight *f = enter_begin(ctx, a, &task);

	if (!f)
		return 0;
	f->fd = (int)a[0];
	f->nvcsw = nvcsw_of(task);
	enter_done(f);
	return 0;
}

SEC("raw_tp")
int exit_other(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task;
	struct inflight *f = NULL;
	long ret = 0;
	struct iot_thread *t;
	struct iot_proc *p;
	__u32 tgid;
	bool slept;

	p = exit_start(ctx, &f, &ret, &task);
	if (!f)
		return 0;
	tgid = f->id >> 32;
	/* counted or not (the process being added, or no room), a close's
	 * registrations go */
	if (f->sys == IOT_CLOSE) {
		if (ret == 0)
			close_done(f, tgid, f->fd);
		return 0;
	}
	if (!p)
		return 0;
	switch (f->sys) {
	case IOT_ACCEPT:
	case IOT_ACCEPT4:
		slept = nvcsw_of(task) != f->nvcsw;
		p->accept_blocked += slept;
		t = thread_counters(f->tslot, f->id);
		if (t) {
			t->accepts++;
			t->accept_blocked += slept;
		}
		fd_note_accept(tgid, f->fd, ret);
		break;
	case IOT_IO_URING_ENTER:
		t = thread_counters(f->tslot, f->id);
		if (t)
			t->uring_enters++;
		break;
	}
	return 0;
}
