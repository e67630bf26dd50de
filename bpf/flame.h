/* SPDX-License-Identifier: MIT */
/*
 * `iotrace flame` (issue 12): what the kernel side aggregates per call path,
 * shared with user space (src/tracer/flame_cells.cpp). Plain C, fixed-width
 * fields. The maps and the code are in bpf/flame.bpf.h; all of it runs only
 * when user space sets the flame_on rodata switch.
 */
#ifndef IOTRACE_FLAME_H
#define IOTRACE_FLAME_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* fd kind of a call that has no fd (select, poll): not an enum iot_fd_kind */
#define IOT_FLAME_NO_FD 0xffffffffu
/* fd kind of a call whose fd is not open (it fails with EBADF) */
#define IOT_FLAME_BAD_FD 0xfffffffeu
/* stack id of a cell without a user stack (no --stacks); a failed
 * bpf_get_stackid leaves its negative error (-EEXIST, -ENOMEM, -EFAULT) */
#define IOT_FLAME_NO_STACK (-1)

/* A cell: the key of `flame_cells`. */
struct iot_flame_key {
	__u32 tgid;
	__u32 tid;
	__u32 sys;      /* enum iot_sys */
	__u32 kind;     /* enum iot_fd_kind of the call's fd at entry, IOT_FLAME_NO_FD or IOT_FLAME_BAD_FD */
	__s64 stack_id; /* id in `flame_stacks`, IOT_FLAME_NO_STACK, or a negative error */
};

/* Its figures, added by the calling thread only (the key holds its tid). */
struct iot_flame_val {
	__u64 calls;
	__u64 time_ns;  /* between sys_enter and sys_exit, as iot_sys_stats.time_ns */
	__u64 cpu_ns;   /* time_ns less the time switched out, for calls with cpu known */
	__u64 cpu_lost; /* calls whose off-CPU slot another thread took: cpu not known */
	__u64 bytes;    /* data bytes received or sent (as recv_bytes / send_bytes) */
};

/* What the entry leaves for the exit, in the thread's in-flight record. */
struct iot_flame_inflight {
	__s64 stack; /* the cell's stack_id */
	__u32 kind;  /* the cell's kind */
	__u32 pad;
};

/* Why a call or a stack is not in the cells: index into `flame_lost`. */
enum iot_flame_lost {
	IOT_FLAME_LOST_CELLS,     /* calls not counted: flame_cells was full */
	IOT_FLAME_STACK_COLLIDED, /* stacks not recorded: their hash bucket held another stack */
	IOT_FLAME_STACK_FULL,     /* stacks not recorded: flame_stacks was full */
	IOT_FLAME_STACK_FAILED,   /* stacks not recorded: no user stack to walk (other errors) */
	IOT_FLAME_LOST_NR,
};

/* Frames a user stack keeps (the kernel's default perf_event_max_stack). */
#define IOT_FLAME_STACK_DEPTH 127

#endif /* IOTRACE_FLAME_H */
