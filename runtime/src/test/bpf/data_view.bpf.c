// SPDX-License-Identifier: GPL-2.0
/*
 * A limit in .data that Java changes while this program reads it over and over: each read is
 * counted by the value seen, so a Java write that ever leaves the limit at 0 (or half-written)
 * shows up in seen_zero (or seen_other). Two neighbours surround it, padding included.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 before = 0x11111111;
__u64 limit = 100;
__u32 after = 0x22222222;

__u64 seen_low, seen_high, seen_zero, seen_other;

SEC("xdp")
int watch_limit(struct xdp_md *ctx)
{
	for (int i = 0; i < 64; i++) {
		__u64 seen = *(volatile __u64 *)&limit;

		if (seen == 100)
			seen_low++;
		else if (seen == 200)
			seen_high++;
		else if (seen == 0)
			seen_zero++;
		else
			seen_other++;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
