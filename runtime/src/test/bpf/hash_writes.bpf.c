// SPDX-License-Identifier: GPL-2.0
/*
 * A program that fills a HASH map, for reading it back from user space by key walks: each run
 * writes keys 1 to N (N its first raw tracepoint argument, at most 16) with the value key * 10.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 32);
} written SEC(".maps");

SEC("raw_tp/task_rename")
int write_keys(unsigned long long *ctx)
{
	__u32 count = ctx[0];

	/* Unrolled: a key on the stack loses its bounds across the helper call, so a loop over it would not verify. */
#pragma unroll
	for (int i = 1; i <= 16; i++) {
		__u32 key = i;
		__u64 value = i * 10;

		if (i > count)
			break;
		bpf_map_update_elem(&written, &key, &value, BPF_ANY);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
