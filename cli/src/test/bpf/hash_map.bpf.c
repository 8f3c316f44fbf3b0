// SPDX-License-Identifier: GPL-2.0
/* A pinned map that is not a global section (a HASH), for export to refuse by name. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} seen SEC(".maps");

SEC("xdp")
int remember(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 one = 1;

	bpf_map_update_elem(&seen, &key, &one, BPF_ANY);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
