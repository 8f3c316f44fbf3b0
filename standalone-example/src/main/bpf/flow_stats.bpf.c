// SPDX-License-Identifier: GPL-2.0
/* Counts packets and bytes in the per-CPU globals of the Java record com.example.flows.FlowStats. */
#include "com.example.flows.FlowStats.h"
#include <linux/bpf.h>

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	BPF_PERCPU(packets) += 1;
	BPF_PERCPU(bytes) += ctx->data_end - ctx->data;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
