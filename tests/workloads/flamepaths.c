/*
 * iotrace flame's workload: two code paths with known call counts, for the
 * flame tests (tests/integration/flame_test.cpp).
 *
 *   flamepaths [--wait]
 *
 * main -> write_path: WRITES write(2) calls of 1 byte into a pipe
 * main -> read_stage -> read_path: READS read(2) calls of 1 byte from it
 *
 * Each path makes its syscall with an inline `syscall` instruction, so the
 * call site is in the path's own function: a frame-pointer walk from the
 * syscall then starts in it (a libc wrapper, built without frame pointers,
 * would hide its caller). Built twice (Makefile): `flamepaths` with frame
 * pointers (and -fno-shrink-wrap: gcc would set the frame up only on the
 * error path), `flamepaths-nofp` with -O2 -fomit-frame-pointer, whose stacks a
 * frame-pointer walk cannot follow. After its calls it lingers LINGER_MS
 * (nanosleep, not probed), so that iotrace reads its address maps while it
 * lives even when it launched it (a process's maps are gone once it exits).
 */
#define WORKLOAD_NAME "flamepaths"
#include "workload.h"

#include <time.h>

#define WRITES 300
#define READS 200
#define LINGER_MS 300

static long raw_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return ret;
}

/* noinline and with a side effect the compiler cannot move: its own frame */
__attribute__((noinline)) static void write_path(int fd)
{
	for (int i = 0; i < WRITES; i++)
		if (raw_syscall3(SYS_write, fd, (long)"x", 1) != 1)
			die("write");
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void read_path(int fd)
{
	char c;

	for (int i = 0; i < READS; i++)
		if (raw_syscall3(SYS_read, fd, (long)&c, 1) != 1)
			die("read");
	__asm__ volatile("" ::: "memory");
}

__attribute__((noinline)) static void read_stage(int fd)
{
	read_path(fd);
	__asm__ volatile("" ::: "memory");
}

int main(int argc, char **argv)
{
	int p[2];
	struct timespec linger = {0, LINGER_MS * 1000000L};

	g_scenario = "paths";
	if (pipe(p) != 0)
		die("pipe");
	if (argc > 1 && strcmp(argv[1], "--wait") == 0)
		wait_for_go();
	write_path(p[1]);
	read_stage(p[0]);
	var("writes", WRITES);
	var("reads", READS);
	nanosleep(&linger, NULL);
	return 0;
}
