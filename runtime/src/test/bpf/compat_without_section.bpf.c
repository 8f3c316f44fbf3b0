// SPDX-License-Identifier: GPL-2.0
/* A compat map for a per-CPU section the object does not have (.percpu.events was renamed). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 seen SEC(".percpu.event_counts") = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 8);
	__uint(max_entries, 1);
} __percpu_compat_events SEC(".maps");

SEC("raw_tp/task_rename")
int count_event(void *ctx)
{
	__u32 zero = 0;
	__u64 *section = bpf_map_lookup_elem(&__percpu_compat_events, &zero);

	if (section)
		(*section)++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
