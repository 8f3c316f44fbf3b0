// SPDX-License-Identifier: GPL-2.0
/* A callback passed by address (ld_imm64 of a function, BPF_PSEUDO_FUNC) to bpf_loop, and a
 * subprogram called from that callback: the loader appends both after the program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 total;

static __attribute__((noinline)) __u64 square(__u64 x)
{
	return x * x;
}

static long add_square(__u64 index, void *ctx)
{
	total += square(index + 1);
	return 0;
}

SEC("xdp")
int sum_squares(struct xdp_md *ctx)
{
	bpf_loop(4, add_square, 0, 0); /* 1 + 4 + 9 + 16 */
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
