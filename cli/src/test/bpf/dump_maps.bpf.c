// SPDX-License-Identifier: GPL-2.0
/* Maps of four kinds with BTF-typed keys and values, for `dump --pinned`: the test fills them
 * from user space and compares the dump with the exact JSON bpftool's shape gives. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct flow {
	__u32 addr;
	__u16 port;
	__u16 proto;
};

struct stats {
	__u64 packets;
	__s32 delta;
	char tag[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow);
	__type(value, struct stats);
	__uint(max_entries, 8);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
} per_cpu_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct stats);
	__uint(max_entries, 2);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, __s16);
	__uint(max_entries, 2);
} per_cpu_levels SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
