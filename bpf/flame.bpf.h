/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `iotrace flame` (issue 12): calls aggregated per (tgid, tid, syscall, fd
 * kind, user stack) in the kernel, never one event per call. Entry: the
 * user stack's id (with --stacks), the kind of the call's fd, and the start
 * of the off-CPU account for calls that are not waits (waits have theirs,
 * bpf/waits.bpf.h). Exit: the cell's calls, time, on-CPU time and bytes.
 *
 * Everything here is behind the flame_on rodata switch: with it off (the
 * report) the verifier drops this code, and the programs are as before.
 * Included by common.bpf.h; called from enter_begin and exit_account, and
 * from the mmsg exits for their bytes.
 */
#ifndef IOTRACE_FLAME_BPF_H
#define IOTRACE_FLAME_BPF_H

#include "flame.h"
#include "fdkind.bpf.h"

#define FLAME_EEXIST 17
#define FLAME_ENOMEM 12

/* Set by user space between open and load (iotrace flame; --stacks). */
const volatile bool flame_on __weak = false;
const volatile bool flame_stacks_on __weak = false;

/* Sized by user space for the run (1 entry when flame_on is off). Preallocated:
 * no allocation in the hot path; a full map counts the call lost. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1);
	__type(key, struct iot_flame_key);
	__type(value, struct iot_flame_val);
} flame_cells SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(max_entries, 1); /* set by user space with --stacks */
	__uint(key_size, sizeof(__u32));
	__uint(value_size, IOT_FLAME_STACK_DEPTH * sizeof(__u64));
} flame_stacks SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IOT_FLAME_LOST_NR);
	__type(key, __u32);
	__type(value, __u64);
} flame_lost SEC(".maps") __weak;

static __always_inline void flame_count_lost(__u32 reason)
{
	__u64 *v = bpf_map_lookup_elem(&flame_lost, &reason);

	if (v)
		*v += 1;
}

static __always_inline bool flame_is_wait(__u32 sys)
{
	return sys <= IOT_EPOLL_PWAIT2;
}

/* What an fd is, only the kind (bpf/fdkind.bpf.h reads the addresses too);
 * IOT_FLAME_BAD_FD when it is not open. Every call pays for this, so the
 * reads are few: typed loads down to the fd array (no helper call, as
 * interest_list_size does), then the inode's mode first (sockets and pipes
 * need nothing else), the filesystem only for what is left. */
static __always_inline __u32 flame_fd_kind(struct task_struct *task, int fd)
{
	struct fdtable *fdt = task->files->fdt;
	struct file **arr, *file = NULL;
	struct inode *inode;
	struct socket *sock;
	struct sock *sk;
	__u16 mode, family, type;

	if (!fdt || fd < 0 || (unsigned int)fd >= fdt->max_fds)
		return IOT_FLAME_BAD_FD;
	arr = fdt->fd;
	if (bpf_probe_read_kernel(&file, sizeof(file), &arr[fd]) || !file)
		return IOT_FLAME_BAD_FD;
	inode = BPF_CORE_READ(file, f_inode);
	mode = BPF_CORE_READ(inode, i_mode) & S_IFMT;
	if (mode == S_IFIFO)
		return IOT_KIND_PIPE;
	if (mode == S_IFSOCK) {
		sock = BPF_CORE_READ(file, private_data);
		sk = BPF_CORE_READ(sock, sk);
		if (!sk)
			return IOT_KIND_OTHER;
		family = BPF_CORE_READ(sk, __sk_common.skc_family);
		if (family == AF_UNIX)
			return IOT_KIND_UNIX;
		if (family != AF_INET && family != AF_INET6)
			return IOT_KIND_OTHER;
		type = BPF_CORE_READ(sk, sk_type);
		if (type == SOCK_STREAM)
			return family == AF_INET ? IOT_KIND_TCP : IOT_KIND_TCP6;
		return type == SOCK_DGRAM ? IOT_KIND_UDP : IOT_KIND_OTHER;
	}
	/* anon inodes (eventfd, timerfd, signalfd, epoll) are S_IFREG since
	 * Linux 6.15 and typeless before: tell them by their filesystem */
	if (BPF_CORE_READ(inode, i_sb, s_magic) == ANON_INODE_FS_MAGIC)
		return anon_kind(file);
	switch (mode) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFCHR:
	case S_IFBLK:
		return IOT_KIND_FILE;
	default:
		return IOT_KIND_OTHER;
	}
}

/* At entry, after the record is set up (the clock has not started yet). */
static __always_inline void flame_enter(struct bpf_raw_tracepoint_args *ctx, struct inflight *f,
					struct task_struct *task, __u64 a[5])
{
	__u32 sys, tid, k;
	struct offcpu_slot *s;
	long id = IOT_FLAME_NO_STACK;

	/* first, before any load: off, nothing of this is left (the verifier
	 * drops the branch, and the compiler has nothing to hoist above it) */
	if (!flame_on)
		return;
	sys = f->sys;
	tid = (__u32)f->id;
	if (flame_stacks_on) {
		id = bpf_get_stackid(ctx, &flame_stacks, BPF_F_USER_STACK);
		if (id < 0)
			flame_count_lost(id == -FLAME_EEXIST ? IOT_FLAME_STACK_COLLIDED
				       : id == -FLAME_ENOMEM ? IOT_FLAME_STACK_FULL : IOT_FLAME_STACK_FAILED);
	}
	f->flame.stack = id;
	if (sys <= IOT_PPOLL) {
		f->flame.kind = IOT_FLAME_NO_FD; /* select, poll: many fds */
	} else {
		/* values, not a choice of addresses: `a` then stays in registers
		 * (a computed index would put it on the stack, flame off too) */
		__u64 fd0 = a[0], fd2 = a[2];

		barrier_var(fd0);
		barrier_var(fd2);
		f->flame.kind = flame_fd_kind(task, (int)(sys == IOT_EPOLL_CTL ? fd2 : fd0));
	}
	/* the waits start their off-CPU account in wait_begin */
	if (flame_is_wait(sys))
		return;
	k = tid & (OFFCPU_SLOTS - 1);
	s = bpf_map_lookup_elem(&offcpu, &k);
	if (s) {
		s->tid = tid;
		s->out_ts = 0;
		s->off_ns = 0;
	}
}

static __always_inline void flame_key(struct inflight *f, struct iot_flame_key *key)
{
	key->tgid = f->id >> 32;
	key->tid = (__u32)f->id;
	key->sys = f->sys;
	key->kind = f->flame.kind;
	key->stack_id = f->flame.stack;
}

/* The call's cell, made on first use. */
static __always_inline struct iot_flame_val *flame_cell(struct inflight *f)
{
	static const struct iot_flame_val zero;
	struct iot_flame_key key;
	struct iot_flame_val *v;

	flame_key(f, &key);
	v = bpf_map_lookup_elem(&flame_cells, &key);
	if (v)
		return v;
	bpf_map_update_elem(&flame_cells, &key, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&flame_cells, &key);
}

/* At exit, once the call is in its syscall's row (exit_account): the same
 * duration, and the on-CPU time as wait_common takes it (dur less the time
 * switched out, when the thread still holds its off-CPU slot). */
static __always_inline void flame_exit(struct inflight *f, long ret, __u64 dur)
{
	__u32 sys, tid, k;
	struct offcpu_slot *s;
	struct iot_flame_val *v;
	__u64 off = 0;
	bool cpu_known = false;

	if (!flame_on)
		return;
	sys = f->sys;
	tid = (__u32)f->id;
	k = tid & (OFFCPU_SLOTS - 1);
	s = bpf_map_lookup_elem(&offcpu, &k);
	if (s && s->tid == tid) {
		cpu_known = true;
		off = s->off_ns;
		/* a wait's slot is read and released by wait_common, after this */
		if (!flame_is_wait(sys))
			s->tid = 0;
	}
	v = flame_cell(f);
	if (!v) {
		flame_count_lost(IOT_FLAME_LOST_CELLS);
		return;
	}
	v->calls++;
	v->time_ns += dur;
	if (cpu_known)
		v->cpu_ns += dur > off ? dur - off : 0;
	else
		v->cpu_lost++;
	/* recvmmsg and sendmmsg add theirs (flame_mmsg_bytes) */
	if (ret > 0 && sys >= IOT_RECVFROM && sys <= IOT_WRITEV && sys != IOT_RECVMMSG && sys != IOT_SENDMMSG)
		v->bytes += ret;
}

/* recvmmsg, sendmmsg: the bytes their exits read from the msg_len fields. */
static __always_inline void flame_mmsg_bytes(struct inflight *f, __u64 bytes)
{
	struct iot_flame_key key;
	struct iot_flame_val *v;

	/* no test of bytes: the verifier would then track the sum of
	 * mmsg_bytes' loop precisely, and walk the loop per value */
	if (!flame_on)
		return;
	flame_key(f, &key);
	/* no cell: flame_exit counted the call lost */
	v = bpf_map_lookup_elem(&flame_cells, &key);
	if (v)
		v->bytes += bytes;
}

#endif /* IOTRACE_FLAME_BPF_H */
