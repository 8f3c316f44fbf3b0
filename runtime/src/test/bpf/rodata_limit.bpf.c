// SPDX-License-Identifier: GPL-2.0
/*
 * A loop bounded by a const volatile global, as in the selftest test_rdonly_maps: the verifier
 * accepts it only when it can read the bound as a constant, that is when .rodata was made with
 * BPF_F_RDONLY_PROG and frozen. Otherwise the bound is any __u32 and the verifier walks the loop
 * until its instruction limit. The custom .data.*, .bss.* and .rodata.* sections are maps of
 * their own, as libbpf makes them.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 loop_limit = 8;
__u64 iterations;

__u32 data_step SEC(".data.rx-limits") = 3;
__u64 bss_hits SEC(".bss.counters_of_runs");
const volatile __u32 rodata_bonus SEC(".rodata.extra") = 7;

SEC("xdp")
int bounded_by_rodata(struct xdp_md *ctx)
{
	/* Atomic, so that clang cannot fold the loop into one addition. */
	for (__u32 i = 0; i < loop_limit; i++)
		__sync_fetch_and_add(&iterations, 1);
	__sync_fetch_and_add(&bss_hits, data_step + rodata_bonus);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
