// SPDX-License-Identifier: GPL-2.0
/* What compat mode costs a BPF program: the same per-packet updates as xdp_stats.bpf.c, written
 * four ways, timed by the kernel with BPF_PROG_TEST_RUN (bench/run, CompatCostBenchmark).
 * Built in compat mode against the XdpStats header the examples module generates. */
#include "dev.bpfglobals.examples.xdp.XdpStats.h"
#include <linux/bpf.h>

#define BUCKET_SHIFT 7

/* The same five variables as plain .data globals: direct access, no lookup, not per CPU. The cost
 * a native .percpu access approaches (it adds this CPU's offset to the address). */
__u64 plain_packets = 0;
__u64 plain_bytes = 0;
__u64 plain_sizeBuckets[8] = {0};
__u32 plain_limit = 0;

static __always_inline __u64 bucket_of(__u64 len)
{
	__u64 bucket = len >> BUCKET_SHIFT;

	return bucket > 7 ? 7 : bucket;
}

/* The test-run loop itself, subtracted from the others. */
SEC("xdp")
int empty(struct xdp_md *ctx)
{
	return XDP_PASS;
}

/* BPF_PERCPU on every use: one map lookup each (five here). */
SEC("xdp")
int lookup_per_use(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;

	BPF_PERCPU(packets) += 1;
	BPF_PERCPU(bytes) += len;
	BPF_PERCPU(sizeBuckets)[bucket_of(len)] += 1;
	return len > BPF_PERCPU(limit) && BPF_PERCPU(limit) ? XDP_DROP : XDP_PASS;
}

/* The section pointer taken once with xdp_stats_this_cpu(): one lookup. */
SEC("xdp")
int lookup_once(struct xdp_md *ctx)
{
	struct xdp_stats_percpu *stats = xdp_stats_this_cpu();
	__u64 len = ctx->data_end - ctx->data;

	if (!stats)
		return XDP_PASS;
	stats->packets += 1;
	stats->bytes += len;
	stats->sizeBuckets[bucket_of(len)] += 1;
	return len > stats->limit && stats->limit ? XDP_DROP : XDP_PASS;
}

/* The same updates on .data globals. */
SEC("xdp")
int plain_globals(struct xdp_md *ctx)
{
	__u64 len = ctx->data_end - ctx->data;

	plain_packets += 1;
	plain_bytes += len;
	plain_sizeBuckets[bucket_of(len)] += 1;
	return len > plain_limit && plain_limit ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
