// SPDX-License-Identifier: GPL-2.0
/* Touches a .percpu variable directly: native mode, which kernel 6.18 refuses. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 hits SEC(".percpu") = 0;

SEC("xdp")
int count_hits(struct xdp_md *ctx)
{
	hits++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
