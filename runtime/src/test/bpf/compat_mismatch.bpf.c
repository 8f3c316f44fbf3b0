// SPDX-License-Identifier: GPL-2.0
/* A compat map that no longer matches the .percpu section (a header from an older record): the
 * loader must refuse it rather than let the program index a section of another shape. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 packets SEC(".percpu");
__u64 bytes SEC(".percpu");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 8);
	__uint(max_entries, 1);
} __percpu_compat SEC(".maps");

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 zero = 0;
	__u64 *section = bpf_map_lookup_elem(&__percpu_compat, &zero);

	if (section)
		*section += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
