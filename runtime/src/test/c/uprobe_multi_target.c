// SPDX-License-Identifier: GPL-2.0
/*
 * The process UprobeMultiAttachTest probes: once a line arrives on stdin (when the probes are in
 * place), it calls each of the three bpfglobals_multi_* functions, bpfglobals_single and libc's
 * getpid as many times as its argument says. The glob bpfglobals_multi_* matches three of them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define TARGET(name)                                                                              \
	__attribute__((noinline)) int name(int x)                                                 \
	{                                                                                         \
		__asm__ volatile("" ::: "memory"); /* keeps the call from being folded away */ \
		return x + 1;                                                                     \
	}

TARGET(bpfglobals_multi_one)
TARGET(bpfglobals_multi_two)
TARGET(bpfglobals_multi_three)
TARGET(bpfglobals_single)

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 0;
	int sum = 0;

	if (getchar() == EOF)
		return 2;
	for (int i = 0; i < calls; i++) {
		sum += bpfglobals_multi_one(i) + bpfglobals_multi_two(i) + bpfglobals_multi_three(i);
		sum += bpfglobals_single(i);
		getpid();
	}
	return sum == -1;
}
