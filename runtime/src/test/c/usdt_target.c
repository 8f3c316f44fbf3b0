// SPDX-License-Identifier: GPL-2.0
/*
 * The process UsdtAttachTest probes: once a line arrives on stdin (when the probes are in place),
 * it fires USDT probe bpfglobals:args as many times as its argument says, with a constant, a
 * negative constant, a signed byte, an unsigned short and a long in registers and a long read
 * from the stack, and then bpfglobals:guarded, whose semaphore (usdt_guarded.c) gates it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/sdt.h>

void bpfglobals_fire_guarded(int i);

int main(int argc, char **argv)
{
	int calls = argc > 1 ? atoi(argv[1]) : 0;

	if (getchar() == EOF)
		return 2;
	for (int i = 0; i < calls; i++) {
		/* volatile, so that the probe reads it from memory: an N@OFFSET(%REG) operand */
		volatile long on_stack[2] = { 1000 + i, -2000 - i };
		signed char small = (signed char)(-i - 1);
		unsigned short mid = (unsigned short)(60000 + i);
		long wide = 0x100000000L * i + 7;

		STAP_PROBE6(bpfglobals, args, 42, -7, small, mid, wide, on_stack[1]);
		bpfglobals_fire_guarded(i);
	}
	return 0;
}
