// SPDX-License-Identifier: GPL-2.0
/*
 * Load generator for scripts/bench/run: CONNS connections to 127.0.0.1:PORT,
 * each doing SIZE-byte ping-pong (send, wait for the whole echo, send again)
 * from one epoll loop. Bounded: it stops after WARMUP + SECONDS.
 *
 *   loadgen --port N [--conns 32] [--seconds 5] [--size 64] [--warmup 0.5]
 *           [--sample PID]...
 *
 * Round trips are counted only in the SECONDS window after the warm-up. For
 * every --sample PID it reads the CPU time of all the process's threads
 * (/proc/PID/task/TID/schedstat, in ns) at both edges of that window, so the
 * server's CPU per round trip and a tracer's CPU share cover exactly the
 * counted round trips. Output, one line each:
 *   loadgen conns C seconds S round_trips N rps R
 *   cpu PID NS            (per --sample, NS = CPU ns used in the window)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_SAMPLES 8
#define MAX_SIZE 4096

struct conn {
	int fd;
	size_t got;
};

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* CPU ns of every thread of pid; schedstat's first field is the time on CPU.
 * Falls back to utime+stime ticks from /proc/PID/stat. -1: process gone. */
static long long proc_cpu_ns(int pid)
{
	char path[64], line[256];
	long long total = 0;
	int seen = 0;
	DIR *d;
	struct dirent *e;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		char p[320];
		FILE *f;
		long long ns;

		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "/proc/%d/task/%s/schedstat", pid, e->d_name);
		f = fopen(p, "r");
		if (!f)
			continue;
		if (fgets(line, sizeof(line), f) && sscanf(line, "%lld", &ns) == 1) {
			total += ns;
			seen = 1;
		}
		fclose(f);
	}
	closedir(d);
	if (!seen) { /* no schedstat: clock ticks of the whole process */
		FILE *f;
		unsigned long long ut, st;
		char *p;

		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		f = fopen(path, "r");
		if (!f)
			return -1;
		if (!fgets(line, sizeof(line), f)) {
			fclose(f);
			return -1;
		}
		fclose(f);
		p = strrchr(line, ')');
		if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
			return -1;
		total = (long long)((ut + st) * (1000000000ULL / (unsigned long long)sysconf(_SC_CLK_TCK)));
	}
	return total;
}

int main(int argc, char **argv)
{
	int port = 0, nconns = 32, nsamples = 0, samples[MAX_SAMPLES];
	double seconds = 5, warmup = 0.5;
	size_t size = 64;
	long long cpu0[MAX_SAMPLES], cpu1[MAX_SAMPLES];
	char payload[MAX_SIZE], buf[MAX_SIZE];
	struct conn *conns;
	struct epoll_event *evs;
	unsigned long long counted = 0;
	int ep, counting = 0;
	double t0, t_start = 0, t_end = 0;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--port") && i + 1 < argc)
			port = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--conns") && i + 1 < argc)
			nconns = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--seconds") && i + 1 < argc)
			seconds = atof(argv[++i]);
		else if (!strcmp(argv[i], "--warmup") && i + 1 < argc)
			warmup = atof(argv[++i]);
		else if (!strcmp(argv[i], "--size") && i + 1 < argc)
			size = (size_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--sample") && i + 1 < argc && nsamples < MAX_SAMPLES)
			samples[nsamples++] = atoi(argv[++i]);
		else {
			fprintf(stderr, "usage: %s --port N [--conns C] [--seconds S] [--warmup S] [--size B] [--sample PID]...\n",
				argv[0]);
			return 2;
		}
	}
	if (port <= 0 || nconns <= 0 || nconns > 4096 || size == 0 || size > MAX_SIZE || seconds <= 0 ||
	    seconds > 3600 || warmup < 0) {
		fprintf(stderr, "loadgen: bad arguments\n");
		return 2;
	}
	memset(payload, 'x', size);
	conns = calloc((size_t)nconns, sizeof(*conns));
	evs = calloc((size_t)nconns, sizeof(*evs));
	ep = epoll_create1(EPOLL_CLOEXEC);
	if (!conns || !evs || ep < 0) {
		perror("loadgen: setup");
		return 1;
	}
	for (int i = 0; i < nconns; i++) {
		struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (unsigned)i };
		int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a))) {
			perror("loadgen: connect");
			return 1;
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		conns[i].fd = fd;
		if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
			perror("loadgen: epoll_ctl");
			return 1;
		}
	}
	for (int i = 0; i < nconns; i++) {
		if (send(conns[i].fd, payload, size, MSG_NOSIGNAL) != (ssize_t)size) {
			perror("loadgen: send");
			return 1;
		}
	}

	t0 = now_s();
	for (;;) {
		double t = now_s();
		int n;

		if (!counting && t >= t0 + warmup) {
			for (int s = 0; s < nsamples; s++)
				cpu0[s] = proc_cpu_ns(samples[s]);
			t_start = now_s();
			counted = 0;
			counting = 1;
		}
		if (counting && t >= t_start + seconds) {
			t_end = now_s();
			for (int s = 0; s < nsamples; s++)
				cpu1[s] = proc_cpu_ns(samples[s]);
			break;
		}
		n = epoll_wait(ep, evs, nconns, 100);
		if (n < 0 && errno != EINTR) {
			perror("loadgen: epoll_wait");
			return 1;
		}
		for (int k = 0; k < n; k++) {
			struct conn *c = &conns[evs[k].data.u32];
			ssize_t r = recv(c->fd, buf, size - c->got, MSG_DONTWAIT);

			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
				fprintf(stderr, "loadgen: connection %u closed by the server\n", evs[k].data.u32);
				return 1;
			}
			if (r < 0)
				continue;
			c->got += (size_t)r;
			if (c->got < size)
				continue;
			c->got = 0;
			counted++;
			if (send(c->fd, payload, size, MSG_NOSIGNAL) != (ssize_t)size) {
				perror("loadgen: send");
				return 1;
			}
		}
	}
	printf("loadgen conns %d seconds %.6f round_trips %llu rps %.1f\n", nconns, t_end - t_start, counted,
	       (double)counted / (t_end - t_start));
	for (int s = 0; s < nsamples; s++)
		printf("cpu %d %lld\n", samples[s], cpu0[s] < 0 || cpu1[s] < 0 ? -1LL : cpu1[s] - cpu0[s]);
	for (int i = 0; i < nconns; i++)
		close(conns[i].fd);
	return 0;
}
