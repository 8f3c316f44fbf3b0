// SPDX-License-Identifier: GPL-2.0
/* A custom per-CPU section whose compat map was declared for another layout (4 bytes, not 8). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u64 seen SEC(".percpu.events") = 0;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 4);
	__uint(max_entries, 1);
} __percpu_compat_events SEC(".maps");

SEC("raw_tp/task_rename")
int count_event(void *ctx)
{
	__u32 zero = 0;
	__u32 *section = bpf_map_lookup_elem(&__percpu_compat_events, &zero);

	if (section)
		section[0]++;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
