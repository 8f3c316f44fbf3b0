// SPDX-License-Identifier: GPL-2.0
/*
 * USDT probe bpfglobals:guarded with a semaphore, as dtrace -G makes them: the probe fires only
 * while a tracer holds the semaphore above zero, which the kernel does for a uprobe made with
 * its ref_ctr_offset.
 */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

unsigned short bpfglobals_guarded_semaphore __attribute__((unused)) __attribute__((section(".probes")));

void bpfglobals_fire_guarded(int i)
{
	if (bpfglobals_guarded_semaphore)
		STAP_PROBE1(bpfglobals, guarded, i);
}
