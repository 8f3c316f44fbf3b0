// SPDX-License-Identifier: GPL-2.0
/*
 * Writes into a const volatile global through a cast. libbpf makes .rodata with
 * BPF_F_RDONLY_PROG, so the verifier refuses the store ("write into map forbidden"); a loader
 * that leaves the flag off lets the program change what user space set as a constant.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 threshold = 10;

SEC("xdp")
int write_rodata(struct xdp_md *ctx)
{
	*(volatile __u32 *)&threshold = 0;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
