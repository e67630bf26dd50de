// SPDX-License-Identifier: GPL-2.0
/*
 * epoll_ctl: its copy cost, and the registrations (epfd, fd) -> data that
 * let an epoll event name its fd (readiness).
 */
#include "readiness.bpf.h"

SEC("raw_tp")
int enter_epoll_ctl(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 a[5];
	struct task_struct *task;
	struct inflight *f = enter_begin(ctx, a, &task);

	if (!f)
		return 0;
	f->nfds = a[1]; /* op */
	f->waiter = (__u32)a[0];
	f->fd = (int)a[2];
	f->ctl_events = 0;
	f->ctl_data = 0;
	f->ctl_making = 0;
	if (f->nfds != EPOLL_CTL_DEL && a[3]) {
		__u8 ev[EPOLL_EVENT_SIZE];

		if (bpf_probe_read_user(ev, sizeof(ev), (void *)a[3]) == 0) {
			__builtin_memcpy(&f->ctl_events, ev, 4);
			__builtin_memcpy(&f->ctl_data, ev + EPOLL_EVENT_SIZE - 8, 8);
			/* its event may be returned before this call's exit */
			f->ctl_making = ep_expect(f->id >> 32, (__s32)f->waiter, f->fd, f->ctl_events, f->ctl_data);
		} else {
			f->bad_read = 1;
		}
	}
	enter_done(f);
	return 0;
}

SEC("raw_tp")
int exit_epoll_ctl(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task;
	struct inflight *f = NULL;
	long ret = 0;
	struct iot_proc *p;

	/* without counters (the process being added, or no room), the
	 * registration is still kept */
	p = exit_start(ctx, &f, &ret, &task);
	if (!f)
		return 0;
	/* the kernel copies the event in for ADD and MOD before it checks more */
	if (p && (f->nfds == EPOLL_CTL_ADD || f->nfds == EPOLL_CTL_MOD) && ret != -EFAULT)
		p->copy_wait_in += EPOLL_EVENT_SIZE;
	if (f->nfds != EPOLL_CTL_DEL && f->bad_read)
		return 0;
	if (ret == 0)
		ep_ctl_done(f->id >> 32, (__s32)f->waiter, f->nfds, f->fd, f->ctl_events, f->ctl_data);
	/* recorded (or failed): no longer being made */
	if (f->ctl_making)
		ep_expected(f->id >> 32, (__s32)f->waiter, f->fd, f->ctl_data);
	return 0;
}

/*
 * The exit of an epoll_ctl or close whose entry the probes did not see: it
 * was entered before the process was traced or being added (the thread has
 * no in-flight record at all: sys_exit in dispatch.bpf.c sends only those
 * here, of processes traced or being added). Its change to the
 * registrations may come after user space read them from /proc, so it is
 * applied here, from the arguments still in the saved user registers (and
 * the event still in user memory). The call is not counted: it started
 * before the probes did.
 */
SEC("raw_tp")
int exit_unseen(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	long ret = (long)ctx->args[1], nr = syscall_nr_of(task);
	__u32 tgid = task->tgid, sys;
	__u64 a[5];

	if (ret != 0 || nr < 0 || nr >= IOT_SYSNR_MAX)
		return 0;
	sys = sys_of_nr[nr];
	read_syscall_args(task, a);
	if (sys == IOT_CLOSE + 1) {
		/* no in-flight record to defer to (close_done): now */
		fd_note_close(tgid, (int)a[0]);
		ep_forget_fd(tgid, (int)a[0], 0);
		ep_forget_fd(tgid, (int)a[0], 1);
	} else if (sys == IOT_EPOLL_CTL + 1) {
		__u8 ev[EPOLL_EVENT_SIZE] = {};
		__u32 events = 0;
		__u64 data = 0;

		if (a[1] != EPOLL_CTL_DEL && bpf_probe_read_user(ev, sizeof(ev), (void *)a[3])) {
			count_lost(IOT_LOST_USER_READ);
			return 0;
		}
		__builtin_memcpy(&events, ev, 4);
		__builtin_memcpy(&data, ev + EPOLL_EVENT_SIZE - 8, 8);
		ep_ctl_done(tgid, (__s32)a[0], a[1], (int)a[2], events, data);
	}
	return 0;
}
