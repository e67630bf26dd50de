// SPDX-License-Identifier: GPL-2.0
/*
 * The send path: sendto, sendmsg, sendmmsg, write, writev. Bytes sent, and
 * the fd's write count (readiness: a writable report with no write since).
 */
#include "mmsg.bpf.h"

SEC("raw_tp")
int enter_send(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 a[5];
	struct task_struct *task;
	struct inflight *f = enter_begin(ctx, a, &task);

	if (!f)
		return 0;
	f->fd = (int)a[0];
	if (f->sys == IOT_SENDMMSG) {
		f->ptr = a[1];
		f->nfds = (__u32)a[2];
	}
	enter_done(f);
	return 0;
}

SEC("raw_tp")
int exit_send(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task;
	struct inflight *f;
	long ret;
	struct iot_proc *p;

	p = exit_start(ctx, &f, &ret, &task);
	if (!p)
		return 0;
	if (f->sys == IOT_SENDMMSG)
		p->send_bytes += mmsg_bytes(f, ret);
	else if (ret > 0)
		p->send_bytes += ret;
	fd_note_write(f->id >> 32, f->fd);
	return 0;
}
