// SPDX-License-Identifier: GPL-2.0
/* Drops packets longer than a limit that Java sets in .data before load (and may change live,
 * in place, through the mmapped .data), counting what passed and what was dropped per CPU in .percpu. */
#include "dev.bpfglobals.examples.limits.PacketLimits.h"
#include <linux/bpf.h>

SEC("xdp")
int enforce_limit(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;

	if (maxLength && len > maxLength) {
		BPF_PERCPU(dropped) += 1;
		return XDP_DROP;
	}
	BPF_PERCPU(passed) += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
