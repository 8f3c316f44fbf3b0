// SPDX-License-Identifier: GPL-2.0
/* .percpu {hits, bytes, stamp} of the StampedCounter fixture, through its generated header (built
 * with -DBPF_GLOBALS_COMPAT): each run adds 1 to hits and 10 to bytes on the running CPU and never
 * touches stamp, which only Java writes, for the load test. */
#include "dev.bpfglobals.fixtures.StampedCounter.h"
#include <linux/bpf.h>

SEC("xdp")
int count(struct xdp_md *ctx)
{
	BPF_PERCPU(hits) += 1;
	BPF_PERCPU(bytes) += 10;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
