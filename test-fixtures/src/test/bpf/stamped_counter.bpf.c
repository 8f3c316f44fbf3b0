// SPDX-License-Identifier: GPL-2.0
/* .percpu {hits, bytes, stamp} reached the compat way: each run adds 1 to hits and 10 to bytes on
 * the running CPU and never touches stamp, which only Java writes, for the load test. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 hits SEC(".percpu") = 0;
__u64 bytes SEC(".percpu") = 0;
__u64 stamp SEC(".percpu") = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 24);
	__uint(max_entries, 1);
} __percpu_compat SEC(".maps");

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *section = bpf_map_lookup_elem(&__percpu_compat, &zero);

	if (!section)
		return XDP_ABORTED;
	section[0] += 1;
	section[1] += 10;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
