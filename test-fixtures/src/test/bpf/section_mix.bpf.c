// SPDX-License-Identifier: GPL-2.0
/* The SectionMix fixture in all four sections, through its generated header (built with
 * -DBPF_GLOBALS_COMPAT): each run counts itself in .percpu and .bss, and writes what it reads from
 * .data (limit), .bss (input) and .rodata (threshold, weights) back into .data and .bss, so the
 * Java side can see every section from both directions. */
#include "dev.bpfglobals.fixtures.SectionMix.h"
#include <linux/bpf.h>

SEC("xdp")
int mix(struct xdp_md *ctx)
{
	BPF_PERCPU(runs) += 1;
	__sync_fetch_and_add(&seen, 1);
	/* Decimal fields, so a wrong section or offset shows as a wrong digit group. */
	observed = (__u64)threshold * 1000000000ULL + (__u64)input * 1000ULL + limit;
	lastWeighted = (__u64)input * weights[0] + weights[1];
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
