// SPDX-License-Identifier: GPL-2.0
/* A map whose pin name is the one .data gets (dots become underscores on bpffs): load must refuse
 * before loading anything. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 limit SEC(".data") = 1;

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 4);
	__uint(max_entries, 1);
} _data SEC(".maps");

SEC("xdp")
int pass(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u32 *value = bpf_map_lookup_elem(&_data, &zero);

	return value && *value == limit ? XDP_PASS : XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
