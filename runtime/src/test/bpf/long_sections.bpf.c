// SPDX-License-Identifier: GPL-2.0
/*
 * Two custom data sections whose names share their first 15 characters, the part of a name the
 * kernel keeps for a map: both maps are named ".data.counters_" in the kernel. LightLoadTest loads it
 * light and normally; each section must keep its own values.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 first SEC(".data.counters_first") = 1;
__u64 second SEC(".data.counters_second") = 2;

SEC("xdp")
int add_both(struct xdp_md *ctx)
{
	first += 10;
	second += 20;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
