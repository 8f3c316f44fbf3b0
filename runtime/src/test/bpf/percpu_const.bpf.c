// SPDX-License-Identifier: GPL-2.0
/* A per-CPU section of const variables only, reached the compat way. Mainline libbpf has no
 * read-only per-CPU map (its rdonly_direct_read selftest builds one by hand), so this becomes an
 * ordinary PERCPU_ARRAY: no BPF_F_RDONLY_PROG, not frozen, writable from user space. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 limits[2] SEC(".percpu.limits") = { 7, 9 };

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 8);
	__uint(max_entries, 1);
} __percpu_compat_limits SEC(".maps");

SEC("raw_tp/task_rename")
int first_limit(void *ctx)
{
	__u32 zero = 0;
	__u32 *section = bpf_map_lookup_elem(&__percpu_compat_limits, &zero);

	return section ? section[0] : -1;
}

char LICENSE[] SEC("license") = "GPL";
