// SPDX-License-Identifier: GPL-2.0
/*
 * iotrace kernel side: syscall tracepoints on the IO-model syscalls, counted
 * per process in a per-CPU hash. Nothing goes to user space per call; the
 * ring buffer carries only process lifecycle (fork/exec/exit of targets).
 *
 * At sys_enter a traced thread stores what it needs at sys_exit (start time,
 * sizes read from the arguments) in task-local storage; at sys_exit the call
 * is accounted in procs[tgid]. Only tracepoints are used: kprobes and
 * fentry/fexit are not available everywhere, tracepoints are a stable ABI.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "iotrace.h"

#define EAGAIN 11
#define EBADF 9
#define EFAULT 14
#define EINVAL 22
#define EINTR 4
#define ERESTARTNOHAND 514

/* struct epoll_event is packed (12 bytes) on x86-64 only */
#ifdef __TARGET_ARCH_x86
#define EPOLL_EVENT_SIZE 12
#else
#define EPOLL_EVENT_SIZE 16
#endif

#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_MOD 3

/* Loop bounds: past them the call is counted, its sizes are not (lost). */
#define SELECT_CHUNK_BYTES 128   /* one FD_SETSIZE set */
#define SELECT_MAX_CHUNKS 512    /* 524,288 fds */
#define POLL_CHUNK 64            /* pollfds read at once */
#define POLL_MAX_CHUNKS 4096     /* 262,144 entries */
#define IOV_CHUNK 32
#define IOV_MAX_CHUNKS 32        /* 1,024 = UIO_MAXIOV */
#define MMSG_MAX 1024            /* UIO_MAXIOV, the kernel's own vlen cap */
#define MMSG_SIZE 64             /* sizeof(struct mmsghdr) on 64-bit */
#define MMSG_LEN_OFF 56          /* offsetof(struct mmsghdr, msg_len) */

char LICENSE[] SEC("license") = "GPL";

/* Set by user space between open and load. */
const volatile __u32 self_tgid = 0;   /* iotrace itself: never traced */
const volatile bool trace_all = false; /* every process, not just targets */
/* Benchmark floor: every program returns at once (same tracepoints, no
 * work), to measure what the attachment alone costs. The verifier drops the
 * rest of each program when this is set. */
const volatile bool floor_only = false;

/* tgid -> IOT_TARGET_* flags. User space adds the -p/-- targets; the fork
 * handler adds children of followed targets. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u32);
} targets SEC(".maps");

/* tgid -> counters. Per-CPU so the hot path adds without atomics; entries
 * are created on a process's first traced call and removed by user space
 * once the process has exited and been read. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct iot_proc);
} procs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IOT_LOST_NR);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps");

/* What sys_exit needs from sys_enter, per thread. */
struct inflight {
	__u64 ts;      /* 0: nothing in flight */
	__u32 sys;     /* enum iot_sys of the call in flight */
	__u32 nsets;   /* select: non-NULL sets */
	__u64 nfds;    /* select/poll: nfds; epoll_ctl: op; mmsg: vlen */
	__u64 watched; /* waits: fds asked about */
	__u64 asked;   /* receives: bytes asked for */
	__u64 ptr;     /* recvmmsg/sendmmsg: the mmsghdr vector */
	__u32 bad_read; /* a size could not be read: don't add watched/asked */
	__s32 fd;      /* receives, sends, close, epoll_ctl: the fd; waits: epfd */
	__u64 seq;     /* waits: the waiter's call number */
	__u32 waiter;  /* waits: the waiter id (readiness.bpf.h) */
	__u32 ctl_events; /* epoll_ctl: the event mask asked for */
	__u64 ctl_data;   /* epoll_ctl: the event data */
	__u64 nvcsw;   /* waits: voluntary switches at entry */
	__u64 set_out; /* select: the write set (the read set is in ptr) */
	__u64 dur;     /* at exit: the call's duration */
	__u32 zero_timeout; /* waits: asked not to block */
	__u32 pad2;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight SEC(".maps");

/* Scratch for user-memory chunks, too big for the 512-byte stack. */
struct scratch {
	__u64 w[POLL_CHUNK];
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps");

/* Template for a new procs entry (a map update needs a value pointer). */
static const struct iot_proc zero_proc;


static __always_inline void count_lost(__u32 reason)
{
	__u64 *v = bpf_map_lookup_elem(&lost, &reason);
	if (v)
		*v += 1;
}

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xFFFFFFFF) << 5; v >>= shift; r = shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r < IOT_HIST_SLOTS ? r : IOT_HIST_SLOTS - 1;
}

#include "readiness.bpf.h"

static __always_inline bool is_wait(__u32 sys)
{
	return sys <= IOT_EPOLL_PWAIT2;
}

/* ---------------------------------------------------------------- enter */

static __always_inline struct inflight *enter(__u32 sys)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct inflight *f;

	if (trace_all) {
		if (tgid == self_tgid)
			return NULL;
	} else if (!bpf_map_lookup_elem(&targets, &tgid)) {
		return NULL;
	}
	f = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!f) {
		count_lost(IOT_LOST_TASK_STORAGE);
		return NULL;
	}
	f->sys = sys;
	f->bad_read = 0;
	return f;
}

/* The clock starts last, so the probe's own reads are not billed to the call. */
static __always_inline void enter_done(struct inflight *f)
{
	f->ts = bpf_ktime_get_ns();
}

/* Every wait: its waiter's call number, and the state that tells at exit
 * whether it slept (voluntary switches) and how long it was off CPU. */
static __always_inline void wait_begin(struct inflight *f, __u32 waiter, bool zero_timeout)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct task_struct *task = bpf_get_current_task_btf();

	f->waiter = waiter;
	f->zero_timeout = zero_timeout;
	f->seq = waiter_begin(id >> 32, waiter);
	f->nvcsw = BPF_CORE_READ(task, nvcsw);
	offcpu_begin((__u32)id);
}

static __always_inline __u32 thread_waiter(void)
{
	return (__u32)bpf_get_current_pid_tgid() | WAITER_THREAD;
}

/* A timeout given as a struct timespec or timeval (two longs): zero asks
 * the wait not to block. NULL blocks; an unreadable one blocks too. */
static __always_inline bool zero_time(__u64 uptr)
{
	__s64 t[2];

	if (!uptr || bpf_probe_read_user(t, sizeof(t), (void *)uptr))
		return false;
	return t[0] == 0 && t[1] == 0;
}

/* Voluntary switches so far: one more at exit means the call slept. */
static __always_inline __u64 nvcsw_now(void)
{
	return BPF_CORE_READ(bpf_get_current_task_btf(), nvcsw);
}

/* The user-memory loops below read an array chunk by chunk into the per-CPU
 * scratch: chunk i holds elements [i * per_chunk, ...) of `total` elements of
 * `elem` bytes each. Returns how many elements it read; 0 past the end, -1
 * when the read failed (the caller counts it lost). */
static __always_inline long chunk_read(struct scratch **sp, __u64 uptr, __u32 i, __u64 total, __u32 per_chunk,
				       __u32 elem)
{
	__u32 zero = 0;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	__u64 first = (__u64)i * per_chunk, n, len;

	if (!s || first >= total)
		return 0;
	n = total - first;
	if (n > per_chunk)
		n = per_chunk;
	len = n * elem;
	if (len > sizeof(s->w))
		len = sizeof(s->w);
	if (bpf_probe_read_user(s->w, len, (void *)(uptr + first * elem)))
		return -1;
	*sp = s;
	return n;
}

/* select/pselect6: count the bits below nfds in one input set. */
struct setcount_ctx {
	__u64 uptr;
	__u64 nbytes; /* FDS_BYTES(nfds) */
	__u64 nfds;
	__u64 bits;
	__u32 failed;
};

static long setcount_chunk(__u32 i, struct setcount_ctx *c)
{
	struct scratch *s;
	/* len: bytes, a multiple of 8 in 8..128 */
	long len = chunk_read(&s, c->uptr, i, c->nbytes, SELECT_CHUNK_BYTES, 1);
	__u64 first_bit = (__u64)i * SELECT_CHUNK_BYTES * 8;

	if (len <= 0) {
		c->failed |= len < 0;
		return 1;
	}
	for (__u32 k = 0; k < SELECT_CHUNK_BYTES / 8; k++) {
		__u64 w, bit0 = first_bit + (__u64)k * 64;

		if (k * 8 >= len)
			break;
		w = s->w[k];
		if (bit0 + 64 > c->nfds) { /* the last word: bits past nfds are ignored */
			__u64 keep = c->nfds - bit0;
			w &= keep >= 64 ? ~0ULL : ((1ULL << keep) - 1);
		}
		c->bits += __builtin_popcountll(w);
	}
	return 0;
}

static __always_inline void select_enter(__u32 sys, __s64 n, __u64 inp, __u64 outp, __u64 exp, __u64 tvp)
{
	struct inflight *f = enter(sys);
	struct setcount_ctx c = {};
	__u64 sets[3] = { inp, outp, exp };
	__u64 chunks;

	if (!f)
		return;
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
	for (int i = 0; i < 3; i++) {
		if (!sets[i])
			continue;
		f->nsets++;
		c.uptr = sets[i];
		c.failed = 0;
		bpf_loop(chunks, setcount_chunk, &c, 0);
		if (c.failed) {
			count_lost(IOT_LOST_USER_READ);
			f->bad_read = 1;
		}
	}
	f->watched = c.bits;
	f->ptr = inp;
	f->set_out = outp;
	wait_begin(f, thread_waiter(), zero_time(tvp));
	enter_done(f);
}

SEC("tracepoint/syscalls/sys_enter_select")
int enter_select(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	select_enter(IOT_SELECT, (int)ctx->args[0], ctx->args[1], ctx->args[2], ctx->args[3], ctx->args[4]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_pselect6")
int enter_pselect6(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	select_enter(IOT_PSELECT6, (int)ctx->args[0], ctx->args[1], ctx->args[2], ctx->args[3], ctx->args[4]);
	return 0;
}

/* poll/ppoll: count the entries with fd >= 0. */
struct pollcount_ctx {
	__u64 uptr;
	__u64 nfds;
	__u64 watched;
	__u32 failed;
};

static long pollcount_chunk(__u32 i, struct pollcount_ctx *c)
{
	struct scratch *s;
	/* struct pollfd is 8 bytes: fd in the low 32 bits of each word */
	long n = chunk_read(&s, c->uptr, i, c->nfds, POLL_CHUNK, 8);

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

static __always_inline void poll_enter(__u32 sys, __u64 ufds, __u64 nfds, bool zero_timeout)
{
	struct inflight *f = enter(sys);
	struct pollcount_ctx c = { .uptr = ufds, .nfds = (__u32)nfds };
	__u64 chunks;

	if (!f)
		return;
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
	f->ptr = ufds;
	wait_begin(f, thread_waiter(), zero_timeout);
	enter_done(f);
}

SEC("tracepoint/syscalls/sys_enter_poll")
int enter_poll(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	poll_enter(IOT_POLL, ctx->args[0], ctx->args[1], (int)ctx->args[2] == 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_ppoll")
int enter_ppoll(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	poll_enter(IOT_PPOLL, ctx->args[0], ctx->args[1], zero_time(ctx->args[2]));
	return 0;
}

/* epoll waits: the interest list's size, read from the epoll instance.
 * Since Linux 6.4 eventpoll.refcount is 1 (the file) + 1 per epitem. */
struct eventpoll___v64 {
	refcount_t refcount;
} __attribute__((preserve_access_index));

static __always_inline void epoll_wait_enter(__u32 sys, int epfd, __u64 events, bool zero_timeout)
{
	struct inflight *f = enter(sys);
	struct task_struct *task;
	struct fdtable *fdt;
	struct file **fdarr, *file = NULL;
	void *ep;
	int refs;

	if (!f)
		return;
	f->watched = 0;
	if (!bpf_core_field_exists(struct eventpoll___v64, refcount)) {
		f->bad_read = 1;
		count_lost(IOT_LOST_KERNEL_READ);
		goto out;
	}
	task = bpf_get_current_task_btf();
	fdt = BPF_CORE_READ(task, files, fdt);
	if (!fdt || epfd < 0 || (unsigned int)epfd >= BPF_CORE_READ(fdt, max_fds)) {
		f->bad_read = 1; /* EBADF ahead: nothing to add */
		goto out;
	}
	fdarr = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &fdarr[epfd]) || !file) {
		f->bad_read = 1;
		goto out;
	}
	ep = BPF_CORE_READ(file, private_data);
	if (!ep || bpf_probe_read_kernel(&refs, sizeof(refs),
					 &((struct eventpoll___v64 *)ep)->refcount.refs.counter)) {
		f->bad_read = 1;
		goto out;
	}
	f->watched = refs > 0 ? refs - 1 : 0;
out:
	f->fd = epfd;
	f->ptr = events;
	wait_begin(f, (__u32)epfd, zero_timeout);
	enter_done(f);
}

SEC("tracepoint/syscalls/sys_enter_epoll_wait")
int enter_epoll_wait(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	epoll_wait_enter(IOT_EPOLL_WAIT, (int)ctx->args[0], ctx->args[1], (int)ctx->args[3] == 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_epoll_pwait")
int enter_epoll_pwait(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	epoll_wait_enter(IOT_EPOLL_PWAIT, (int)ctx->args[0], ctx->args[1], (int)ctx->args[3] == 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_epoll_pwait2")
int enter_epoll_pwait2(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	epoll_wait_enter(IOT_EPOLL_PWAIT2, (int)ctx->args[0], ctx->args[1], zero_time(ctx->args[3]));
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_epoll_ctl")
int enter_epoll_ctl(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	struct inflight *f = enter(IOT_EPOLL_CTL);

	if (!f)
		return 0;
	f->nfds = ctx->args[1]; /* op */
	f->waiter = (__u32)ctx->args[0]; /* epfd */
	f->fd = (int)ctx->args[2];
	f->ctl_events = 0;
	f->ctl_data = 0;
	if (f->nfds != EPOLL_CTL_DEL && ctx->args[3]) {
		__u8 ev[EPOLL_EVENT_SIZE];

		if (bpf_probe_read_user(ev, sizeof(ev), (void *)ctx->args[3]) == 0) {
			__builtin_memcpy(&f->ctl_events, ev, 4);
			__builtin_memcpy(&f->ctl_data, ev + EPOLL_EVENT_SIZE - 8, 8);
		} else {
			f->bad_read = 1;
		}
	}
	enter_done(f);
	return 0;
}

/* Receives: remember the bytes asked for. */
static __always_inline void recv_enter(__u32 sys, int fd, __u64 len)
{
	struct inflight *f = enter(sys);

	if (!f)
		return;
	f->fd = fd;
	f->asked = len;
	f->nvcsw = nvcsw_now();
	enter_done(f);
}

struct iovsum_ctx {
	__u64 uptr;
	__u64 n;
	__u64 sum;
	__u32 failed;
};

static long iovsum_chunk(__u32 i, struct iovsum_ctx *c)
{
	struct scratch *s;
	/* struct iovec is 16 bytes: iov_len in the second word */
	long n = chunk_read(&s, c->uptr, i, c->n, IOV_CHUNK, 16);

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

static __always_inline void iov_enter(__u32 sys, int fd, __u64 iov, __u64 n)
{
	struct inflight *f = enter(sys);
	struct iovsum_ctx c = { .uptr = iov, .n = n };

	if (!f)
		return;
	f->fd = fd;
	f->nvcsw = nvcsw_now();
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
	enter_done(f);
}

SEC("tracepoint/syscalls/sys_enter_recvfrom")
int enter_recvfrom(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	recv_enter(IOT_RECVFROM, (int)ctx->args[0], ctx->args[2]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_read")
int enter_read(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	recv_enter(IOT_READ, (int)ctx->args[0], ctx->args[2]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_readv")
int enter_readv(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	iov_enter(IOT_READV, (int)ctx->args[0], ctx->args[1], ctx->args[2]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_recvmsg")
int enter_recvmsg(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	struct user_msghdr m = {};

	/* the iovec array is summed like readv's; a failed read of the header
	 * is accounted by iov_enter through a zero-length, flagged call */
	if (bpf_probe_read_user(&m, sizeof(m), (void *)ctx->args[1])) {
		struct inflight *f = enter(IOT_RECVMSG);

		if (f) {
			count_lost(IOT_LOST_USER_READ);
			f->fd = (int)ctx->args[0];
			f->nvcsw = nvcsw_now();
			f->bad_read = 1;
			f->asked = 0;
			enter_done(f);
		}
		return 0;
	}
	iov_enter(IOT_RECVMSG, (int)ctx->args[0], (__u64)m.msg_iov, m.msg_iovlen);
	return 0;
}

static __always_inline void mmsg_enter(__u32 sys, int fd, __u64 vec, __u64 vlen)
{
	struct inflight *f = enter(sys);

	if (!f)
		return;
	f->fd = fd;
	f->ptr = vec;
	f->nfds = (__u32)vlen;
	f->nvcsw = nvcsw_now();
	enter_done(f);
}

SEC("tracepoint/syscalls/sys_enter_recvmmsg")
int enter_recvmmsg(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	mmsg_enter(IOT_RECVMMSG, (int)ctx->args[0], ctx->args[1], ctx->args[2]);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_sendmmsg")
int enter_sendmmsg(struct trace_event_raw_sys_enter *ctx)
{
	if (floor_only)
		return 0;
	mmsg_enter(IOT_SENDMMSG, (int)ctx->args[0], ctx->args[1], ctx->args[2]);
	return 0;
}

/* Calls whose entry carries nothing but the clock and the fd. */
#define PLAIN_ENTER(name, sys)                                  \
	SEC("tracepoint/syscalls/sys_enter_" #name)             \
	int enter_##name(struct trace_event_raw_sys_enter *ctx) \
	{                                                       \
		if (floor_only)                                \
			return 0;                               \
		struct inflight *f = enter(sys);                \
		if (f) {                                        \
			f->fd = (int)ctx->args[0];              \
			enter_done(f);                          \
		}                                               \
		return 0;                                       \
	}

PLAIN_ENTER(sendto, IOT_SENDTO)
PLAIN_ENTER(sendmsg, IOT_SENDMSG)
PLAIN_ENTER(write, IOT_WRITE)
PLAIN_ENTER(writev, IOT_WRITEV)
/* accept: whether it slept tells blocking IO apart */
#define ACCEPT_ENTER(name, sys)                                 \
	SEC("tracepoint/syscalls/sys_enter_" #name)             \
	int enter_##name(struct trace_event_raw_sys_enter *ctx) \
	{                                                       \
		struct inflight *f;                             \
		if (floor_only)                                 \
			return 0;                               \
		f = enter(sys);                                 \
		if (f) {                                        \
			f->fd = (int)ctx->args[0];              \
			f->nvcsw = nvcsw_now();                 \
			enter_done(f);                          \
		}                                               \
		return 0;                                       \
	}

ACCEPT_ENTER(accept, IOT_ACCEPT)
ACCEPT_ENTER(accept4, IOT_ACCEPT4)
PLAIN_ENTER(close, IOT_CLOSE)
PLAIN_ENTER(io_uring_enter, IOT_IO_URING_ENTER)

/* ----------------------------------------------------------------- exit */

/* Accounts the call in its syscall's row and returns the process's counters,
 * or NULL when this thread has no matching call in flight (it entered before
 * the probes were attached, or it is not traced). */
static __always_inline struct iot_proc *exit_account(__u32 sys, long ret, struct inflight **fp)
{
	struct inflight *f;
	struct iot_proc *p;
	struct iot_sys_stats *st;
	__u64 now, dur;
	__u32 tgid;

	f = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
	if (!f || !f->ts || f->sys != sys)
		return NULL;
	now = bpf_ktime_get_ns();
	dur = now - f->ts;
	f->ts = 0;
	f->dur = dur;

	tgid = bpf_get_current_pid_tgid() >> 32;
	p = bpf_map_lookup_elem(&procs, &tgid);
	if (!p) {
		bpf_map_update_elem(&procs, &tgid, &zero_proc, BPF_NOEXIST);
		p = bpf_map_lookup_elem(&procs, &tgid);
		if (!p) {
			count_lost(IOT_LOST_PROC_MAP_FULL);
			return NULL;
		}
	}
	if (sys >= IOT_NR_SYS)
		return NULL;
	st = &p->sys[sys];
	st->calls++;
	st->time_ns += dur;
	st->hist[log2_slot(dur)]++;
	if (ret < 0) {
		st->errors++;
		if (ret == -EAGAIN)
			st->eagain++;
	}
	*fp = f;
	return p;
}

static __always_inline bool bad_args(long ret)
{
	return ret == -EBADF || ret == -EINVAL || ret == -EFAULT;
}

static __always_inline void wait_common(struct iot_proc *p, struct inflight *f, long ret)
{
	__u64 id = bpf_get_current_pid_tgid(), off = 0;
	struct task_struct *task = bpf_get_current_task_btf();
	struct iot_thread *t = thread_get(id >> 32, (__u32)id);
	bool woke = BPF_CORE_READ(task, nvcsw) != f->nvcsw;

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
	if (offcpu_end((__u32)id, &off))
		p->wait_cpu_ns += f->dur > off ? f->dur - off : 0;
	else
		count_lost(IOT_LOST_OFFCPU_SLOT);
	if (t) {
		t->waits++;
		t->ready += ret > 0 ? ret : 0;
		t->wakeups += woke;
		t->zero_timeout += f->zero_timeout;
		if (f->sys <= IOT_PSELECT6)
			t->select_waits++;
		else if (f->sys <= IOT_PPOLL)
			t->poll_waits++;
		else
			t->epoll_waits++;
	}
}

/* select results: every bit set in the returned read and write sets. */
struct selres_ctx {
	__u64 in, out;  /* user pointers to the result sets, 0 if NULL */
	__u64 nfds;
	__u64 seq;
	__u32 tgid, waiter;
	__u32 failed;
	struct tally t;
};

static long selres_word(__u32 i, struct selres_ctx *c)
{
	__u64 base = (__u64)i * 64, rw = 0, ww = 0;

	if (base >= c->nfds)
		return 1;
	if ((c->in && bpf_probe_read_user(&rw, 8, (void *)(c->in + (__u64)i * 8))) ||
	    (c->out && bpf_probe_read_user(&ww, 8, (void *)(c->out + (__u64)i * 8)))) {
		c->failed = 1;
		return 1;
	}
	if (c->nfds - base < 64) {
		__u64 keep = (1ULL << (c->nfds - base)) - 1;
		rw &= keep;
		ww &= keep;
	}
	if (!(rw | ww))
		return 0;
	for (__u32 k = 0; k < 64; k++) {
		__u32 what = (((rw >> k) & 1) ? REPORT_READABLE : 0) | (((ww >> k) & 1) ? REPORT_WRITABLE : 0);

		if (what)
			tally_add(&c->t, report_fd(c->tgid, c->waiter, (__s32)(base + k),
						   REPORT(what, IOT_TRIG_SELECT), c->seq));
	}
	return 0;
}

/* poll results: entries whose revents say readable or writable. */
struct pollres_ctx {
	__u64 uptr;
	__u64 nfds;
	__u64 seq;
	__u32 tgid, waiter;
	__u32 failed;
	struct tally t;
};

static long pollres_chunk(__u32 i, struct pollres_ctx *c)
{
	struct scratch *s;
	long n = chunk_read(&s, c->uptr, i, c->nfds, POLL_CHUNK, 8);

	if (n <= 0) {
		c->failed |= n < 0;
		return 1;
	}
	for (__u32 k = 0; k < POLL_CHUNK; k++) {
		__u64 e;
		__s32 fd;
		__u16 rev;
		__u32 what;

		if (k >= n)
			break;
		e = s->w[k];
		fd = (__s32)(__u32)e;
		rev = (__u16)(e >> 48); /* struct pollfd { int fd; short events; short revents; } */
		what = ((rev & POLLIN) ? REPORT_READABLE : 0) | ((rev & POLLOUT) ? REPORT_WRITABLE : 0);
		if (fd >= 0 && what)
			tally_add(&c->t, report_fd(c->tgid, c->waiter, fd, REPORT(what, IOT_TRIG_POLL), c->seq));
	}
	return 0;
}

/* epoll results: name each event's fd through its registration's data. */
struct epres_ctx {
	__u64 uptr;
	__u64 seq;
	__u32 tgid;
	__s32 epfd;
	__u32 failed, unknown;
	struct tally t;
};

static long epres_event(__u32 i, struct epres_ctx *c)
{
	__u8 ev[EPOLL_EVENT_SIZE];
	struct iot_ep_data_key k = { .tgid = c->tgid, .epfd = c->epfd };
	struct iot_ep_reg *reg;
	__u32 events, what, trig;

	if (bpf_probe_read_user(ev, sizeof(ev), (void *)(c->uptr + (__u64)i * EPOLL_EVENT_SIZE))) {
		c->failed = 1;
		return 1;
	}
	__builtin_memcpy(&events, ev, 4);
	__builtin_memcpy(&k.data, ev + EPOLL_EVENT_SIZE - 8, 8);
	reg = bpf_map_lookup_elem(&ep_by_data, &k);
	if (!reg) {
		c->unknown++;
		return 0;
	}
	trig = (reg->events & EPOLLET) ? IOT_TRIG_ET : (reg->events & EPOLLONESHOT) ? IOT_TRIG_ONESHOT : IOT_TRIG_LT;
	what = ((events & EPOLLIN) ? REPORT_READABLE : 0) | ((events & EPOLLOUT) ? REPORT_WRITABLE : 0);
	/* EPOLLONESHOT is a flag of its own: with EPOLLET the trigger says et */
	if (what)
		tally_add(&c->t, report_fd(c->tgid, (__u32)c->epfd, reg->fd,
					   REPORT(what | ((reg->events & EPOLLONESHOT) ? REPORT_ONESHOT : 0), trig),
					   c->seq));
	return 0;
}

static __always_inline void select_exit(__u32 sys, long ret)
{
	struct inflight *f;
	struct iot_proc *p = exit_account(sys, ret, &f);
	__u64 setbytes;

	if (!p)
		return;
	wait_common(p, f, ret);
	setbytes = ((f->nfds + 63) / 64) * 8 * f->nsets;
	/* the sets are copied in before the fds are checked: EBADF copied them */
	if (ret != -EINVAL && ret != -EFAULT)
		p->copy_wait_in += setbytes;
	if (bad_args(ret))
		return;
	p->wait_scanned += f->nfds;
	if (ret >= 0)
		p->copy_wait_out += setbytes;
	if (ret > 0 && (f->ptr || f->set_out)) {
		struct selres_ctx c = { .in = f->ptr, .out = f->set_out, .nfds = f->nfds, .seq = f->seq,
					.tgid = bpf_get_current_pid_tgid() >> 32, .waiter = f->waiter };

		bpf_loop((f->nfds + 63) / 64 > SELECT_MAX_CHUNKS * 16 ? 0 : (f->nfds + 63) / 64,
			 selres_word, &c, 0);
		if (c.failed)
			count_lost(IOT_LOST_USER_READ);
		tally_apply(p, &c.t);
	}
}

SEC("tracepoint/syscalls/sys_exit_select")
int exit_select(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	select_exit(IOT_SELECT, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_pselect6")
int exit_pselect6(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	select_exit(IOT_PSELECT6, ctx->ret);
	return 0;
}

static __always_inline void poll_exit(__u32 sys, long ret)
{
	struct inflight *f;
	struct iot_proc *p = exit_account(sys, ret, &f);

	if (!p)
		return;
	wait_common(p, f, ret);
	if (bad_args(ret))
		return;
	p->wait_scanned += f->nfds;
	p->copy_wait_in += f->nfds * 8;
	/* revents go back even when a signal cut the wait short */
	if (ret >= 0 || ret == -EINTR || ret == -ERESTARTNOHAND)
		p->copy_wait_out += f->nfds * 2;
	if (ret > 0 && !f->bad_read) {
		struct pollres_ctx c = { .uptr = f->ptr, .nfds = f->nfds, .seq = f->seq,
					 .tgid = bpf_get_current_pid_tgid() >> 32, .waiter = f->waiter };

		bpf_loop((f->nfds + POLL_CHUNK - 1) / POLL_CHUNK, pollres_chunk, &c, 0);
		if (c.failed)
			count_lost(IOT_LOST_USER_READ);
		tally_apply(p, &c.t);
	}
}

SEC("tracepoint/syscalls/sys_exit_poll")
int exit_poll(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	poll_exit(IOT_POLL, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_ppoll")
int exit_ppoll(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	poll_exit(IOT_PPOLL, ctx->ret);
	return 0;
}

static __always_inline void epoll_wait_exit(__u32 sys, long ret)
{
	struct inflight *f;
	struct iot_proc *p = exit_account(sys, ret, &f);

	if (!p)
		return;
	wait_common(p, f, ret);
	if (ret > 0) {
		struct epres_ctx c = { .uptr = f->ptr, .seq = f->seq,
				       .tgid = bpf_get_current_pid_tgid() >> 32, .epfd = f->fd };

		p->wait_scanned += ret;
		p->copy_wait_out += ret * EPOLL_EVENT_SIZE;
		if (ret > EPOLL_EVENTS_MAX) {
			count_lost(IOT_LOST_BOUND);
			return;
		}
		bpf_loop(ret, epres_event, &c, 0);
		if (c.failed)
			count_lost(IOT_LOST_USER_READ);
		{
			__u32 r = IOT_LOST_UNKNOWN_REG;
			__u64 *v = bpf_map_lookup_elem(&lost, &r);

			if (v)
				*v += c.unknown;
		}
		tally_apply(p, &c.t);
	}
}

SEC("tracepoint/syscalls/sys_exit_epoll_wait")
int exit_epoll_wait(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	epoll_wait_exit(IOT_EPOLL_WAIT, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_epoll_pwait")
int exit_epoll_pwait(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	epoll_wait_exit(IOT_EPOLL_PWAIT, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_epoll_pwait2")
int exit_epoll_pwait2(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	epoll_wait_exit(IOT_EPOLL_PWAIT2, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_epoll_ctl")
int exit_epoll_ctl(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	long ret = ctx->ret;
	struct inflight *f;
	struct iot_proc *p = exit_account(IOT_EPOLL_CTL, ret, &f);

	if (!p)
		return 0;
	/* the kernel copies the event in for ADD and MOD before it checks more */
	if ((f->nfds == EPOLL_CTL_ADD || f->nfds == EPOLL_CTL_MOD) && ret != -EFAULT)
		p->copy_wait_in += EPOLL_EVENT_SIZE;
	if (ret == 0) {
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;
		__s32 epfd = (__s32)f->waiter;

		if (f->nfds == EPOLL_CTL_DEL)
			ep_unregister(tgid, epfd, f->fd);
		else if (!f->bad_read)
			ep_register(tgid, epfd, f->fd, f->ctl_events, f->ctl_data);
	}
	return 0;
}

/* Every receive: the thread's count, and the fd's if a wait reported it. */
static __always_inline void recv_note(struct iot_proc *p, struct inflight *f, long ret, __u64 bytes,
				      bool drained)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct iot_thread *t = thread_get(id >> 32, (__u32)id);
	bool slept = nvcsw_now() != f->nvcsw;

	p->recv_blocked += slept;
	if (t) {
		t->recv++;
		t->recv_eagain += ret == -EAGAIN;
		t->recv_blocked += slept;
	}
	fd_note_read(id >> 32, f->fd, ret, bytes, drained);
}

static __always_inline void recv_exit(__u32 sys, long ret)
{
	struct inflight *f;
	struct iot_proc *p = exit_account(sys, ret, &f);
	bool is_short;

	if (!p)
		return;
	is_short = ret > 0 && !f->bad_read && (__u64)ret < f->asked;
	if (ret == 0)
		p->recv_eof++;
	else if (ret > 0)
		p->recv_bytes += ret;
	if (is_short)
		p->recv_short++;
	recv_note(p, f, ret, ret > 0 ? ret : 0, ret == 0 || ret == -EAGAIN || is_short);
}

SEC("tracepoint/syscalls/sys_exit_recvfrom")
int exit_recvfrom(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	recv_exit(IOT_RECVFROM, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_recvmsg")
int exit_recvmsg(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	recv_exit(IOT_RECVMSG, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_read")
int exit_read(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	recv_exit(IOT_READ, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_readv")
int exit_readv(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	recv_exit(IOT_READV, ctx->ret);
	return 0;
}

/* recvmmsg/sendmmsg return a message count; the bytes are the msg_len the
 * kernel wrote back into each of the first `ret` mmsghdrs. */
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
	return c.sum;
}

SEC("tracepoint/syscalls/sys_exit_recvmmsg")
int exit_recvmmsg(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	struct inflight *f;
	long ret = ctx->ret;
	struct iot_proc *p = exit_account(IOT_RECVMMSG, ret, &f);
	bool is_short;
	__u64 bytes;

	if (!p)
		return 0;
	bytes = mmsg_bytes(f, ret);
	is_short = ret > 0 && (__u64)ret < f->nfds; /* fewer messages than asked */
	if (ret == 0)
		p->recv_eof++;
	if (is_short)
		p->recv_short++;
	p->recv_bytes += bytes;
	recv_note(p, f, ret, bytes, ret == 0 || ret == -EAGAIN || is_short);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_sendmmsg")
int exit_sendmmsg(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	struct inflight *f;
	struct iot_proc *p = exit_account(IOT_SENDMMSG, ctx->ret, &f);

	if (p) {
		p->send_bytes += mmsg_bytes(f, ctx->ret);
		fd_note_write(bpf_get_current_pid_tgid() >> 32, f->fd);
	}
	return 0;
}

static __always_inline void send_exit(__u32 sys, long ret)
{
	struct inflight *f;
	struct iot_proc *p = exit_account(sys, ret, &f);

	if (!p)
		return;
	if (ret > 0)
		p->send_bytes += ret;
	fd_note_write(bpf_get_current_pid_tgid() >> 32, f->fd);
}

#define SEND_EXIT(name, sys)                                  \
	SEC("tracepoint/syscalls/sys_exit_" #name)            \
	int exit_##name(struct trace_event_raw_sys_exit *ctx) \
	{                                                     \
		if (floor_only)                                \
			return 0;                               \
		send_exit(sys, ctx->ret);                     \
		return 0;                                     \
	}

SEND_EXIT(sendto, IOT_SENDTO)
SEND_EXIT(sendmsg, IOT_SENDMSG)
SEND_EXIT(write, IOT_WRITE)
SEND_EXIT(writev, IOT_WRITEV)

/* For readiness, accept is a listening socket's read: one connection taken
 * per call, EAGAIN when the queue is drained. */
static __always_inline void accept_exit(__u32 sys, long ret)
{
	struct inflight *f;
	struct iot_proc *p = exit_account(sys, ret, &f);
	__u64 id = bpf_get_current_pid_tgid();
	struct iot_thread *t;
	bool slept;

	if (!p)
		return;
	slept = nvcsw_now() != f->nvcsw;
	p->accept_blocked += slept;
	t = thread_get(id >> 32, (__u32)id);
	if (t) {
		t->accepts++;
		t->accept_blocked += slept;
	}
	fd_note_accept(id >> 32, f->fd, ret);
}

SEC("tracepoint/syscalls/sys_exit_accept")
int exit_accept(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	accept_exit(IOT_ACCEPT, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int exit_accept4(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	accept_exit(IOT_ACCEPT4, ctx->ret);
	return 0;
}

SEC("tracepoint/syscalls/sys_exit_close")
int exit_close(struct trace_event_raw_sys_exit *ctx)
{
	if (floor_only)
		return 0;
	struct inflight *f;

	if (exit_account(IOT_CLOSE, ctx->ret, &f) && ctx->ret == 0)
		fd_closed(bpf_get_current_pid_tgid() >> 32, f->fd);
	return 0;
}
SEC("tracepoint/syscalls/sys_exit_io_uring_enter")
int exit_io_uring_enter(struct trace_event_raw_sys_exit *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct inflight *f;
	struct iot_thread *t;

	if (floor_only)
		return 0;
	if (!exit_account(IOT_IO_URING_ENTER, ctx->ret, &f))
		return 0;
	t = thread_get(id >> 32, (__u32)id);
	if (t)
		t->uring_enters++;
	return 0;
}

/* -------------------------------------------------------------- off-CPU */

/* Runs on every context switch of the system, so it does as little as it
 * can: a task-storage peek (no storage: not traced) and one array slot. It
 * fires in the context of the task switched out (prev). */
SEC("tracepoint/sched/sched_switch")
int on_switch(struct trace_event_raw_sched_switch *ctx)
{
	if (floor_only)
		return 0;
	struct inflight *f = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
	struct offcpu_slot *s;
	__u64 now = 0;
	__u32 k;

	if (f && f->ts && is_wait(f->sys)) {
		k = (__u32)ctx->prev_pid & (OFFCPU_SLOTS - 1);
		s = bpf_map_lookup_elem(&offcpu, &k);
		if (s && s->tid == (__u32)ctx->prev_pid)
			s->out_ts = now = bpf_ktime_get_ns();
	}
	if (!ctx->next_pid)
		return 0;
	k = (__u32)ctx->next_pid & (OFFCPU_SLOTS - 1);
	s = bpf_map_lookup_elem(&offcpu, &k);
	if (s && s->tid == (__u32)ctx->next_pid && s->out_ts) {
		if (!now)
			now = bpf_ktime_get_ns();
		s->off_ns += now - s->out_ts;
		s->out_ts = 0;
	}
	return 0;
}

/* ------------------------------------------------------------ lifecycle */

static __always_inline void emit(__u32 type, __u32 tgid, __u32 ppid)
{
	struct iot_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost(IOT_LOST_RINGBUF);
		return;
	}
	e->type = type;
	e->tgid = tgid;
	e->ppid = ppid;
	e->pad = 0;
	e->ts_ns = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
}

/* A raw tracepoint: it hands over the child task, whose tgid tells a new
 * process (follow it) from a new thread (already covered by its tgid). */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	if (floor_only)
		return 0;
	__u32 ptgid = BPF_CORE_READ(parent, tgid);
	__u32 ctgid = BPF_CORE_READ(child, tgid);
	__u32 *flags;
	__u32 v;

	if (ptgid == ctgid || trace_all)
		return 0;
	flags = bpf_map_lookup_elem(&targets, &ptgid);
	if (!flags || !(*flags & IOT_TARGET_FOLLOW))
		return 0;
	v = *flags;
	if (bpf_map_update_elem(&targets, &ctgid, &v, BPF_ANY)) {
		count_lost(IOT_LOST_TARGET_MAP_FULL);
		return 0;
	}
	emit(IOT_EV_FORK, ctgid, ptgid);
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
	if (floor_only)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (!trace_all && bpf_map_lookup_elem(&targets, &tgid))
		emit(IOT_EV_EXEC, tgid, 0);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int on_exit(void *ctx)
{
	if (floor_only)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	struct task_struct *task;

	if (trace_all || !bpf_map_lookup_elem(&targets, &tgid))
		return 0;
	/* signal->live drops to 0 when the group's last thread exits */
	task = bpf_get_current_task_btf();
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	bpf_map_delete_elem(&targets, &tgid);
	emit(IOT_EV_EXIT, tgid, 0);
	return 0;
}
