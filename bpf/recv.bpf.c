// SPDX-License-Identifier: GPL-2.0
/*
 * The receive path: recvfrom, recvmsg, recvmmsg, read, readv. At entry: the
 * bytes asked for (summed over the iovecs for readv and recvmsg). At exit:
 * bytes, EOF, short reads, whether the call slept, and the fd's read and
 * drain counts (readiness).
 */
#include "mmsg.bpf.h"

struct iovsum_ctx {
	__u64 uptr;
	__u64 n;
	__u64 sum;
	__u32 failed;
};

static long iovsum_chunk(__u32 i, struct iovsum_ctx *c)
{
	struct scratch *s = scratch_get();
	long n;

	if (!s)
		return 1;
	/* struct iovec is 16 bytes: iov_len in the second word */
	n = chunk_read(s, c->uptr, i, c->n, IOV_CHUNK, 16);
	if (n <= 0) {
		c->failed |= n < 0;
		return 1;
	}
	for (__u32 k = 0; k < IOV_CHUNK; k++) {
		if (k >= n)
			break;
		c->sum += s->w[(2 * k + 1) & (POLL_CHUNK - 1)];
	}
	return 0;
}

/* The bytes an iovec array asks for. */
static __always_inline void iov_asked(struct inflight *f, __u64 iov, __u64 n)
{
	struct iovsum_ctx c = { .uptr = iov, .n = n };

	if (n > IOV_CHUNK * IOV_MAX_CHUNKS) {
		f->bad_read = 1; /* the kernel refuses it with EINVAL anyway */
	} else {
		bpf_loop((n + IOV_CHUNK - 1) / IOV_CHUNK, iovsum_chunk, &c, 0);
		if (c.failed) {
			count_lost(IOT_LOST_USER_READ);
			f->bad_read = 1;
		}
	}
	f->asked = c.sum;
}

SEC("raw_tp")
int enter_recv(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 a[5];
	struct task_struct *task;
	struct inflight *f = enter_begin(ctx, a, &task);

	if (!f)
		return 0;
	f->fd = (int)a[0];
	f->nvcsw = nvcsw_of(task);
	switch (f->sys) {
	case IOT_READV:
		iov_asked(f, a[1], a[2]);
		break;
	case IOT_RECVMSG: {
		struct user_msghdr m = {};

		/* a failed read of the header: a call with its size unknown */
		if (bpf_probe_read_user(&m, sizeof(m), (void *)a[1])) {
			count_lost(IOT_LOST_USER_READ);
			f->bad_read = 1;
			f->asked = 0;
		} else {
			iov_asked(f, (__u64)m.msg_iov, m.msg_iovlen);
		}
		break;
	}
	case IOT_RECVMMSG:
		f->ptr = a[1];
		f->nfds = (__u32)a[2];
		break;
	default: /* recvfrom, read */
		f->asked = a[2];
		break;
	}
	enter_done(f);
	return 0;
}

SEC("raw_tp")
int exit_recv(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task;
	struct inflight *f;
	long ret;
	struct iot_thread *t;
	struct iot_proc *p;
	bool is_short, slept;
	__u64 bytes;

	p = exit_start(ctx, &f, &ret, &task);
	if (!p)
		return 0;
	if (f->sys == IOT_RECVMMSG) {
		bytes = mmsg_bytes(f, ret);
		is_short = ret > 0 && (__u64)ret < f->nfds; /* fewer messages than asked */
	} else {
		bytes = ret > 0 ? ret : 0;
		is_short = ret > 0 && !f->bad_read && (__u64)ret < f->asked;
	}
	if (ret == 0)
		p->recv_eof++;
	if (is_short)
		p->recv_short++;
	p->recv_bytes += bytes;
	slept = nvcsw_of(task) != f->nvcsw;
	p->recv_blocked += slept;
	t = thread_counters(f->tslot, f->id);
	if (t) {
		t->recv++;
		t->recv_eagain += ret == -EAGAIN;
		t->recv_blocked += slept;
	}
	fd_note_read(f->id >> 32, f->fd, ret, bytes, ret == 0 || ret == -EAGAIN || is_short);
	return 0;
}
