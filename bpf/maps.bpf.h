/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every map and global of the kernel side, in one place. Each family file (bpf/NAME.bpf.c)
 * file is compiled alone and the objects are linked into one
 * (`bpftool gen object`, Makefile): the definitions are weak, so every file
 * that includes this header names the same map, and the linker keeps one.
 */
#ifndef IOTRACE_MAPS_BPF_H
#define IOTRACE_MAPS_BPF_H

#include "iotrace.h"
#include "flame.h"

/* Loop bounds: past them the call is counted, its sizes are not (lost). */
#define SELECT_CHUNK_BYTES 128   /* one FD_SETSIZE set */
#define SELECT_MAX_CHUNKS 512    /* 524,288 fds */
#define POLL_CHUNK 64            /* pollfds read at once */
#define POLL_MAX_CHUNKS 4096     /* 262,144 entries */
#define IOV_CHUNK 32
#define IOV_MAX_CHUNKS 32        /* 1,024 = UIO_MAXIOV */
#define MMSG_MAX 1024            /* UIO_MAXIOV, the kernel's own vlen cap */

#define ET_PENDING_MAX 32
#define OFFCPU_SLOTS 65536
#define EPOLL_EVENTS_MAX 65536

/* Set by user space between open and load. */
const volatile __u32 self_tgid __weak = 0;    /* iotrace itself: never traced */
const volatile bool trace_all __weak = false;  /* every process, not just targets */
/* Only the processes of this real uid (iotrace top -U); IOT_NO_UID: all. */
const volatile __u32 filter_uid __weak = IOT_NO_UID;
/* Benchmark floor: every program returns at once (same tracepoints, no
 * work), to measure what the attachment alone costs. */
const volatile bool floor_only __weak = false;
/* Syscall number -> enum iot_sys + 1 (0: not traced). Numbers differ per
 * architecture, so user space fills this from <sys/syscall.h>. */
const volatile __u8 sys_of_nr[IOT_SYSNR_MAX] __weak = {};

/* The traced processes as a bitmap indexed by tgid, for the test every
 * syscall makes: a load from global memory instead of a hash lookup. User
 * space sets bits with atomic ors on the mmapped .bss. */
#define TARGET_WORDS (IOT_PID_LIMIT / 64)
__u64 target_bits[TARGET_WORDS] __weak;
/* trace_all: nothing is traced until user space sets this, once it has
 * read every process's epoll registrations (Tracer::trace_all_processes). */
__u32 all_armed __weak;

/* Processes being added by user space (Tracer::add_target), from before its
 * first read of their epoll registrations in /proc until it is done with
 * them: their epoll_ctl and close calls are followed (registrations kept,
 * nothing counted) before their target bit is set. A process is being added
 * when it has a `targets` entry and no bit; the count spares every other
 * process that lookup. User space adds and subtracts atomically. */
__u32 seeding_any __weak;

/* tgid -> IOT_TARGET_* flags, for the lifecycle handlers. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, __u32);
} targets SEC(".maps") __weak;

/* Per-process counters, per-CPU so the hot path adds without atomics. A
 * process gets a slot of proc_stats (proc_slots says which); its threads
 * remember the slot in their in-flight storage. When no slot is free the
 * process is counted in the `procs` hash instead; user space adds the two. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1); /* set by user space */
	__type(key, __u32);
	__type(value, struct iot_proc);
} proc_stats SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);   /* tgid */
	__type(value, __u32); /* slot in proc_stats */
} proc_slots SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 1); /* set by user space, which pushes every slot */
	__type(value, __u32);
} free_slots SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 8192);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct iot_proc);
} procs SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IOT_LOST_NR);
	__type(key, __u32);
	__type(value, __u64);
} lost SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} events SEC(".maps") __weak;

/* What the exit needs from the entry, per thread. */
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
	__u32 nr;      /* the syscall number: the exit dispatcher's index */
	__u64 id;      /* pid_tgid at entry */
	__u32 pslot;   /* the process's proc_stats slot + 1; 0: not looked up yet */
	__u32 tslot;   /* the thread's thread_stats slot + 1; 0: none taken yet */
	__s32 closed_fd; /* close(closed_fd - 1) returned: its registrations go at the thread's next call */
	__u32 seeding; /* entered while the process was being added: not counted */
	__u32 ctl_making; /* epoll_ctl: its registration is in ep_making */
	__u32 pad3;
	struct iot_flame_inflight flame; /* iotrace flame: the call's stack id and fd kind */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct inflight);
} inflight SEC(".maps") __weak;

/* Per-wait tallies of report_fd's results, added to the process's counters
 * once after the walk over the results. */
struct tally {
	__u64 lt_unread, lt_partial, write_re, et, herd, et_stall;
};

/* Per-CPU scratch: user-memory chunks too big for the 512-byte stack, and
 * the state of the loops over wait results. Loop state lives here, not in
 * the loop's context on the stack: a map value is not tracked precisely,
 * so the verifier checks a loop body once instead of per value. */
struct scratch {
	__u64 w[POLL_CHUNK];
	__u64 rw, ww;   /* select: the current word's read/write bits not yet reported */
	__u64 base;     /* select: the fd of the current word's bit 0; poll: the chunk's first entry */
	__u64 next;     /* select: the next word to read; poll: the next chunk */
	__u64 pending;  /* poll: the chunk's entries not yet reported */
	__u64 failed;   /* a read of user memory failed */
	__u64 unknown;  /* epoll: events whose registration is unknown */
	struct tally t;
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct scratch);
} scratch SEC(".maps") __weak;

/* ------------------------------------------------------------ readiness */

/* select/poll waiters are threads, epoll waiters are epoll fds */
#define WAITER_THREAD 0x80000000u

struct waiter_key {
	__u32 tgid;
	__u32 id; /* epfd, or tid | WAITER_THREAD */
};

struct et_pending {
	__s32 fd;
	__u32 pad;
	__u64 drains; /* the fd's drains and closes at the notification */
	__u64 closes;
};

/* waiter.tids: the one thread that has waited so far (0: none yet), or
 * several */
#define TIDS_SEVERAL 0x80000000u

struct waiter {
	__u64 seq; /* wait calls so far */
	__u32 npending;
	__u32 tids; /* the thread that has waited, or TIDS_SEVERAL */
	struct et_pending pending[ET_PENDING_MAX]; /* ET notifications of the last wait */
};

struct wstate_key {
	__u32 tgid;
	__u32 waiter;
	__s32 fd;
	__u32 pad;
};

struct wstate {
	__u64 seq_r; /* the waiter's wait that last reported the fd readable */
	__u64 reads_r, drains_r, closes_r;
	__u64 seq_w; /* ... writable */
	__u64 writes_w, closes_w;
	__u32 tid_r; /* the thread that wait ran on (epoll waiters are shared) */
	__u32 pad;
};

struct offcpu_slot {
	__u32 tid;
	__u32 pad;
	__u64 out_ts; /* switched out at, 0 while on CPU */
	__u64 off_ns; /* switched-out time during the current wait */
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 65536);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct iot_fd_key);
	__type(value, struct iot_fd);
} fds SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct waiter_key);
	__type(value, struct waiter);
} waiters SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct wstate_key);
	__type(value, struct wstate);
} wstates SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct iot_thread);
} threads SEC(".maps") __weak;

/* Per-thread figures in array slots, so the hot path indexes an array
 * instead of looking up a hash: a thread takes a slot from free_tslots at its
 * first traced call and caches it in its in-flight storage. Only the thread
 * writes its slot (no atomics). It marks the slot exited when it exits; user
 * space, which reads the array through mmap, keeps the figures and zeroes and
 * frees the slot. Threads that find no free slot use the `threads` hash. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 1); /* set by user space */
	__type(key, __u32);
	__type(value, struct iot_thread);
} thread_stats SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__uint(max_entries, 1); /* set by user space, which pushes every slot */
	__type(value, __u32);
} free_tslots SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct iot_ep_data_key);
	__type(value, struct iot_ep_reg);
} ep_by_data SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct iot_ep_fd_key);
	__type(value, struct iot_ep_reg);
} ep_by_fd SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 16384);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct iot_proc_epfds);
} proc_epfds SEC(".maps") __weak;

/* Registrations an epoll event can name while the live maps (ep_by_data)
 * do not hold them; looked up only when ep_by_data has no entry
 * (ep_event_report).
 * ep_making: being made. An ADD or MOD makes the event visible to the waits
 * inside the call (a socket is writable at once), before its exit records
 * it: it is here from its entry to its exit (readiness.bpf.h, ep_expect).
 * ep_limbo: taken out (DEL, MOD to other data, close). A wait of the epoll
 * fd that copied the event out before the removal reads it back at its
 * exit, after: here with the waiter's call number at the removal
 * (`until_seq`), the waits numbered up to it began before the removal. An
 * LRU map: an entry is needed for microseconds and goes after thousands of
 * newer ones; user space deletes an exited process's. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct iot_ep_data_key);
	__type(value, struct iot_ep_reg);
} ep_making SEC(".maps") __weak;

struct ep_limbo {
	struct iot_ep_reg reg;
	__u64 until_seq; /* usable by the waits numbered up to this */
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, struct iot_ep_data_key);
	__type(value, struct ep_limbo);
} ep_limbo SEC(".maps") __weak;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OFFCPU_SLOTS);
	__type(key, __u32);
	__type(value, struct offcpu_slot);
} offcpu SEC(".maps") __weak;

#endif /* IOTRACE_MAPS_BPF_H */
