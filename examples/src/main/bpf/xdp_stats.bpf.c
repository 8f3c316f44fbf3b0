// SPDX-License-Identifier: GPL-2.0
/* Counts packets, bytes and a packet-size histogram in per-CPU globals declared by the Java
 * record dev.bpfglobals.examples.xdp.XdpStats. */
#include "dev.bpfglobals.examples.xdp.XdpStats.h"
#include <linux/bpf.h>

/* Histogram buckets are 128 bytes wide; the last one takes everything larger. */
#define BUCKET_SHIFT 7

SEC("xdp")
int count_packets(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;
	__u64 bucket = len >> BUCKET_SHIFT;

	if (bucket > 7)
		bucket = 7;
	BPF_PERCPU(packets) += 1;
	BPF_PERCPU(bytes) += len;
	BPF_PERCPU(sizeBuckets)[bucket] += 1;
	return len > BPF_PERCPU(limit) && BPF_PERCPU(limit) ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
