/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every family program shares: the process and thread counters, the
 * entry and exit bookkeeping, bounded reads of user memory.
 */
#ifndef IOTRACE_COMMON_BPF_H
#define IOTRACE_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "maps.bpf.h"
#include "flame.bpf.h"

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

#define EPOLLIN 0x001
#define EPOLLOUT 0x004
#define EPOLLONESHOT (1u << 30)
#define EPOLLET (1u << 31)
#define POLLIN 0x001
#define POLLOUT 0x004
#define EPOLL_CTL_ADD 1
#define EPOLL_CTL_DEL 2
#define EPOLL_CTL_MOD 3

#define PSLOT_HASH 0xffffffffu /* no slot: the process is counted in procs */
#define TSLOT_HASH 0xffffffffu /* no slot: the thread is counted in threads */

/* Template for a new procs entry (a map update needs a value pointer). */
static const struct iot_proc zero_proc;

static __always_inline void count_lost(__u32 reason)
{
	__u64 *v = bpf_map_lookup_elem(&lost, &reason);

	if (v)
		*v += 1;
}

static __always_inline void count_lost_n(__u32 reason, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&lost, &reason);

	if (v)
		*v += n;
}

static __always_inline struct scratch *scratch_get(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

/* floor(log2(v)), 0 for 0. Each step is arithmetic on a comparison; all in
 * 64-bit registers (the 6.1 verifier does not carry the bounds of a 32-bit
 * result into the 64-bit register an index is added from). */
static __always_inline __u64 log2_floor(__u64 v)
{
	__u64 r, shift;

	shift = (__u64)(v > 0xFFFFFFFF) << 5; v >>= shift; r = shift;
	shift = (__u64)(v > 0xFFFF) << 4; v >>= shift; r |= shift;
	shift = (__u64)(v > 0xFF) << 3; v >>= shift; r |= shift;
	shift = (__u64)(v > 0xF) << 2; v >>= shift; r |= shift;
	shift = (__u64)(v > 0x3) << 1; v >>= shift; r |= shift;
	r |= (v >> 1);
	return r;
}

/* The index of the only bit set in `low` (a power of two): the bits below
 * it, counted without a branch. */
static __always_inline __u64 bit_index(__u64 low)
{
	return __builtin_popcountll(low - 1) & 63;
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

/* ------------------------------------------------------------ threads */

static __always_inline struct iot_thread *thread_get(__u32 tgid, __u32 tid)
{
	struct iot_thread *t = bpf_map_lookup_elem(&threads, &tid), init = {};

	if (t)
		return t;
	init.tgid = tgid;
	bpf_get_current_comm(init.comm, sizeof(init.comm));
	bpf_map_update_elem(&threads, &tid, &init, BPF_NOEXIST);
	t = bpf_map_lookup_elem(&threads, &tid);
	if (!t)
		count_lost(IOT_LOST_FD_MAP_FULL);
	return t;
}

/* A slot for the current thread (+ 1), or TSLOT_HASH. Once per thread. */
static __noinline __u32 thread_slot_take(__u32 tgid, __u32 tid)
{
	struct iot_thread *t;
	__u32 slot;

	if (bpf_map_pop_elem(&free_tslots, &slot))
		return TSLOT_HASH;
	t = bpf_map_lookup_elem(&thread_stats, &slot);
	if (!t)
		return TSLOT_HASH;
	bpf_get_current_comm(t->comm, sizeof(t->comm));
	t->tid = tid;
	t->exited = 0;
	t->tgid = tgid; /* last: user space skips slots with tgid 0 */
	return slot + 1;
}

/* The thread's figures: its slot, else its threads entry. */
static __always_inline struct iot_thread *thread_counters(__u32 tslot, __u64 id)
{
	if (tslot && tslot != TSLOT_HASH) {
		__u32 k = tslot - 1;

		return bpf_map_lookup_elem(&thread_stats, &k);
	}
	return thread_get(id >> 32, (__u32)id);
}

/* ---------------------------------------------------------------- enter */

/* Whether the process is traced: one bit, no helper call. */
static __always_inline bool traced(__u32 tgid)
{
	if (trace_all)
		return tgid != self_tgid && all_armed;
	return (target_bits[(tgid >> 6) & (TARGET_WORDS - 1)] >> (tgid & 63)) & 1;
}

/* Whether user space is adding the process, not traced (yet): it has a
 * `targets` entry (maps.bpf.h, seeding_any); system-wide, before all_armed,
 * every process but iotrace is. One load for every other process. */
static __always_inline bool being_added(__u32 tgid)
{
	if (!seeding_any)
		return false;
	if (trace_all)
		return tgid != self_tgid;
	return bpf_map_lookup_elem(&targets, &tgid);
}

/* -U: the current task runs as the user asked for (its real uid). A
 * helper call, made only when a filter is set (filter_uid is rodata: the
 * verifier drops the branch otherwise). */
static __always_inline bool uid_passes(void)
{
	if (filter_uid == IOT_NO_UID)
		return true;
	return (__u32)bpf_get_current_uid_gid() == filter_uid;
}

/* The kernel side holds something of process tgid that user space must
 * read and free when it exits (system-wide mode: counters, or the epoll
 * registrations seeded at start). */
static __always_inline bool has_state(__u32 tgid)
{
	return bpf_map_lookup_elem(&proc_slots, &tgid) || bpf_map_lookup_elem(&procs, &tgid) ||
	       bpf_map_lookup_elem(&proc_epfds, &tgid);
}

/* The syscall arguments, from the user registers saved at entry:
 * bpf_task_pt_regs gives a typed pointer, so these are plain loads. */
static __always_inline void read_syscall_args(struct task_struct *task, __u64 a[5])
{
	struct pt_regs *regs = (struct pt_regs *)bpf_task_pt_regs(task);

	a[0] = PT_REGS_PARM1_SYSCALL(regs);
	a[1] = PT_REGS_PARM2_SYSCALL(regs);
	a[2] = PT_REGS_PARM3_SYSCALL(regs);
	a[3] = PT_REGS_PARM4_SYSCALL(regs);
	a[4] = PT_REGS_PARM5_SYSCALL(regs);
}

/* The registrations of a closed fd: marked, then dropped (readiness.bpf.c). */
extern int ep_forget_fd(__u32 tgid, __s32 fd, __u32 now);

/*
 * The start of every family's entry program (the dispatcher checked that
 * the syscall is probed and the process traced): the thread's in-flight
 * record for this call, and the call's arguments. NULL when the record
 * cannot be had (counted lost).
 */
static __always_inline struct inflight *enter_begin(struct bpf_raw_tracepoint_args *ctx, __u64 a[5],
						    struct task_struct **taskp)
{
	struct task_struct *task = bpf_get_current_task_btf();
	/* pid and tgid are loads from the task: no helper call for them */
	__u64 nr = ctx->args[1], id = ((__u64)task->tgid << 32) | (__u32)task->pid;
	struct inflight *f;
	__u32 sys;

	if (nr >= IOT_SYSNR_MAX)
		return NULL;
	sys = sys_of_nr[nr];
	if (!sys)
		return NULL;
	f = bpf_task_storage_get(&inflight, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!f) {
		count_lost(IOT_LOST_TASK_STORAGE);
		return NULL;
	}
	/* the thread's last close is over, file released (readiness.bpf.h,
	 * close_done): its registrations go now */
	if (f->closed_fd) {
		ep_forget_fd(id >> 32, f->closed_fd - 1, 1);
		f->closed_fd = 0;
	}
	f->sys = sys - 1;
	f->nr = nr;
	f->bad_read = 0;
	f->id = id;
	/* an epoll_ctl or close of a process being added (dispatch.bpf.c):
	 * followed, not counted: no counter slots, no flame cell for it */
	f->seeding = !traced(id >> 32);
	if (!f->pslot && !f->seeding)
		f->pslot = proc_slot_of(id >> 32);
	if (!f->tslot && !f->seeding)
		f->tslot = thread_slot_take(id >> 32, (__u32)id);
	read_syscall_args(task, a);
	if (!f->seeding)
		flame_enter(ctx, f, task, a);
	*taskp = task;
	return f;
}

/* The number of the syscall the task is in, from its saved user registers
 * (sys_exit's tracepoint does not pass it); -1 on an architecture not
 * known here. */
static __always_inline long syscall_nr_of(struct task_struct *task)
{
#if defined(__TARGET_ARCH_x86)
	return (long)((struct pt_regs *)bpf_task_pt_regs(task))->orig_ax;
#elif defined(__TARGET_ARCH_arm64)
	return ((struct pt_regs *)bpf_task_pt_regs(task))->syscallno;
#else
	return -1;
#endif
}

/* The clock starts last, so the probe's own reads are not billed to the call. */
static __always_inline void enter_done(struct inflight *f)
{
	f->ts = bpf_ktime_get_ns();
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
static __always_inline __u64 nvcsw_of(struct task_struct *task)
{
	return task->nvcsw;
}

/*
 * Reads chunk i of a user array into the per-CPU scratch: elements
 * [i * per_chunk, ...) of `total` elements of `elem` bytes each. Returns how
 * many elements it read; 0 past the end, -1 when the read failed (the caller
 * counts it lost).
 */
static __always_inline long chunk_read(struct scratch *s, __u64 uptr, __u64 i, __u64 total, __u32 per_chunk,
				       __u32 elem)
{
	__u64 first = i * per_chunk, n, len;

	if (first >= total)
		return 0;
	n = total - first;
	if (n > per_chunk)
		n = per_chunk;
	len = n * elem;
	if (len > sizeof(s->w))
		len = sizeof(s->w);
	if (bpf_probe_read_user(s->w, len, (void *)(uptr + first * elem)))
		return -1;
	return n;
}

/* ----------------------------------------------------------------- exit */

/*
 * The start of every family's exit program: the thread's in-flight record
 * (the dispatcher found it and saw a call in flight).
 */
static __always_inline struct inflight *exit_begin(struct task_struct *task)
{
	struct inflight *f = bpf_task_storage_get(&inflight, task, 0, 0);

	return f && f->ts ? f : NULL;
}

/* Accounts the call f in its syscall's row and returns the process's
 * counters, or NULL when they have no room. */
static __always_inline struct iot_proc *exit_account(struct inflight *f, long ret)
{
	struct iot_proc *p;
	struct iot_sys_stats *st;
	__u64 dur = bpf_ktime_get_ns() - f->ts;
	__u32 sys = f->sys;
	__u64 slot;

	f->ts = 0;
	f->dur = dur;
	if (sys >= IOT_NR_SYS)
		return NULL;
	p = proc_counters(f->id >> 32, f->pslot);
	if (!p)
		return NULL;
	/* the 6.1 verifier loses the bound of `sys` across the calls above:
	 * check it again right where the index is used */
	barrier_var(sys);
	if (sys >= IOT_NR_SYS)
		return NULL;
	st = &p->sys[sys];
	st->calls++;
	st->time_ns += dur;
	slot = log2_floor(dur);
	/* checked where it is used, for the same reason as sys above */
	barrier_var(slot);
	st->hist[slot < IOT_HIST_SLOTS ? slot : IOT_HIST_SLOTS - 1]++;
	if (ret < 0) {
		st->errors++;
		if (ret == -EAGAIN)
			st->eagain++;
	}
	flame_exit(f, ret, dur);
	return p;
}

/* The start of every family's exit program: the call in flight, its
 * return value, and the process's counters with the call accounted in its
 * syscall's row. NULL: nothing more to count (*fp is set when there was a
 * call in flight: an epoll_ctl or close entered while its process was being
 * added, f->seeding, is followed but not counted). */
static __always_inline struct iot_proc *exit_start(struct bpf_raw_tracepoint_args *ctx, struct inflight **fp,
						   long *retp, struct task_struct **taskp)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct inflight *f = exit_begin(task);

	if (!f)
		return NULL;
	*fp = f;
	*taskp = task;
	*retp = (long)ctx->args[1];
	if (f->seeding) {
		f->ts = 0;
		return NULL;
	}
	return exit_account(f, *retp);
}

static __always_inline bool bad_args(long ret)
{
	return ret == -EBADF || ret == -EINVAL || ret == -EFAULT;
}

#endif /* IOTRACE_COMMON_BPF_H */
