/* SPDX-License-Identifier: MIT */
/*
 * The one header shared by the kernel programs (bpf/iotrace.bpf.c) and user
 * space (src/tracer). Plain C, fixed-width fields only: both sides read the
 * same bytes out of the same maps.
 */
#ifndef IOTRACE_H
#define IOTRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Syscalls iotrace probes. The order is the index into iot_proc.sys[];
 * src/model/syscalls.cpp holds the matching kernel names. */
enum iot_sys {
	IOT_SELECT,
	IOT_PSELECT6,
	IOT_POLL,
	IOT_PPOLL,
	IOT_EPOLL_WAIT,
	IOT_EPOLL_PWAIT,
	IOT_EPOLL_PWAIT2,
	IOT_EPOLL_CTL,
	IOT_RECVFROM,
	IOT_RECVMSG,
	IOT_RECVMMSG,
	IOT_READ,
	IOT_READV,
	IOT_SENDTO,
	IOT_SENDMSG,
	IOT_SENDMMSG,
	IOT_WRITE,
	IOT_WRITEV,
	IOT_ACCEPT,
	IOT_ACCEPT4,
	IOT_CLOSE,
	IOT_IO_URING_ENTER,
	IOT_NR_SYS,
};

/* Syscall numbers below this are looked up in the kernel side's table of
 * traced syscalls (sys_of_nr); on x86-64 and arm64 all of them are. */
#define IOT_SYSNR_MAX 512

/* log2 latency buckets: slot i holds calls that took [2^i, 2^(i+1)) ns
 * (slot 0 also holds 0 ns); the last slot is open-ended (>= 2^39 ns, ~9 min). */
#define IOT_HIST_SLOTS 40

struct iot_sys_stats {
	__u64 calls;
	__u64 errors;  /* returned < 0 */
	__u64 eagain;  /* returned -EAGAIN */
	__u64 time_ns; /* total time between sys_enter and sys_exit */
	__u64 hist[IOT_HIST_SLOTS];
};

/* Per-process aggregate: the value of the per-CPU `proc_stats` slots (and
 * of the `procs` hash, for processes that found no free slot). User space
 * sums the per-CPU copies. Only what cannot be derived from sys[]
 * is counted here (waits.calls is the sum of the wait syscalls' calls, and so
 * on: see src/model/fold.cpp), to keep the probe's work per call small. */
struct iot_proc {
	struct iot_sys_stats sys[IOT_NR_SYS];
	__u64 wait_empty;     /* wait calls that returned 0 */
	__u64 wait_ready;     /* sum of the waits' positive returns */
	__u64 wait_watched;   /* fds the waits asked about (docs/json.md) */
	__u64 wait_scanned;   /* select/poll: nfds; epoll: events returned */
	__u64 recv_bytes;     /* sum of positive returns (recvmmsg: msg_len) */
	__u64 recv_eof;       /* receive calls that returned 0 */
	__u64 recv_short;     /* 0 < returned < asked */
	__u64 send_bytes;     /* sum of positive returns (sendmmsg: msg_len) */
	__u64 copy_wait_in;   /* bytes the waits and epoll_ctl copied in */
	__u64 copy_wait_out;  /* bytes the waits copied out */
	/* readiness (docs/readiness.md) */
	__u64 wait_wakeups;   /* wait calls that blocked and were woken */
	__u64 wait_cpu_ns;    /* time in waits minus time switched out */
	__u64 lt_rereports_unread;
	__u64 lt_rereports_partial;
	__u64 write_rereports_unwritten;
	__u64 et_notifications;
	__u64 et_undrained;
	/* what tells the IO model apart (docs/diagnosis.md) */
	__u64 wait_zero_timeout; /* waits asked not to block (timeout 0) */
	__u64 recv_blocked;      /* receive calls that slept (blocking IO) */
	__u64 accept_blocked;    /* accept calls that slept */
	/* a shared epoll fd handing an unread fd to another thread (docs/readiness.md) */
	__u64 herd_rereports;
	/* zero-timeout waits that returned 0: the futile ones (docs/diagnosis.md) */
	__u64 wait_zero_timeout_empty;
	/* ET notifications that found the fd's previous one still undrained (docs/readiness.md) */
	__u64 et_stalls;
};

/* How a waiter is told about an fd (iot_fd.trigger). */
enum iot_trigger {
	IOT_TRIG_NONE,
	IOT_TRIG_LT,
	IOT_TRIG_ET,
	IOT_TRIG_ONESHOT,
	IOT_TRIG_SELECT,
	IOT_TRIG_POLL,
};

/* What an fd is, classified in the kernel when iotrace first sees it. */
enum iot_fd_kind {
	IOT_KIND_OTHER,
	IOT_KIND_TCP,
	IOT_KIND_TCP6,
	IOT_KIND_UDP,
	IOT_KIND_UNIX,
	IOT_KIND_PIPE,
	IOT_KIND_EVENTFD,
	IOT_KIND_TIMERFD,
	IOT_KIND_SIGNALFD,
	IOT_KIND_EPOLL,
	IOT_KIND_FILE,
};

struct iot_fd_key {
	__u32 tgid;
	__s32 fd;
};

/* Per (process, fd) readiness account: the value of `fds`. Created when a
 * wait first reports the fd; read/send calls on fds without an entry are
 * not followed (they are in the per-process figures). Shared between the
 * process's threads: updated with atomic adds. */
struct iot_fd {
	__u64 reported;        /* wait results naming the fd (readable or writable) */
	__u64 reads;           /* read-family calls on it */
	__u64 bytes;           /* bytes they returned */
	__u64 eagain;
	__u64 drains;          /* reads returning EAGAIN, 0, or short */
	__u64 writes;          /* send-family calls on it */
	__u64 lt_rereports_unread;
	__u64 lt_rereports_partial;
	__u64 write_rereports;
	__u64 et_notifications;
	__u64 et_undrained;
	__u32 trigger;         /* enum iot_trigger, as last reported */
	__u32 kind;            /* enum iot_fd_kind */
	__u8 local[16];        /* sockets: local address (IPv4 in the first 4) */
	__u8 peer[16];         /* sockets: peer address */
	__u16 local_port;      /* host byte order */
	__u16 peer_port;
	__u32 stale;           /* closed since classified: classify on next report */
	__u64 closes;          /* close() calls on the fd number (a generation) */
	__u32 oneshot;         /* registered EPOLLONESHOT (with or without EPOLLET), as last reported */
	__u32 pad;
	__u64 herd_rereports;  /* readable reports to a thread while the last one, to another thread, was unread */
	/* ET stalls: the fd's drains and closes at its last ET notification
	 * (any waiter; set once et_notifications > 0), judged at its next one,
	 * whichever thread drains */
	__u64 et_drains_at_notify;
	__u64 et_closes_at_notify;
	__u64 et_stalls;       /* ET notifications while the previous one was neither drained nor closed since */
};

/* Per-thread figures: a slot of `thread_stats` (tid and tgid in it), or the
 * value of the `threads` hash keyed by tid for threads that found no free
 * slot. A slot whose thread has exited has `exited` set; user space keeps
 * its figures and frees the slot. */
struct iot_thread {
	__u32 tgid;
	__u32 tid;       /* slots only (the hash has it as key) */
	__u64 waits;
	__u64 wakeups;
	__u64 recv;
	char comm[16];
	/* per family, so each thread's IO model can be named */
	__u64 select_waits;  /* select, pselect6 */
	__u64 poll_waits;    /* poll, ppoll */
	__u64 epoll_waits;   /* epoll_wait, epoll_pwait, epoll_pwait2 */
	__u64 zero_timeout;  /* waits with a zero timeout */
	__u64 recv_eagain;
	__u64 recv_blocked;  /* receive calls that slept */
	__u64 accepts;
	__u64 accept_blocked;
	__u64 uring_enters;  /* io_uring_enter calls */
	__u64 ready;         /* sum of its waits' positive returns (as iot_proc.wait_ready) */
	__u32 exited;        /* the thread has exited (slots; the hash too since `iotrace top`) */
	__u32 pad;
	__u64 zero_timeout_empty; /* of zero_timeout, those that returned 0 */
};

/* An epoll registration, as epoll_ctl made it or /proc/PID/fdinfo shows it.
 * Two maps hold each one: by (epfd, data) to name the fd an event is about,
 * by (epfd, fd) to undo it on EPOLL_CTL_DEL or close. */
struct iot_ep_data_key {
	__u32 tgid;
	__s32 epfd;
	__u64 data;
};

struct iot_ep_fd_key {
	__u32 tgid;
	__s32 epfd;
	__s32 fd;
	__u32 pad;
};

struct iot_ep_reg {
	__s32 fd;
	__u32 events;
	__u64 data;
	__u32 closed; /* its fd was closed: it goes at the closing thread's next call (bpf/readiness.bpf.h) */
	__u32 seeded; /* read from /proc by user space (src/tracer/epoll_seed.cpp); 0: made by the probes */
};

/* The epoll fds of a process (so close(fd) can find fd's registrations). */
#define IOT_MAX_EPFDS 8
struct iot_proc_epfds {
	__s32 epfd[IOT_MAX_EPFDS]; /* -1: free slot */
};

/* Why a figure could not be recorded; index into the per-CPU `lost` array. */
enum iot_lost {
	IOT_LOST_PROC_MAP_FULL,  /* no room for a new process in `procs` */
	IOT_LOST_TARGET_MAP_FULL,/* a followed child could not be added */
	IOT_LOST_USER_READ,      /* bpf_probe_read_user failed (page not resident...) */
	IOT_LOST_BOUND,          /* an fd set, pollfd array or iovec past the loop bound */
	IOT_LOST_TASK_STORAGE,   /* no per-thread slot for an in-flight call */
	IOT_LOST_RINGBUF,        /* a lifecycle event did not fit the ring buffer */
	IOT_LOST_KERNEL_READ,    /* reading the epoll instance failed */
	IOT_LOST_UNKNOWN_REG,    /* an epoll event whose registration is unknown */
	IOT_LOST_FD_MAP_FULL,    /* no room for an fd, waiter or thread entry */
	IOT_LOST_ET_PENDING,     /* too many ET notifications in one wait to follow */
	IOT_LOST_OFFCPU_SLOT,    /* two traced threads shared an off-CPU slot */
	IOT_LOST_EPFD_SLOTS,     /* a process with more than IOT_MAX_EPFDS epoll fds */
	IOT_LOST_NR,
};

/* Flags in the `targets` map (tgid -> flags). */
#define IOT_PID_LIMIT (4u << 20) /* PID_MAX_LIMIT on 64-bit: tgids are below it */
#define IOT_TARGET_FOLLOW 1u /* also trace the processes this one forks */

/* Process lifecycle, sent through the ring buffer (rare: never per syscall). */
enum iot_event_type {
	IOT_EV_FORK = 1, /* a followed target forked tgid (ppid = parent tgid) */
	IOT_EV_EXEC = 2, /* tgid exec'ed; comm is the new name */
	IOT_EV_EXIT = 3, /* the last thread of tgid exited (comm: its group leader's) */
};

/* No uid filter (filter_uid in bpf/maps.bpf.h). */
#define IOT_NO_UID 0xffffffffu

struct iot_event {
	__u32 type;
	__u32 tgid;
	__u32 ppid;     /* the parent's tgid (fork, exit) */
	__u32 uid;      /* real uid of the task the event came from */
	__u64 ts_ns;
	char comm[16];
};

#endif /* IOTRACE_H */
