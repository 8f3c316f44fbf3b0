// SPDX-License-Identifier: GPL-2.0
// Two .maps definitions for `inspect`: one of a type the library names, one it does not.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 8);
	__uint(max_entries, 4);
} per_cpu_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(key_size, 4);
	__uint(value_size, 4);
	__uint(max_entries, 16);
} devices SEC(".maps");

char LICENSE[] SEC("license") = "GPL";
