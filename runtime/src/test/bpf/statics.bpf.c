// SPDX-License-Identifier: GPL-2.0
/* Globals that are not plain globals: file statics, a function-local static (clang names it
 * "on_packet.local_static"), a hidden global, and the format string bpf_printk puts in .rodata. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __u64 file_static = 3;
static volatile const int ro_static = 5;
__u32 hidden_var __attribute__((visibility("hidden"))) = 1;

SEC("xdp")
int on_packet(struct xdp_md *ctx)
{
	static __u32 local_static = 7;

	local_static++;
	file_static++;
	hidden_var++;
	bpf_printk("hi %d", ro_static);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
