/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What an fd is (tcp, pipe, eventfd...), read from the kernel's file once,
 * when iotrace first sees the fd: /proc can no longer tell once the process
 * has exited or the fd was closed, and the figures are about that moment.
 */
#ifndef IOTRACE_FDKIND_BPF_H
#define IOTRACE_FDKIND_BPF_H

#define S_IFMT 00170000
#define S_IFSOCK 0140000
#define S_IFIFO 0010000
#define S_IFREG 0100000
#define S_IFDIR 0040000
#define S_IFCHR 0020000
#define S_IFBLK 0060000

#define ANON_INODE_FS_MAGIC 0x09041934

#define AF_UNIX 1
#define AF_INET 2
#define AF_INET6 10
#define SOCK_STREAM 1
#define SOCK_DGRAM 2

static __always_inline struct file *fd_file(int fd)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **arr, *file = NULL;

	if (!fdt || fd < 0 || (unsigned int)fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	arr = BPF_CORE_READ(fdt, fd);
	if (bpf_probe_read_kernel(&file, sizeof(file), &arr[fd]))
		return NULL;
	return file;
}

static __always_inline __u32 anon_kind(struct file *file)
{
	const unsigned char *name = BPF_CORE_READ(file, f_path.dentry, d_name.name);
	char n[12] = {};

	if (!name || bpf_probe_read_kernel(n, sizeof(n), name))
		return IOT_KIND_OTHER;
	/* anon inode names: "[eventpoll]", "[eventfd]", "[timerfd]", "[signalfd]" */
	if (n[0] != '[')
		return IOT_KIND_OTHER;
	if (n[1] == 'e' && n[2] == 'v' && n[3] == 'e' && n[4] == 'n' && n[5] == 't') {
		if (n[6] == 'p')
			return IOT_KIND_EPOLL;
		if (n[6] == 'f')
			return IOT_KIND_EVENTFD;
	}
	if (n[1] == 't' && n[2] == 'i' && n[3] == 'm' && n[4] == 'e' && n[5] == 'r')
		return IOT_KIND_TIMERFD;
	if (n[1] == 's' && n[2] == 'i' && n[3] == 'g' && n[4] == 'n')
		return IOT_KIND_SIGNALFD;
	return IOT_KIND_OTHER;
}

static __always_inline void classify_fd(int fd, struct iot_fd *out)
{
	struct file *file = fd_file(fd);
	struct socket *sock;
	struct sock *sk;
	__u16 family, type, mode;

	out->kind = IOT_KIND_OTHER;
	if (!file)
		return;
	/* anon inodes (eventfd, timerfd, signalfd, epoll) are S_IFREG since
	 * Linux 6.15 and typeless before: tell them by their filesystem */
	if (BPF_CORE_READ(file, f_inode, i_sb, s_magic) == ANON_INODE_FS_MAGIC) {
		out->kind = anon_kind(file);
		return;
	}
	mode = BPF_CORE_READ(file, f_inode, i_mode);
	switch (mode & S_IFMT) {
	case S_IFIFO:
		out->kind = IOT_KIND_PIPE;
		return;
	case S_IFREG:
	case S_IFDIR:
	case S_IFCHR:
	case S_IFBLK:
		out->kind = IOT_KIND_FILE;
		return;
	case S_IFSOCK:
		break;
	default:
		return;
	}
	sock = BPF_CORE_READ(file, private_data);
	sk = BPF_CORE_READ(sock, sk);
	if (!sk)
		return;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	type = BPF_CORE_READ(sk, sk_type);
	if (family == AF_UNIX) {
		out->kind = IOT_KIND_UNIX;
		return;
	}
	if (family != AF_INET && family != AF_INET6)
		return;
	if (type == SOCK_STREAM)
		out->kind = family == AF_INET ? IOT_KIND_TCP : IOT_KIND_TCP6;
	else if (type == SOCK_DGRAM)
		out->kind = IOT_KIND_UDP;
	else
		return;
	out->local_port = BPF_CORE_READ(sk, __sk_common.skc_num);
	out->peer_port = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (family == AF_INET) {
		__u32 l = BPF_CORE_READ(sk, __sk_common.skc_rcv_saddr);
		__u32 p = BPF_CORE_READ(sk, __sk_common.skc_daddr);

		__builtin_memcpy(out->local, &l, 4);
		__builtin_memcpy(out->peer, &p, 4);
	} else {
		BPF_CORE_READ_INTO(&out->local, sk, __sk_common.skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&out->peer, sk, __sk_common.skc_v6_daddr);
	}
}

#endif /* IOTRACE_FDKIND_BPF_H */
