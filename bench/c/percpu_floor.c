// SPDX-License-Identifier: GPL-2.0
/* The C floor for the benchmarks: the same raw bpf(2) calls the Java runtime makes, on
 * PERCPU_ARRAY maps of the same value sizes.
 *
 * Built twice by bench/run: as libpercpu_floor.so, whose floor_lookups and floor_updates the JMH
 * benchmarks call through FFM on the very map and buffers the Java paths use, in the same JVM run
 * (a call loops N times, so the one downcall is spread over N operations); and as the program
 *   percpu_floor [ROUNDS [SIZE...]]   (default: 5 rounds of sizes 8 64 1024 32768)
 * which times about half a second of each per round with CLOCK_MONOTONIC and prints
 * "operation size ns_per_op", as a cross-check from a process without a JVM. */
#include <linux/bpf.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* Element commands pass only the bytes up to flags, as libbpf and the Java runtime do. */
#define ELEM_ATTR_SIZE (offsetof(union bpf_attr, flags) + sizeof(((union bpf_attr *)0)->flags))

static long bpf(int cmd, union bpf_attr *attr, size_t size)
{
	return syscall(__NR_bpf, cmd, attr, size);
}

static int possible_cpus(void)
{
	FILE *f = fopen("/sys/devices/system/cpu/possible", "r");
	int first, last, count = 0;
	char sep;

	if (!f)
		return -1;
	while (fscanf(f, "%d", &first) == 1) {
		last = first;
		if (fscanf(f, "%c", &sep) == 1 && sep == '-') {
			if (fscanf(f, "%d", &last) != 1)
				break;
			if (fscanf(f, "%c", &sep) != 1)
				sep = '\n';
		}
		count += last - first + 1;
		if (sep != ',')
			break;
	}
	fclose(f);
	return count;
}

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e9 + t.tv_nsec;
}

static const uint32_t zero_key;

/* BPF_MAP_LOOKUP_ELEM of key 0 of map fd into buffer (one slot per possible CPU), n times.
 * Returns 0, or the first failure as -errno. */
long floor_lookups(int fd, void *buffer, long n)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)&zero_key;
	attr.value = (uintptr_t)buffer;
	for (long i = 0; i < n; i++)
		if (bpf(BPF_MAP_LOOKUP_ELEM, &attr, ELEM_ATTR_SIZE) < 0)
			return -errno;
	return 0;
}

/* n times: value (size bytes) laid out in buffer once per possible CPU, then BPF_MAP_UPDATE_ELEM
 * of key 0. Without BPF_F_ALL_CPUS (before 6.19) a C program must make that copy too.
 * Returns 0, or the first failure as -errno. */
long floor_updates(int fd, void *buffer, const void *value, int size, int cpus, long n)
{
	size_t stride = ((size_t)size + 7) & ~(size_t)7;
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)&zero_key;
	attr.value = (uintptr_t)buffer;
	for (long i = 0; i < n; i++) {
		for (int cpu = 0; cpu < cpus; cpu++)
			memcpy((char *)buffer + (size_t)cpu * stride, value, size);
		if (bpf(BPF_MAP_UPDATE_ELEM, &attr, ELEM_ATTR_SIZE) < 0)
			return -errno;
	}
	return 0;
}

static void measure(int size, int cpus, int rounds)
{
	long iterations = size > 1024 ? 50000 : 300000;
	void *buffer = calloc(cpus, ((size_t)size + 7) & ~(size_t)7);
	void *value = calloc(1, size);
	union bpf_attr attr;
	double start;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.map_type = BPF_MAP_TYPE_PERCPU_ARRAY;
	attr.key_size = 4;
	attr.value_size = size;
	attr.max_entries = 1;
	fd = bpf(BPF_MAP_CREATE, &attr, sizeof(attr));
	if (fd < 0) {
		perror("BPF_MAP_CREATE");
		exit(1);
	}
	floor_lookups(fd, buffer, iterations / 10);
	for (int round = 0; round < rounds; round++) {
		start = now_ns();
		if (floor_lookups(fd, buffer, iterations) < 0) {
			perror("BPF_MAP_LOOKUP_ELEM");
			exit(1);
		}
		printf("readAll %d %.1f\n", size, (now_ns() - start) / iterations);
		start = now_ns();
		if (floor_updates(fd, buffer, value, size, cpus, iterations) < 0) {
			perror("BPF_MAP_UPDATE_ELEM");
			exit(1);
		}
		printf("writeAll %d %.1f\n", size, (now_ns() - start) / iterations);
		fflush(stdout);
	}
	close(fd);
	free(buffer);
	free(value);
}

int main(int argc, char **argv)
{
	int sizes[] = { 8, 64, 1024, 32768 };
	int cpus = possible_cpus();
	int rounds = argc > 1 ? atoi(argv[1]) : 5;

	if (cpus <= 0 || rounds <= 0) {
		fprintf(stderr, "usage: percpu_floor [ROUNDS [SIZE...]] (possible CPUs: %d)\n", cpus);
		return 2;
	}
	if (argc > 2) {
		for (int i = 2; i < argc; i++)
			measure(atoi(argv[i]), cpus, rounds);
	} else {
		for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			measure(sizes[i], cpus, rounds);
	}
	return 0;
}
