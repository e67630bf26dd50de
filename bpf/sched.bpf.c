// SPDX-License-Identifier: GPL-2.0
/*
 * The scheduler's side: time switched out during waits (on_switch), and the
 * lifecycle of traced processes (fork, exec, exit), sent to user space
 * through the ring buffer (rare: never per syscall).
 */
#include "common.bpf.h"

static __always_inline bool is_wait(__u32 sys)
{
	return sys <= IOT_EPOLL_PWAIT2;
}

/* Runs on every context switch of the system, so it does as little as it
 * can: a task-storage peek (no storage: not traced) and one array slot. It
 * fires in the context of the task switched out (prev). A raw tracepoint:
 * the perf-event one copies its fields into a buffer on every switch. */
SEC("raw_tp/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	struct task_struct *task;
	struct inflight *f;
	__u32 prev_pid, next_pid, k;
	struct offcpu_slot *s;
	__u64 now = 0;

	if (floor_only)
		return 0;
	/* prev is current; its pid is a load from the task, not a helper call */
	task = bpf_get_current_task_btf();
	f = bpf_task_storage_get(&inflight, task, 0, 0);
	prev_pid = task->pid;
	/* iotrace flame: every call's on-CPU time (flame.bpf.h) */
	if (f && f->ts && (is_wait(f->sys) || flame_on)) {
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

static __always_inline void target_bit_set(__u32 tgid)
{
	__sync_fetch_and_or(&target_bits[(tgid >> 6) & (TARGET_WORDS - 1)], 1ULL << (tgid & 63));
}

static __always_inline void target_bit_clear(__u32 tgid)
{
	__sync_fetch_and_and(&target_bits[(tgid >> 6) & (TARGET_WORDS - 1)], ~(1ULL << (tgid & 63)));
}

/* comm: the current task's, or with leader, that task's (an exit's last
 * thread may be a worker thread with a name of its own; the process's name
 * is its group leader's). */
static __always_inline void emit(__u32 type, __u32 tgid, __u32 ppid, struct task_struct *leader)
{
	struct iot_event *e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);

	if (!e) {
		count_lost(IOT_LOST_RINGBUF);
		return;
	}
	e->type = type;
	e->tgid = tgid;
	e->ppid = ppid;
	e->uid = (__u32)bpf_get_current_uid_gid();
	e->ts_ns = bpf_ktime_get_ns();
	if (leader)
		BPF_CORE_READ_STR_INTO(&e->comm, leader, comm);
	else
		bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, 0);
}

/* A raw tracepoint: it hands over the child task, whose tgid tells a new
 * process (follow it) from a new thread (already covered by its tgid). */
SEC("raw_tp/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 ptgid, ctgid, *flags, v;

	if (floor_only)
		return 0;
	ptgid = BPF_CORE_READ(parent, tgid);
	ctgid = BPF_CORE_READ(child, tgid);
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
	emit(IOT_EV_FORK, ctgid, ptgid, NULL);
	return 0;
}

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (floor_only)
		return 0;
	/* system-wide: only a process user space knows of has a name to change */
	if (trace_all ? has_state(tgid) : !!bpf_map_lookup_elem(&targets, &tgid))
		emit(IOT_EV_EXEC, tgid, 0, NULL);
	return 0;
}

SEC("tracepoint/sched/sched_process_exit")
int on_exit(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	__u32 tgid = task->tgid, tid = task->pid;
	struct iot_thread *t = NULL;
	struct inflight *f;

	if (floor_only)
		return 0;
	/* every exiting traced thread: its figures can be read and freed */
	f = bpf_task_storage_get(&inflight, task, 0, 0);
	/* its last close, never followed by a probed call (readiness.bpf.h,
	 * close_done) */
	if (f && f->closed_fd) {
		ep_forget_fd(tgid, f->closed_fd - 1, 1);
		f->closed_fd = 0;
	}
	if (f && f->tslot && f->tslot != TSLOT_HASH) {
		__u32 k = f->tslot - 1;

		t = bpf_map_lookup_elem(&thread_stats, &k);
	} else if (f && f->tslot == TSLOT_HASH) {
		t = bpf_map_lookup_elem(&threads, &tid);
	}
	if (t)
		t->exited = 1;
	/* signal->live drops to 0 when the group's last thread exits */
	if (trace_all) {
		/* every process the kernel side holds state of: user space reads
		 * its final counters and frees its entries */
		if (BPF_CORE_READ(task, signal, live.counter) == 0 && has_state(tgid))
			emit(IOT_EV_EXIT, tgid, BPF_CORE_READ(task, real_parent, tgid),
			     BPF_CORE_READ(task, group_leader));
		return 0;
	}
	if (!bpf_map_lookup_elem(&targets, &tgid))
		return 0;
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	bpf_map_delete_elem(&targets, &tgid);
	target_bit_clear(tgid);
	emit(IOT_EV_EXIT, tgid, BPF_CORE_READ(task, real_parent, tgid), BPF_CORE_READ(task, group_leader));
	return 0;
}
