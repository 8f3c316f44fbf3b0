// SPDX-License-Identifier: GPL-2.0
/* An ARRAY_OF_MAPS with its inner definition and one initial slot, for inspect's listing. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counter {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
};

struct counter first SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__type(key, __u32);
	__uint(max_entries, 2);
	__array(values, struct counter);
} outer SEC(".maps") = {
	.values = { [1] = &first },
};

char LICENSE[] SEC("license") = "GPL";
