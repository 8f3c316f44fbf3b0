// SPDX-License-Identifier: GPL-2.0
/* Declares the map pinned_writer.bpf.c pins by name, and copies what the writer counted into
 * .bss. Built with -DMAX_ENTRIES=32 it declares another shape, which must be refused. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#ifndef MAX_ENTRIES
#define MAX_ENTRIES 16
#endif

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, MAX_ENTRIES);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} shared SEC(".maps");

__u64 seen = 0;

SEC("xdp")
int read_shared(struct xdp_md *ctx)
{
	__u32 key = 0;
	__u64 *count = bpf_map_lookup_elem(&shared, &key);

	if (count) {
		seen = *count;
		*count += 100;
	}
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
