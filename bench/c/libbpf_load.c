// SPDX-License-Identifier: Apache-2.0
/*
 * libbpf's side of CoreLoadBenchmark: open and load a BPF object, then close it, with the system
 * libbpf, as a program using it would. Built by bench/run as a shared library the benchmark calls
 * in the same JVM run, and as a plain program for a check without a JVM:
 *   bench/results/libbpf_load OBJECT N    prints the first load's time and the mean of the others
 */
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int quiet(enum libbpf_print_level level, const char *format, va_list args)
{
	(void)level;
	(void)format;
	(void)args;
	return 0;
}

/* One open + load + close of the object at path: 0, or a negative errno. */
long libbpf_open_load(const char *path)
{
	struct bpf_object *object;
	long err;

	libbpf_set_print(quiet);
	object = bpf_object__open_file(path, NULL);
	if (!object)
		return -errno;
	err = bpf_object__load(object);
	bpf_object__close(object);
	return err;
}

#ifndef LIBBPF_LOAD_LIBRARY
static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv)
{
	double start, first, rest = 0;
	long err;
	int n;

	if (argc != 3 || (n = atoi(argv[2])) < 1) {
		fprintf(stderr, "usage: %s OBJECT N\n", argv[0]);
		return 2;
	}
	for (int i = 0; i < n; i++) {
		start = now_ms();
		err = libbpf_open_load(argv[1]);
		if (err) {
			fprintf(stderr, "libbpf could not load %s: %ld\n", argv[1], err);
			return 1;
		}
		if (i == 0)
			first = now_ms() - start;
		else
			rest += now_ms() - start;
	}
	printf("libbpf %d.%d: first load %.2f ms, then %.2f ms per load (mean of %d)\n", libbpf_major_version(), libbpf_minor_version(),
	       first, n > 1 ? rest / (n - 1) : first, n - 1);
	return 0;
}
#endif
