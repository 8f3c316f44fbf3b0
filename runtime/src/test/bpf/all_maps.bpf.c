// SPDX-License-Identifier: GPL-2.0
/* One BTF-defined map of each type the loader supports, all used by one program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct { __uint(type, BPF_MAP_TYPE_ARRAY); __type(key, __u32); __type(value, __u64); __uint(max_entries, 4); } array SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __type(key, __u32); __type(value, __u64); __uint(max_entries, 4); } percpu_array SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __type(key, __u32); __type(value, __u64); __uint(max_entries, 16); } hash SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __type(key, __u32); __type(value, __u64); __uint(max_entries, 16); } percpu_hash SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __type(key, __u32); __type(value, __u64); __uint(max_entries, 16); } lru_hash SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } events SEC(".maps");

SEC("xdp")
int touch_all(struct xdp_md *ctx)
{
	__u32 key = 1;
	__u64 one = 1, *value;

	value = bpf_map_lookup_elem(&array, &key);
	if (value)
		*value += 1;
	value = bpf_map_lookup_elem(&percpu_array, &key);
	if (value)
		*value += 1;
	bpf_map_update_elem(&hash, &key, &one, BPF_ANY);
	bpf_map_update_elem(&percpu_hash, &key, &one, BPF_ANY);
	bpf_map_update_elem(&lru_hash, &key, &one, BPF_ANY);
	bpf_ringbuf_output(&events, &one, sizeof(one), 0);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
