// SPDX-License-Identifier: GPL-2.0
/* .percpu globals with C initialisers, reached the compat way: after load every CPU must start
 * from the initialisers, and each run adds to the running CPU's copy only. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 packets SEC(".percpu") = 5;
__u64 bytes SEC(".percpu") = 1000;
__u32 limit SEC(".percpu") = 1500;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 20); /* the section ends at limit: clang does not pad it */
	__uint(max_entries, 1);
} __percpu_compat SEC(".maps");

struct section {
	__u64 packets;
	__u64 bytes;
	__u32 limit;
};

SEC("xdp")
int count(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct section *s = bpf_map_lookup_elem(&__percpu_compat, &zero);

	if (!s)
		return XDP_ABORTED;
	s->packets += 1;
	s->bytes += ctx->data_end - ctx->data;
	return ctx->data_end - ctx->data > s->limit ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
