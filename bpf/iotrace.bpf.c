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
/* Syscall number -> enum iot_sys + 1 (0: not traced). Numbers differ per
 * architecture, so user space fills this from <sys/syscall.h>. */
const volatile __u8 sys_of_nr[IOT_SYSNR_MAX] = {};

/* tgid -> IOT_TARGET_* flags. User space adds the -p/-- targets; the fork
 * handler adds children of followed targets. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u32);
} targets SEC(".maps");

/* The same set as a bitmap indexed by tgid, for the test every traced
 * syscall makes: a load from global memory instead of a hash lookup. User
 * space sets bits with atomic ors on the mmapped .bss. */
#define TARGET_WORDS (IOT_PID_LIMIT / 64)
__u64 target_bits[TARGET_WORDS];

static __always_inline void target_bit_set(__u32 tgid)
{
	__sync_fetch_and_or(&target_bits[(tgid >> 6) & (TARGET_WORDS - 1)], 1ULL << (tgid & 63));
}

static __always_inline void target_bit_clear(__u32 tgid)
{
	__sync_fetch_and_and(&target_bits[(tgid >> 6) & (TARGET_WORDS - 1)], ~(1ULL << (tgid & 63)));
}

/* Per-process counters, per-CPU so the hot path adds without atomics.
 * A process gets a slot of proc_stats at its first traced call (proc_slots
 * says which); its threads remember the slot in their in-flight storage, so
 * the hot path's lookup is an inlined array index, not a hash lookup. User
 * space sizes the array for the CPU count, zeroes and frees a slot once the
 * process has exited and been read. When no slot is free the process is
 * counted in the `procs` hash instead (same value, slower); user space adds
 * the two. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1); /* set by user space */
	__type(key, __u32);
	__type(value, struct iot_proc);
} proc_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);   /* tgid */
	__type(value, __u32); /* slot in proc_stats */
} proc_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 1); /* set by user space, which pushes every slot */
	__type(value, __u32);
} free_slots SEC(".maps");

/* tgid -> counters, for processes that found no free slot. Entries are
 * removed by user space once the process has exited and been read. */
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
	__u64 id;      /* pid_tgid at entry */
	__u32 pslot;   /* the process's proc_stats slot + 1; 0: not looked up yet */
	__u32 tslot;   /* the thread's thread_stats slot + 1; 0: none taken yet */
};

#define PSLOT_HASH 0xffffffffu /* no slot: the process is counted in procs */

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight SEC(".maps");

/* Scratch for user-memory chunks, too big for the 512-byte stack. */
struct scratch {
	__u64 w[POLL_CHUNK];
	/* the bit walks over select words and poll chunks keep their state
	 * here, not in the loop's context: a map value is not tracked
	 * precisely, so the verifier checks the loop body once */
	__u64 rw, ww, base; /* select: the word's bits not yet reported */
	__u64 pending;      /* poll: the chunk's entries not yet reported */
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

/* floor(log2(v)) for v > 0; 0 for 0. */
static __always_inline __u32 log2_floor(__u64 v)
{
	__u32 r = 0, shift;

	shift = (v > 0xFFFFFFFF) << 5; v >>= shift; r = shift;
	shift = (v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

static __always_inline __u32 log2_slot(__u64 v)
{
	__u32 r = log2_floor(v);

	return r < IOT_HIST_SLOTS ? r : IOT_HIST_SLOTS - 1;
}

/* The process's slot in proc_stats (+ 1), taken from free_slots at its
 * first traced call; PSLOT_HASH when none is free. Once per thread. */
static __noinline __u32 proc_slot_of(__u32 tgid)
{
	__u32 *known = bpf_map_lookup_elem(&proc_slots, &tgid), slot;

	if (known)
		return *known + 1;
	if (bpf_map_pop_elem(&free_slots, &slot))
		return PSLOT_HASH;
	if (bpf_map_update_elem(&proc_slots, &tgid, &slot, BPF_NOEXIST)) {
		/* another thread of the process got there first, or the map is full */
		bpf_map_push_elem(&free_slots, &slot, 0);
		known = bpf_map_lookup_elem(&proc_slots, &tgid);
		return known ? *known + 1 : PSLOT_HASH;
	}
	return slot + 1;
}

/* The process's counters: its proc_stats slot, else its procs entry. */
static __always_inline struct iot_proc *proc_counters(__u32 tgid, __u32 pslot)
{
	struct iot_proc *p;

	if (pslot && pslot != PSLOT_HASH) {
		__u32 k = pslot - 1;

		p = bpf_map_lookup_elem(&proc_stats, &k);
	} else {
		p = bpf_map_lookup_elem(&procs, &tgid);
		if (!p) {
			bpf_map_update_elem(&procs, &tgid, &zero_proc, BPF_NOEXIST);
			p = bpf_map_lookup_elem(&procs, &tgid);
		}
	}
	if (!p)
		count_lost(IOT_LOST_PROC_MAP_FULL);
	return p;
}

#include "readiness.bpf.h"

static __always_inline bool is_wait(__u32 sys)
{
	return sys <= IOT_EPOLL_PWAIT2;
}

/* ---------------------------------------------------------------- enter */

/* Whether the current process is traced: one bit, no helper call. */
static __always_inline bool traced(__u32 tgid)
{
	if (trace_all)
		return tgid != self_tgid;
	return (target_bits[(tgid >> 6) & (TARGET_WORDS - 1)] >> (tgid & 63)) & 1;
}

/* The six syscall arguments, from the user registers saved at entry.
 * bpf_task_pt_regs gives a typed pointer, so these are plain loads, not a
 * bpf_probe_read_kernel() call each. */
static __always_inline void read_syscall_args(struct task_struct *task, __u64 a[6])
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

	a[0] = PT_REGS_PARM1_SYSCALL(regs);
	a[1] = PT_REGS_PARM2_SYSCALL(regs);
	a[2] = PT_REGS_PARM3_SYSCALL(regs);
	a[3] = PT_REGS_PARM4_SYSCALL(regs);
	a[4] = PT_REGS_PARM5_SYSCALL(regs);
	a[5] = 0;
}

/* A 32-bit process's syscalls have other numbers (and argument layouts):
 * they are not traced. x86-64 marks them with TS_COMPAT in thread_info. */
static __always_inline bool compat_syscall(struct task_struct *task)
{
#ifdef __TARGET_ARCH_x86
	return task->thread_info.status & 0x0002; /* TS_COMPAT */
#else
	return false;
#endif
}

/* The traced thread's in-flight slot for this call (the caller checked
 * traced()). It keeps the pid too, so the exit needs no helper for it. */
static __always_inline struct inflight *enter(struct task_struct *task, __u64 id, __u32 sys)
{
	struct inflight *f;

	f = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!f) {
		count_lost(IOT_LOST_TASK_STORAGE);
		return NULL;
	}
	f->sys = sys;
	f->bad_read = 0;
	f->id = id;
	if (!f->pslot)
		f->pslot = proc_slot_of(id >> 32);
	if (!f->tslot)
		f->tslot = thread_slot_take(id >> 32, (__u32)id);
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
	__u64 id = f->id;
	struct task_struct *task = bpf_get_current_task_btf();

	f->waiter = waiter;
	f->zero_timeout = zero_timeout;
	f->seq = waiter_begin(id >> 32, waiter, f->pslot);
	f->nvcsw = task->nvcsw;
	offcpu_begin((__u32)id);
}

static __always_inline __u32 thread_waiter(struct inflight *f)
{
	return (__u32)f->id | WAITER_THREAD;
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
	return bpf_get_current_task_btf()->nvcsw;
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

static __always_inline void select_enter(struct inflight *f, __s64 n, __u64 inp, __u64 outp, __u64 exp, __u64 tvp)
{
	struct setcount_ctx c = {};
	__u64 sets[3] = { inp, outp, exp };
	__u64 chunks;

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
	wait_begin(f, thread_waiter(f), zero_time(tvp));
	enter_done(f);
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

static __always_inline void poll_enter(struct inflight *f, __u64 ufds, __u64 nfds, bool zero_timeout)
{
	struct pollcount_ctx c = { .uptr = ufds, .nfds = (__u32)nfds };
	__u64 chunks;

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
	wait_begin(f, thread_waiter(f), zero_timeout);
	enter_done(f);
}

/* epoll waits: the interest list's size, read from the epoll instance.
 * Since Linux 6.4 eventpoll.refcount is 1 (the file) + 1 per epitem. */
struct eventpoll___v64 {
	refcount_t refcount;
} __attribute__((preserve_access_index));

static __always_inline void epoll_wait_enter(struct inflight *f, int epfd, __u64 events, bool zero_timeout)
{
	struct task_struct *task;
	struct fdtable *fdt;
	struct file **fdarr, *file = NULL;
	void *ep;
	int refs;

	f->watched = 0;
	if (!bpf_core_field_exists(struct eventpoll___v64, refcount)) {
		f->bad_read = 1;
		count_lost(IOT_LOST_KERNEL_READ);
		goto out;
	}
	/* typed loads down to the fd array (no helper call); the array's
	 * element and what it points to need reads */
	task = bpf_get_current_task_btf();
	fdt = task->files->fdt;
	if (!fdt || epfd < 0 || (unsigned int)epfd >= fdt->max_fds) {
		f->bad_read = 1; /* EBADF ahead: nothing to add */
		goto out;
	}
	fdarr = fdt->fd;
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

static __always_inline void epoll_ctl_enter(struct inflight *f, int epfd, __u64 op, int fd, __u64 uevent)
{

	f->nfds = op;
	f->waiter = (__u32)epfd;
	f->fd = fd;
	f->ctl_events = 0;
	f->ctl_data = 0;
	if (f->nfds != EPOLL_CTL_DEL && uevent) {
		__u8 ev[EPOLL_EVENT_SIZE];

		if (bpf_probe_read_user(ev, sizeof(ev), (void *)uevent) == 0) {
			__builtin_memcpy(&f->ctl_events, ev, 4);
			__builtin_memcpy(&f->ctl_data, ev + EPOLL_EVENT_SIZE - 8, 8);
		} else {
			f->bad_read = 1;
		}
	}
	enter_done(f);
}

/* Receives: remember the bytes asked for. */
static __always_inline void recv_enter(struct inflight *f, int fd, __u64 len)
{

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

static __always_inline void iov_enter(struct inflight *f, int fd, __u64 iov, __u64 n)
{
	struct iovsum_ctx c = { .uptr = iov, .n = n };

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

static __always_inline void recvmsg_enter(struct inflight *f, int fd, __u64 umsg)
{
	struct user_msghdr m = {};

	/* the iovec array is summed like readv's; a failed read of the header
	 * is accounted as a call with its size unknown */
	if (bpf_probe_read_user(&m, sizeof(m), (void *)umsg)) {
		count_lost(IOT_LOST_USER_READ);
		f->fd = fd;
		f->nvcsw = nvcsw_now();
		f->bad_read = 1;
		f->asked = 0;
		enter_done(f);
		return;
	}
	iov_enter(f, fd, (__u64)m.msg_iov, m.msg_iovlen);
}

static __always_inline void mmsg_enter(struct inflight *f, int fd, __u64 vec, __u64 vlen)
{

	f->fd = fd;
	f->ptr = vec;
	f->nfds = (__u32)vlen;
	f->nvcsw = nvcsw_now();
	enter_done(f);
}

/* Calls whose entry carries nothing but the clock and the fd. */
static __always_inline void plain_enter(struct inflight *f, int fd)
{

	f->fd = fd;
	enter_done(f);
}

/* accept: whether it slept tells blocking IO apart */
static __always_inline void accept_enter(struct inflight *f, int fd)
{

	f->fd = fd;
	f->nvcsw = nvcsw_now();
	enter_done(f);
}

/* One program for every syscall's entry: the syscall number picks the
 * handler, and the arguments come from the saved user registers. A raw
 * tracepoint costs far less per call than the per-syscall tracepoints (no
 * perf buffer, no argument copy), and untraced syscalls and processes leave
 * after a table load and one hash lookup. */
SEC("raw_tp/sys_enter")
int sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 nr = ctx->args[1], a[6], id;
	struct task_struct *task;
	struct inflight *f;
	__u32 sys;

	if (floor_only || nr >= IOT_SYSNR_MAX)
		return 0;
	sys = sys_of_nr[nr];
	if (!sys)
		return 0;
	id = bpf_get_current_pid_tgid();
	if (!traced(id >> 32))
		return 0;
	task = bpf_get_current_task_btf();
	if (compat_syscall(task))
		return 0;
	sys -= 1;
	f = enter(task, id, sys);
	if (!f)
		return 0;
	read_syscall_args(task, a);
	switch (sys) {
	case IOT_SELECT:
	case IOT_PSELECT6:
		select_enter(f, (int)a[0], a[1], a[2], a[3], a[4]);
		break;
	case IOT_POLL:
		poll_enter(f, a[0], a[1], (int)a[2] == 0);
		break;
	case IOT_PPOLL:
		poll_enter(f, a[0], a[1], zero_time(a[2]));
		break;
	case IOT_EPOLL_WAIT:
	case IOT_EPOLL_PWAIT:
		epoll_wait_enter(f, (int)a[0], a[1], (int)a[3] == 0);
		break;
	case IOT_EPOLL_PWAIT2:
		epoll_wait_enter(f, (int)a[0], a[1], zero_time(a[3]));
		break;
	case IOT_EPOLL_CTL:
		epoll_ctl_enter(f, (int)a[0], a[1], (int)a[2], a[3]);
		break;
	case IOT_RECVFROM:
	case IOT_READ:
		recv_enter(f, (int)a[0], a[2]);
		break;
	case IOT_READV:
		iov_enter(f, (int)a[0], a[1], a[2]);
		break;
	case IOT_RECVMSG:
		recvmsg_enter(f, (int)a[0], a[1]);
		break;
	case IOT_RECVMMSG:
	case IOT_SENDMMSG:
		mmsg_enter(f, (int)a[0], a[1], a[2]);
		break;
	case IOT_ACCEPT:
	case IOT_ACCEPT4:
		accept_enter(f, (int)a[0]);
		break;
	default: /* sends, writes, close, io_uring_enter */
		plain_enter(f, (int)a[0]);
		break;
	}
	return 0;
}

/* ----------------------------------------------------------------- exit */

/* Accounts the call f in its syscall's row and returns the process's
 * counters, or NULL when they have no room. */
static __always_inline struct iot_proc *exit_account(struct inflight *f, __u32 sys, long ret)
{
	struct iot_proc *p;
	struct iot_sys_stats *st;
	__u64 now, dur;

	now = bpf_ktime_get_ns();
	dur = now - f->ts;
	f->ts = 0;
	f->dur = dur;

	p = proc_counters(f->id >> 32, f->pslot);
	if (!p)
		return NULL;
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
	return p;
}

static __always_inline bool bad_args(long ret)
{
	return ret == -EBADF || ret == -EINVAL || ret == -EFAULT;
}

static __always_inline void wait_common(struct iot_proc *p, struct inflight *f, long ret)
{
	__u64 id = f->id, off = 0;
	struct task_struct *task = bpf_get_current_task_btf();
	struct iot_thread *t = thread_counters(f->tslot, id);
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

/* The lowest bit still set in the word: one fd reported. The set bits are
 * walked by a loop of their own, so the verifier checks this body once (an
 * unrolled 64-bit loop costs it tens of thousands of instructions). */
static long selres_bit(__u32 i, struct selres_ctx *c)
{
	__u32 zero = 0, what;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	__u64 any, low;

	if (!s)
		return 1;
	any = s->rw | s->ww;
	low = any & -any;
	if (!low)
		return 1;
	what = ((s->rw & low) ? REPORT_READABLE : 0) | ((s->ww & low) ? REPORT_WRITABLE : 0);
	s->rw &= ~low;
	s->ww &= ~low;
	tally_add(&c->t, report_fd(c->tgid, c->waiter, (__s32)(s->base + log2_floor(low)),
				   REPORT(what, IOT_TRIG_SELECT), c->seq));
	return 0;
}

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
	{
		__u32 zero = 0;
		struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);

		if (!s)
			return 1;
		s->rw = rw;
		s->ww = ww;
		s->base = base;
	}
	bpf_loop(__builtin_popcountll(rw | ww), selres_bit, c, 0);
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

/* struct pollfd { int fd; short events; short revents; } as one word */
static __always_inline __u16 pollfd_revents(__u64 e)
{
	return (__u16)(e >> 48);
}

/* The lowest pending entry of the chunk in the scratch: one fd reported. */
static long pollres_entry(__u32 i, struct pollres_ctx *c)
{
	__u32 zero = 0, k, what;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	__u64 low, e;
	__u16 rev;

	if (!s)
		return 1;
	low = s->pending & -s->pending;
	if (!low)
		return 1;
	s->pending &= ~low;
	k = log2_floor(low) & (POLL_CHUNK - 1);
	e = s->w[k];
	rev = pollfd_revents(e);
	what = ((rev & POLLIN) ? REPORT_READABLE : 0) | ((rev & POLLOUT) ? REPORT_WRITABLE : 0);
	tally_add(&c->t, report_fd(c->tgid, c->waiter, (__s32)(__u32)e, REPORT(what, IOT_TRIG_POLL), c->seq));
	return 0;
}

static long pollres_chunk(__u32 i, struct pollres_ctx *c)
{
	struct scratch *s;
	long n = chunk_read(&s, c->uptr, i, c->nfds, POLL_CHUNK, 8);

	if (n <= 0) {
		c->failed |= n < 0;
		return 1;
	}
	/* a mask of the entries to report (no call in this loop: cheap to
	 * verify), then a loop over its bits */
	{
		__u64 pending = 0;

		for (__u32 k = 0; k < POLL_CHUNK; k++) {
			__u64 e;

			if (k >= n)
				break;
			e = s->w[k];
			if ((__s32)(__u32)e >= 0 && (pollfd_revents(e) & (POLLIN | POLLOUT)))
				pending |= 1ULL << k;
		}
		s->pending = pending;
		/* at most n entries; it stops at the last pending one (the
		 * count of pending bits as the bound would make the verifier
		 * follow every combination of bits the loop above can set) */
		bpf_loop(n, pollres_entry, c, 0);
	}
	return 0;
}

/* epoll results: name each event's fd through its registration's data. */
struct epres_ctx {
	__u64 uptr;
	__u64 nevents;
	__u64 seq;
	__u32 tgid;
	__s32 epfd;
	__u32 failed, unknown;
	struct tally t;
};

/* One epoll event: its fd named through the registration's data, then
 * report_fd. Returns report_fd's result, or -1 when the registration is
 * unknown. Global, so the verifier checks it once, not in every iteration
 * of the chunk loop below. */
__noinline int ep_event_report(__u32 tgid, __s32 epfd, __u32 events, __u64 data, __u64 seq)
{
	struct iot_ep_data_key key = { .tgid = tgid, .epfd = epfd, .data = data };
	struct iot_ep_reg *reg = bpf_map_lookup_elem(&ep_by_data, &key);
	__u32 what, trig;

	if (!reg)
		return -1;
	trig = (reg->events & EPOLLET) ? IOT_TRIG_ET : (reg->events & EPOLLONESHOT) ? IOT_TRIG_ONESHOT : IOT_TRIG_LT;
	what = ((events & EPOLLIN) ? REPORT_READABLE : 0) | ((events & EPOLLOUT) ? REPORT_WRITABLE : 0);
	/* EPOLLONESHOT is a flag of its own: with EPOLLET the trigger says et */
	if (!what)
		return 0;
	return report_fd(tgid, (__u32)epfd, reg->fd,
			 REPORT(what | ((reg->events & EPOLLONESHOT) ? REPORT_ONESHOT : 0), trig), seq);
}

/* Events read at once: as many as fit the scratch (42 on x86-64). */
#define EPRES_CHUNK (sizeof(((struct scratch *)0)->w) / EPOLL_EVENT_SIZE)

/* Event k of the chunk in the scratch. A loop of its own (not an unrolled
 * one inside epres_chunk): the verifier then checks the body once, not once
 * per event of a chunk. */
static long epres_one(__u32 k, struct epres_ctx *c)
{
	__u32 zero = 0, events;
	struct scratch *s = bpf_map_lookup_elem(&scratch, &zero);
	const __u8 *ev;
	__u64 data;
	int r;

	if (!s || k >= EPRES_CHUNK)
		return 1;
	ev = (const __u8 *)s->w + k * EPOLL_EVENT_SIZE;
	__builtin_memcpy(&events, ev, 4);
	__builtin_memcpy(&data, ev + EPOLL_EVENT_SIZE - 8, 8);
	r = ep_event_report(c->tgid, c->epfd, events, data, c->seq);
	c->unknown += r < 0;
	tally_add(&c->t, r < 0 ? 0 : r);
	return 0;
}

static long epres_chunk(__u32 i, struct epres_ctx *c)
{
	struct scratch *s;
	long n = chunk_read(&s, c->uptr, i, c->nevents, EPRES_CHUNK, EPOLL_EVENT_SIZE);

	if (n <= 0) {
		c->failed |= n < 0;
		return 1;
	}
	bpf_loop(n, epres_one, c, 0);
	return 0;
}

static __always_inline void select_exit(struct inflight *f, __u32 sys, long ret)
{
	struct iot_proc *p = exit_account(f, sys, ret);
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
					.tgid = f->id >> 32, .waiter = f->waiter };

		bpf_loop((f->nfds + 63) / 64 > SELECT_MAX_CHUNKS * 16 ? 0 : (f->nfds + 63) / 64,
			 selres_word, &c, 0);
		if (c.failed)
			count_lost(IOT_LOST_USER_READ);
		tally_apply(p, &c.t);
	}
}

static __always_inline void poll_exit(struct inflight *f, __u32 sys, long ret)
{
	struct iot_proc *p = exit_account(f, sys, ret);

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
					 .tgid = f->id >> 32, .waiter = f->waiter };

		bpf_loop((f->nfds + POLL_CHUNK - 1) / POLL_CHUNK, pollres_chunk, &c, 0);
		if (c.failed)
			count_lost(IOT_LOST_USER_READ);
		tally_apply(p, &c.t);
	}
}

static __always_inline void epoll_wait_exit(struct inflight *f, __u32 sys, long ret)
{
	struct iot_proc *p = exit_account(f, sys, ret);

	if (!p)
		return;
	wait_common(p, f, ret);
	if (ret > 0) {
		struct epres_ctx c = { .uptr = f->ptr, .nevents = ret, .seq = f->seq,
				       .tgid = f->id >> 32, .epfd = f->fd };

		p->wait_scanned += ret;
		p->copy_wait_out += ret * EPOLL_EVENT_SIZE;
		if (ret > EPOLL_EVENTS_MAX) {
			count_lost(IOT_LOST_BOUND);
			return;
		}
		bpf_loop((ret + EPRES_CHUNK - 1) / EPRES_CHUNK, epres_chunk, &c, 0);
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

static __always_inline void epoll_ctl_exit(struct inflight *f, long ret)
{
	struct iot_proc *p = exit_account(f, IOT_EPOLL_CTL, ret);

	if (!p)
		return;
	/* the kernel copies the event in for ADD and MOD before it checks more */
	if ((f->nfds == EPOLL_CTL_ADD || f->nfds == EPOLL_CTL_MOD) && ret != -EFAULT)
		p->copy_wait_in += EPOLL_EVENT_SIZE;
	if (ret == 0) {
		__u32 tgid = f->id >> 32;
		__s32 epfd = (__s32)f->waiter;

		if (f->nfds == EPOLL_CTL_DEL)
			ep_unregister(tgid, epfd, f->fd);
		else if (!f->bad_read)
			ep_register(tgid, epfd, f->fd, f->ctl_events, f->ctl_data);
	}
}

/* Every receive: the thread's count, and the fd's if a wait reported it. */
static __always_inline void recv_note(struct iot_proc *p, struct inflight *f, long ret, __u64 bytes,
				      bool drained)
{
	__u64 id = f->id;
	struct iot_thread *t = thread_counters(f->tslot, id);
	bool slept = nvcsw_now() != f->nvcsw;

	p->recv_blocked += slept;
	if (t) {
		t->recv++;
		t->recv_eagain += ret == -EAGAIN;
		t->recv_blocked += slept;
	}
	fd_note_read(id >> 32, f->fd, ret, bytes, drained);
}

static __always_inline void recv_exit(struct inflight *f, __u32 sys, long ret)
{
	struct iot_proc *p = exit_account(f, sys, ret);
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

static __always_inline void recvmmsg_exit(struct inflight *f, long ret)
{
	struct iot_proc *p = exit_account(f, IOT_RECVMMSG, ret);
	bool is_short;
	__u64 bytes;

	if (!p)
		return;
	bytes = mmsg_bytes(f, ret);
	is_short = ret > 0 && (__u64)ret < f->nfds; /* fewer messages than asked */
	if (ret == 0)
		p->recv_eof++;
	if (is_short)
		p->recv_short++;
	p->recv_bytes += bytes;
	recv_note(p, f, ret, bytes, ret == 0 || ret == -EAGAIN || is_short);
}

static __always_inline void sendmmsg_exit(struct inflight *f, long ret)
{
	struct iot_proc *p = exit_account(f, IOT_SENDMMSG, ret);

	if (p) {
		p->send_bytes += mmsg_bytes(f, ret);
		fd_note_write(f->id >> 32, f->fd);
	}
}

static __always_inline void send_exit(struct inflight *f, __u32 sys, long ret)
{
	struct iot_proc *p = exit_account(f, sys, ret);

	if (!p)
		return;
	if (ret > 0)
		p->send_bytes += ret;
	fd_note_write(f->id >> 32, f->fd);
}

/* For readiness, accept is a listening socket's read: one connection taken
 * per call, EAGAIN when the queue is drained. */
static __always_inline void accept_exit(struct inflight *f, __u32 sys, long ret)
{
	struct iot_proc *p = exit_account(f, sys, ret);
	__u64 id = f->id;
	struct iot_thread *t;
	bool slept;

	if (!p)
		return;
	slept = nvcsw_now() != f->nvcsw;
	p->accept_blocked += slept;
	t = thread_counters(f->tslot, id);
	if (t) {
		t->accepts++;
		t->accept_blocked += slept;
	}
	fd_note_accept(id >> 32, f->fd, ret);
}

static __always_inline void close_exit(struct inflight *f, long ret)
{
	if (exit_account(f, IOT_CLOSE, ret) && ret == 0)
		fd_closed(f->id >> 32, f->fd);
}

static __always_inline void io_uring_enter_exit(struct inflight *f, long ret)
{
	__u64 id = f->id;
	struct iot_thread *t;

	if (!exit_account(f, IOT_IO_URING_ENTER, ret))
		return;
	t = thread_counters(f->tslot, id);
	if (t)
		t->uring_enters++;
}

/* One program for every syscall's exit. A call is accounted only if this
 * thread's entry was seen: its in-flight slot says which syscall it is.
 * Threads of untraced processes have no slot and leave at the lookup. */
SEC("raw_tp/sys_exit")
int sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	long ret = (long)ctx->args[1];
	struct inflight *f;
	__u32 sys;

	if (floor_only)
		return 0;
	f = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
	if (!f || !f->ts)
		return 0;
	sys = f->sys;
	switch (sys) {
	case IOT_SELECT:
	case IOT_PSELECT6:
		select_exit(f, sys, ret);
		break;
	case IOT_POLL:
	case IOT_PPOLL:
		poll_exit(f, sys, ret);
		break;
	case IOT_EPOLL_WAIT:
	case IOT_EPOLL_PWAIT:
	case IOT_EPOLL_PWAIT2:
		epoll_wait_exit(f, sys, ret);
		break;
	case IOT_EPOLL_CTL:
		epoll_ctl_exit(f, ret);
		break;
	case IOT_RECVFROM:
	case IOT_RECVMSG:
	case IOT_READ:
	case IOT_READV:
		recv_exit(f, sys, ret);
		break;
	case IOT_RECVMMSG:
		recvmmsg_exit(f, ret);
		break;
	case IOT_SENDMMSG:
		sendmmsg_exit(f, ret);
		break;
	case IOT_SENDTO:
	case IOT_SENDMSG:
	case IOT_WRITE:
	case IOT_WRITEV:
		send_exit(f, sys, ret);
		break;
	case IOT_ACCEPT:
	case IOT_ACCEPT4:
		accept_exit(f, sys, ret);
		break;
	case IOT_CLOSE:
		close_exit(f, ret);
		break;
	case IOT_IO_URING_ENTER:
		io_uring_enter_exit(f, ret);
		break;
	default:
		f->ts = 0;
		break;
	}
	return 0;
}

/* -------------------------------------------------------------- off-CPU */

/* Runs on every context switch of the system, so it does as little as it
 * can: a task-storage peek (no storage: not traced) and one array slot. It
 * fires in the context of the task switched out (prev). A raw tracepoint:
 * the perf-event one copies its fields into a buffer on every switch. */
SEC("raw_tp/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	if (floor_only)
		return 0;
	struct inflight *f = bpf_task_storage_get(&inflight, bpf_get_current_task_btf(), 0, 0);
	__u32 prev_pid = (__u32)bpf_get_current_pid_tgid(), next_pid;
	struct offcpu_slot *s;
	__u64 now = 0;
	__u32 k;

	if (f && f->ts && is_wait(f->sys)) {
		k = prev_pid & (OFFCPU_SLOTS - 1);
		s = bpf_map_lookup_elem(&offcpu, &k);
		if (s && s->tid == prev_pid)
			s->out_ts = now = bpf_ktime_get_ns();
	}
	next_pid = BPF_CORE_READ(next, pid);
	if (!next_pid)
		return 0;
	k = next_pid & (OFFCPU_SLOTS - 1);
	s = bpf_map_lookup_elem(&offcpu, &k);
	if (s && s->tid == next_pid && s->out_ts) {
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
	target_bit_set(ctgid);
	/* its counters now, while the allocator's cache is likely warm: a hash
	 * entry made at its first call could fail for want of memory */
	if (proc_slot_of(ctgid) == PSLOT_HASH)
		bpf_map_update_elem(&procs, &ctgid, &zero_proc, BPF_NOEXIST);
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
	struct task_struct *task = bpf_get_current_task_btf();
	struct inflight *f = bpf_task_storage_get(&inflight, task, 0, 0);

	/* every exiting traced thread: its figures slot can be read and freed */
	if (f && f->tslot && f->tslot != TSLOT_HASH) {
		__u32 k = f->tslot - 1;
		struct iot_thread *t = bpf_map_lookup_elem(&thread_stats, &k);

		if (t)
			t->exited = 1;
	}
	if (trace_all || !bpf_map_lookup_elem(&targets, &tgid))
		return 0;
	/* signal->live drops to 0 when the group's last thread exits */
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	bpf_map_delete_elem(&targets, &tgid);
	target_bit_clear(tgid);
	emit(IOT_EV_EXIT, tgid, 0);
	return 0;
}
