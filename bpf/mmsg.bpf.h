/* SPDX-License-Identifier: GPL-2.0 */
/*
 * recvmmsg and sendmmsg return a message count; their bytes are the msg_len
 * the kernel wrote back into each of the first `ret` mmsghdrs.
 */
#ifndef IOTRACE_MMSG_BPF_H
#define IOTRACE_MMSG_BPF_H

#include "readiness.bpf.h"

#define MMSG_SIZE 64    /* sizeof(struct mmsghdr) on 64-bit */
#define MMSG_LEN_OFF 56 /* offsetof(struct mmsghdr, msg_len) */

struct mmsgsum_ctx {
	__u64 uptr;
	__u64 sum;
	__u32 failed;
};

static long mmsgsum_one(__u32 i, struct mmsgsum_ctx *c)
{
	__u32 len;

	if (bpf_probe_read_user(&len, sizeof(len), (void *)(c->uptr + (__u64)i * MMSG_SIZE + MMSG_LEN_OFF))) {
		c->failed = 1;
		return 1;
	}
	c->sum += len;
	return 0;
}

static __always_inline __u64 mmsg_bytes(struct inflight *f, long ret)
{
	struct mmsgsum_ctx c = { .uptr = f->ptr };

	if (ret <= 0)
		return 0;
	if (ret > MMSG_MAX) {
		count_lost(IOT_LOST_BOUND);
		return 0;
	}
	bpf_loop(ret, mmsgsum_one, &c, 0);
	if (c.failed)
		count_lost(IOT_LOST_USER_READ);
	flame_mmsg_bytes(f, c.sum);
	return c.sum;
}

#endif /* IOTRACE_MMSG_BPF_H */
