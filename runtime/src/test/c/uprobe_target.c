// SPDX-License-Identifier: GPL-2.0
/*
 * The process UprobeAttachTest probes: once a line arrives on stdin (when the probes are in
 * place and its pid is the target), it calls bpfglobals_uprobe_target and libc's getpid as many
 * times as its argument says.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

__attribute__((noinline)) int bpfglobals_uprobe_target(int x)
{
	__asm__ volatile("" ::: "memory"); /* keeps the call from being folded away */
	return x + 1;
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 0;
	int sum = 0;

	if (getchar() == EOF)
		return 2;
	for (int i = 0; i < calls; i++) {
		sum += bpfglobals_uprobe_target(i);
		getpid();
	}
	return sum == -1;
}
