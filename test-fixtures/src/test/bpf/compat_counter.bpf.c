// SPDX-License-Identifier: GPL-2.0
/* .percpu {hits, bytes} of the CompatCounter fixture, through its generated header (built with
 * -DBPF_GLOBALS_COMPAT), for the binding and reliability tests: each run adds 1 to hits and 10 to
 * bytes on the running CPU. (The runtime's own tests have a hand-written compat_counter.bpf.c.) */
#include "dev.bpfglobals.fixtures.CompatCounter.h"
#include <linux/bpf.h>

SEC("xdp")
int count(struct xdp_md *ctx)
{
	BPF_PERCPU(hits) += 1;
	BPF_PERCPU(bytes) += 10;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
