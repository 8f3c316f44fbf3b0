// SPDX-License-Identifier: GPL-2.0
/*
 * The process CookieAttachTest probes with a semaphore: once a line arrives on stdin, it calls
 * bpfglobals_semaphore_check as many times as its argument says, and prints how many of those
 * times its semaphore (a 2-byte counter in initialised data, as <sys/sdt.h> puts them in .probes)
 * was above zero, which it is only while a uprobe made with its ref_ctr_offset holds it.
 */
#include <stdio.h>
#include <stdlib.h>

volatile unsigned short bpfglobals_semaphore __attribute__((section(".probes")));

__attribute__((noinline)) int bpfglobals_semaphore_check(int x)
{
	__asm__ volatile("" ::: "memory"); /* keeps the call from being folded away */
	return x + 1;
}

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 0;
	int raised = 0;

	if (getchar() == EOF)
		return 2;
	for (int i = 0; i < calls; i++) {
		bpfglobals_semaphore_check(i);
		if (bpfglobals_semaphore > 0)
			raised++;
	}
	printf("%d\n", raised);
	return 0;
}
