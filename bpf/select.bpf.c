// SPDX-License-Identifier: GPL-2.0
/*
 * select and pselect6. At entry: the fds watched (bits set below nfds in
 * the input sets). At exit: the copy costs, and every fd the result sets
 * report goes through report_fd (readiness). exit_select_basic is the same
 * exit without the walk over the results, for kernels that refuse it.
 */
#include "waits.bpf.h"

/* count the bits below nfds in one input set, a chunk at a time */
struct setcount_ctx {
	__u64 uptr;
	__u64 nbytes; /* FDS_BYTES(nfds) */
	__u64 nfds;
	__u64 bits;
	__u32 failed;
};

static long setcount_chunk(__u32 i, struct setcount_ctx *c)
{
	struct scratch *s = scratch_get();
	__u64 end_bit, last, keep;
	long len;

	if (!s)
		return 1;
	/* len: bytes, a multiple of 8 in 8..128 */
	len = chunk_read(s, c->uptr, i, c->nbytes, SELECT_CHUNK_BYTES, 1);
	if (len <= 0) {
		c->failed |= len < 0;
		return 1;
	}
	/* every word of the chunk, without a branch but the end... */
	for (__u32 k = 0; k < SELECT_CHUNK_BYTES / 8; k++) {
		if (k * 8 >= len)
			break;
		c->bits += __builtin_popcountll(s->w[k]);
	}
	/* ...then the bits of the set's last word at or past nfds back out */
	end_bit = ((__u64)i * SELECT_CHUNK_BYTES + len) * 8;
	if (end_bit > c->nfds) {
		last = s->w[((len / 8) - 1) & (SELECT_CHUNK_BYTES / 8 - 1)];
		keep = c->nfds & 63; /* bits of the last word below nfds (not 0: nfds ends inside it) */
		c->bits -= __builtin_popcountll(last >> keep);
	}
	return 0;
}

SEC("raw_tp")
int enter_select(struct bpf_raw_tracepoint_args *ctx)
{
	struct setcount_ctx c = {};
	__u64 a[5], chunks;
	struct task_struct *task;
	struct inflight *f = enter_begin(ctx, a, &task);
	__s64 n;

	if (!f)
		return 0;
	n = (int)a[0];
	if (n < 0)
		n = 0;
	c.nfds = n;
	c.nbytes = ((c.nfds + 63) / 64) * 8;
	chunks = (c.nbytes + SELECT_CHUNK_BYTES - 1) / SELECT_CHUNK_BYTES;
	f->nfds = c.nfds;
	f->nsets = 0;
	if (chunks > SELECT_MAX_CHUNKS) {
		count_lost(IOT_LOST_BOUND);
		f->bad_read = 1;
		chunks = 0;
	}
	for (int i = 1; i <= 3; i++) {
		if (!a[i])
			continue;
		f->nsets++;
		c.uptr = a[i];
		c.failed = 0;
		bpf_loop(chunks, setcount_chunk, &c, 0);
		if (c.failed) {
			count_lost(IOT_LOST_USER_READ);
			f->bad_read = 1;
		}
	}
	f->watched = c.bits;
	f->ptr = a[1];
	f->set_out = a[2];
	wait_begin(f, task, thread_waiter(f), zero_time(a[4]));
	return 0;
}

/* The walk over the result sets, one step per iteration: while the current
 * word has bits left, report the lowest; else read the next word. One flat
 * loop (no loop inside its body), its state in the per-CPU scratch. */
struct selres_ctx {
	__u64 in, out; /* user pointers to the result sets, 0 if NULL */
	__u64 nfds;
	__u64 seq;
	__u32 tgid, waiter;
};

static long selres_step(__u32 i, struct selres_ctx *c)
{
	struct scratch *s = scratch_get();
	__u64 any, low, base, rw = 0, ww = 0;
	__u32 what;

	if (!s)
		return 1;
	any = s->rw | s->ww;
	if (!any) {
		base = s->next * 64;
		if (base >= c->nfds)
			return 1;
		if ((c->in && bpf_probe_read_user(&rw, 8, (void *)(c->in + s->next * 8))) ||
		    (c->out && bpf_probe_read_user(&ww, 8, (void *)(c->out + s->next * 8)))) {
			s->failed = 1;
			return 1;
		}
		if (c->nfds - base < 64) {
			__u64 keep = (1ULL << (c->nfds - base)) - 1;

			rw &= keep;
			ww &= keep;
		}
		s->rw = rw;
		s->ww = ww;
		s->base = base;
		s->next++;
		return 0;
	}
	low = any & -any;
	what = ((s->rw & low) ? REPORT_READABLE : 0) | ((s->ww & low) ? REPORT_WRITABLE : 0);
	s->rw &= ~low;
	s->ww &= ~low;
	tally_add(&s->t, report_fd(c->tgid, c->waiter, (__s32)(s->base + bit_index(low)),
				   REPORT(what, IOT_TRIG_SELECT), c->seq));
	return 0;
}

static __always_inline int select_exit(struct bpf_raw_tracepoint_args *ctx, bool walk)
{
	struct task_struct *task;
	struct inflight *f;
	long ret;
	struct iot_proc *p;
	__u64 setbytes, nwords;

	p = exit_start(ctx, &f, &ret, &task);
	if (!p)
		return 0;
	wait_common(p, f, ret, task);
	setbytes = ((f->nfds + 63) / 64) * 8 * f->nsets;
	/* the sets are copied in before the fds are checked: EBADF copied them */
	if (ret != -EINVAL && ret != -EFAULT)
		p->copy_wait_in += setbytes;
	if (bad_args(ret))
		return 0;
	p->wait_scanned += f->nfds;
	if (ret >= 0)
		p->copy_wait_out += setbytes;
	nwords = (f->nfds + 63) / 64;
	if (walk && ret > 0 && (f->ptr || f->set_out) && nwords <= SELECT_MAX_CHUNKS * 16) {
		struct selres_ctx c = { .in = f->ptr, .out = f->set_out, .nfds = f->nfds, .seq = f->seq,
					.tgid = f->id >> 32, .waiter = f->waiter };
		struct scratch *s = walk_begin();

		if (!s)
			return 0;
		/* a word read per word, a step per fd reported (at most ret) */
		bpf_loop(nwords + ret, selres_step, &c, 0);
		walk_end(p, s);
	}
	return 0;
}

SEC("raw_tp")
int exit_select(struct bpf_raw_tracepoint_args *ctx)
{
	return select_exit(ctx, true);
}

SEC("raw_tp")
int exit_select_basic(struct bpf_raw_tracepoint_args *ctx)
{
	return select_exit(ctx, false);
}
