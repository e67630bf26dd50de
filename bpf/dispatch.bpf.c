// SPDX-License-Identifier: GPL-2.0
/*
 * The two programs attached to the raw syscall tracepoints. They only
 * decide whether a call is iotrace's business and hand it over: each probed
 * syscall's family has its own entry and exit program (select.bpf.c,
 * poll.bpf.c, ...), reached by bpf_tail_call through a program array indexed
 * by the syscall number. User space fills the arrays with the programs that
 * loaded, so a family the kernel refused is simply not there: its calls
 * fall through here and are not counted (the report says so).
 *
 * Keeping the dispatchers thin and the families apart keeps every program
 * far below the verifier's limit: each is checked alone, and a change in how
 * one kernel verifies loops costs one family, not the whole tracer.
 */
#include "common.bpf.h"

char LICENSE[] SEC("license") = "GPL";

/* syscall number -> the family's entry / exit program */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, IOT_SYSNR_MAX);
	__type(key, __u32);
	__type(value, __u32);
} enter_progs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, IOT_SYSNR_MAX);
	__type(key, __u32);
	__type(value, __u32);
} exit_progs SEC(".maps");

/* exit_unseen (epoll_ctl.bpf.c) at 0: the exit of an epoll_ctl or close
 * entered before the probes followed the process */
struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} unseen_progs SEC(".maps");

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

/* An epoll_ctl or close: followed from the moment user space starts adding
 * a process (before its first read of the registrations in /proc). */
static __always_inline bool registration_call(__u64 nr)
{
	__u8 sys;

	if (nr >= IOT_SYSNR_MAX)
		return false;
	sys = sys_of_nr[nr];
	return sys == IOT_EPOLL_CTL + 1 || sys == IOT_CLOSE + 1;
}

/* Every syscall of the system comes here: untraced syscalls leave after a
 * table load, untraced processes after one bit (and, for epoll_ctl and
 * close, a count that is 0 but while iotrace adds a process). */
SEC("raw_tp/sys_enter")
int sys_enter(struct bpf_raw_tracepoint_args *ctx)
{
	__u64 nr = ctx->args[1];
	struct task_struct *task;
	__u32 tgid;

	if (floor_only || nr >= IOT_SYSNR_MAX || !sys_of_nr[nr])
		return 0;
	/* one helper call: the tgid and the compat flag are loads from the task */
	task = bpf_get_current_task_btf();
	tgid = task->tgid;
	if (!traced(tgid) && !(being_added(tgid) && registration_call(nr)))
		return 0;
	if (compat_syscall(task) || !uid_passes())
		return 0;
	bpf_tail_call(ctx, &enter_progs, (__u32)nr);
	return 0; /* the family did not load: not counted */
}

/* A call is accounted only if this thread's entry was seen: its in-flight
 * record names the syscall. Threads of untraced processes have no record
 * and leave after the lookup and one bit. A thread of a traced process (or
 * of one being added) without a record has entered no probed call since
 * the probes began to follow it: an epoll_ctl or close it leaves now was
 * entered before, and its registrations are kept all the same (exit_unseen). */
SEC("raw_tp/sys_exit")
int sys_exit(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *task;
	struct inflight *f;

	if (floor_only)
		return 0;
	task = bpf_get_current_task_btf();
	f = bpf_task_storage_get(&inflight, task, 0, 0);
	if (!f) {
		__u32 tgid = task->tgid;

		if ((traced(tgid) || being_added(tgid)) && !compat_syscall(task) && uid_passes() &&
		    registration_call(syscall_nr_of(task)))
			bpf_tail_call(ctx, &unseen_progs, 0);
		return 0;
	}
	if (!f->ts)
		return 0;
	bpf_tail_call(ctx, &exit_progs, f->nr & (IOT_SYSNR_MAX - 1));
	f->ts = 0; /* the family's exit did not load: drop the call */
	return 0;
}
