// SPDX-License-Identifier: GPL-2.0
/* The C floor for the JMH benchmarks: the same raw bpf(2) calls on PERCPU_ARRAY maps of the same
 * value sizes, timed with CLOCK_MONOTONIC.
 *   percpu_floor [ROUNDS [SIZE...]]   (default: 5 rounds of sizes 8 64 1024 32768)
 * Each round times about half a second of lookups, then of updates, and prints
 * "operation size ns_per_op"; bench/run takes the median of the rounds run next to the JMH run. */
#include <linux/bpf.h>
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

static void measure(int size, int cpus, int rounds)
{
	int stride = (size + 7) & ~7, iterations = size > 1024 ? 50000 : 300000;
	union bpf_attr attr;
	uint32_t key = 0;
	void *buffer = calloc(cpus, stride);
	void *value = calloc(1, size);
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
	memset(&attr, 0, sizeof(attr));
	attr.map_fd = fd;
	attr.key = (uintptr_t)&key;
	attr.value = (uintptr_t)buffer;
	for (int w = 0; w < iterations / 10; w++)
		bpf(BPF_MAP_LOOKUP_ELEM, &attr, ELEM_ATTR_SIZE);
	for (int round = 0; round < rounds; round++) {
		start = now_ns();
		for (int n = 0; n < iterations; n++)
			bpf(BPF_MAP_LOOKUP_ELEM, &attr, ELEM_ATTR_SIZE);
		printf("readAll %d %.1f\n", size, (now_ns() - start) / iterations);
		/* Without BPF_F_ALL_CPUS (before 6.19) a C program too must lay the value out once per
		 * possible CPU before each update, so the floor does that copy as well. */
		start = now_ns();
		for (int n = 0; n < iterations; n++) {
			for (int cpu = 0; cpu < cpus; cpu++)
				memcpy((char *)buffer + (size_t)cpu * stride, value, size);
			bpf(BPF_MAP_UPDATE_ELEM, &attr, ELEM_ATTR_SIZE);
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
